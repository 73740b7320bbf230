import { describe, expect, it, vi } from 'vitest';
import { UserError } from '../errors.js';
import { silentLogger } from '../log.js';
import { createRuntime } from './create.js';

describe('createRuntime', () => {
  it('builds the runtime the config names, without creating anything, and names its cluster', async () => {
    const netns = await createRuntime(
      { kind: 'netns', netns: { name: 't3x', nodes: 2 }, docker: {}, ssh: undefined },
      silentLogger,
    );
    expect([netns.kind, netns.cluster]).toEqual(['netns', 't3x']);
    const docker = await createRuntime(
      { kind: 'docker', netns: {}, docker: { name: 't3x', nodes: 2 }, ssh: undefined },
      silentLogger,
    );
    expect([docker.kind, docker.cluster]).toEqual(['docker', 't3x']);
    const ssh = await createRuntime(
      { kind: 'ssh', netns: {}, docker: {}, ssh: { nodes: ['h'], privateKeyFile: '/k', passphrase: 'hunter2' } },
      silentLogger,
    );
    expect([ssh.kind, ssh.cluster]).toEqual(['ssh', 'ssh']);
    // What `faultline heal` is given to reach the nodes again holds no secret.
    expect(JSON.stringify(ssh.attachment())).not.toContain('hunter2');
    expect(netns.attachment()).toEqual({
      kind: 'netns',
      options: expect.objectContaining({ name: 't3x', nodes: ['n1', 'n2'] }),
    });
  });

  it('throws UserError for ssh without nodes and for bad options', async () => {
    await expect(createRuntime({ kind: 'ssh', netns: {}, docker: {}, ssh: undefined }, silentLogger)).rejects.toThrow(
      UserError,
    );
    await expect(
      createRuntime({ kind: 'netns', netns: { subnet: 'x' }, docker: {}, ssh: undefined }, silentLogger),
    ).rejects.toThrow(/runtime.netns.subnet/);
  });
});

describe('the netns runtime without root', () => {
  it('is a UserError that names the other runtimes', async () => {
    const getuid = vi.spyOn(process, 'getuid').mockReturnValue(1000);
    try {
      const made = createRuntime({ kind: 'netns', netns: {}, docker: {}, ssh: undefined }, silentLogger);
      await expect(made).rejects.toThrow(UserError);
      await expect(made).rejects.toThrow(/needs root.*--runtime docker or --runtime ssh/);
    } finally {
      getuid.mockRestore();
    }
  });
});
