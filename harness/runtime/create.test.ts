import { describe, expect, it, vi } from 'vitest';
import { UserError } from '../errors.js';
import { silentLogger } from '../log.js';
import { createRuntime } from './create.js';

describe('createRuntime', () => {
  it('builds the runtime the config names, without creating anything', () => {
    expect(
      createRuntime({ kind: 'netns', netns: { name: 't3x', nodes: 2 }, docker: {}, ssh: undefined }, silentLogger).kind,
    ).toBe('netns');
    expect(
      createRuntime({ kind: 'docker', netns: {}, docker: { name: 't3x', nodes: 2 }, ssh: undefined }, silentLogger)
        .kind,
    ).toBe('docker');
    expect(
      createRuntime({ kind: 'ssh', netns: {}, docker: {}, ssh: { nodes: ['h'], privateKeyFile: '/k' } }, silentLogger)
        .kind,
    ).toBe('ssh');
  });

  it('throws UserError for ssh without nodes and for bad options', () => {
    expect(() => createRuntime({ kind: 'ssh', netns: {}, docker: {}, ssh: undefined }, silentLogger)).toThrow(
      UserError,
    );
    expect(() =>
      createRuntime({ kind: 'netns', netns: { subnet: 'x' }, docker: {}, ssh: undefined }, silentLogger),
    ).toThrow(/runtime.netns.subnet/);
  });
});

describe('the netns runtime without root', () => {
  it('is a UserError that names the other runtimes', () => {
    const getuid = vi.spyOn(process, 'getuid').mockReturnValue(1000);
    try {
      expect(() => createRuntime({ kind: 'netns', netns: {}, docker: {}, ssh: undefined }, silentLogger)).toThrow(
        UserError,
      );
      expect(() => createRuntime({ kind: 'netns', netns: {}, docker: {}, ssh: undefined }, silentLogger)).toThrow(
        /needs root.*--runtime docker or --runtime ssh/,
      );
    } finally {
      getuid.mockRestore();
    }
  });
});
