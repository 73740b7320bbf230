import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BASE_ENV } from '../base-env.js';
import { remoteCommand, shellQuote } from './command.js';

/** Runs a command line through sh and returns the argv the program received, as printf shows it. */
function argvSeenBySh(commandLine: string): string[] {
  const out = execFileSync('sh', ['-c', commandLine], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('shellQuote', () => {
  it('round-trips any string without NUL through sh', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: 'grapheme' }).filter((s) => !s.includes('\0')),
          { minLength: 1, maxLength: 4 },
        ),
        (words) => {
          const line = ['printf', "'%s\\0'", ...words.map(shellQuote)].join(' ');
          expect(argvSeenBySh(line)).toEqual(words);
        },
      ),
      { numRuns: 60 },
    );
  });

  it('leaves plain words alone and quotes the rest', () => {
    expect(shellQuote('/usr/bin/etcd')).toBe('/usr/bin/etcd');
    expect(shellQuote('')).toBe("''");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
  });
});

describe('remoteCommand', () => {
  it('layers sudo, timeout, env and cwd around the argv', () => {
    expect(remoteCommand(['echo', 'a b'], { sudo: true, timeoutMs: 1500, env: { X: '1' }, cwd: '/tmp' })).toBe(
      'sudo -n -- timeout -k 1 1.500 sh -c \'exec env -i HOME="$HOME" "$@"\' sh PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 X=1 sh -c \'cd "$1" && shift && exec "$@"\' sh /tmp echo \'a b\'',
    );
    expect(remoteCommand(['true'])).toBe(
      'sh -c \'exec env -i HOME="$HOME" "$@"\' sh PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 true',
    );
  });

  it('runs locally as the argv it was given', () => {
    const out = execFileSync(
      'sh',
      [
        '-c',
        remoteCommand(['sh', '-c', 'printf "%s|" "$@" "$V" "$(pwd)"', 'sh', "a 'b'", '$x'], {
          env: { V: 'v w' },
          cwd: '/tmp',
        }),
      ],
      {
        encoding: 'utf8',
      },
    );
    expect(out).toBe("a 'b'|$x|v w|/tmp|");
  });

  it('gives the command a fresh environment: BASE_ENV, the remote HOME, then env', () => {
    const line = remoteCommand(['env'], { env: { V: 'v', LANG: 'C' } });
    const out = execFileSync('sh', ['-c', line], {
      encoding: 'utf8',
      env: { ...process.env, HOME: '/home/remote', FAULTLINE_LOGIN_VAR: 'leaks' },
    });
    expect(
      out
        .split('\n')
        .filter((l) => l !== '')
        .sort(),
    ).toEqual(['HOME=/home/remote', 'LANG=C', `PATH=${BASE_ENV.PATH}`, 'V=v']);
  });

  it('refuses an env name that is not an identifier', () => {
    expect(() => remoteCommand(['true'], { env: { 'A B': '1' } })).toThrow(/not a shell identifier/);
  });
});
