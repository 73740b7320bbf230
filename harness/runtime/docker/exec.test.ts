import { describe, expect, it } from 'vitest';
import { normaliseStartFailure } from './exec.js';

const result = (exitCode: number, stdout: string) => ({
  exitCode,
  stdout,
  stderr: '',
  timedOut: false,
  signal: undefined,
});

describe('normaliseStartFailure', () => {
  it('turns docker’s "executable file not found" into exit 127 on stderr', () => {
    const r = normaliseStartFailure(
      result(
        126,
        'OCI runtime exec failed: exec failed: unable to start container process: exec: "nope": executable file not found in $PATH: unknown\r\n',
      ),
    );
    expect(r.exitCode).toBe(127);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/executable file not found/);
  });

  it('keeps 126 for a bad working directory', () => {
    const r = normaliseStartFailure(
      result(
        126,
        'OCI runtime exec failed: exec failed: unable to start container process: chdir to cwd ("/x") set in config.json failed: no such file or directory: unknown\r\n',
      ),
    );
    expect([r.exitCode, r.stdout]).toEqual([126, '']);
  });

  it('leaves a command’s own exit 126 and its output alone', () => {
    expect(normaliseStartFailure(result(126, 'my output\n'))).toEqual(result(126, 'my output\n'));
    expect(normaliseStartFailure(result(0, 'OCI runtime exec failed'))).toEqual(result(0, 'OCI runtime exec failed'));
  });
});
