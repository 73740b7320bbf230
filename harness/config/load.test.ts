import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UserError } from '../errors.js';
import { loadConfig, mergeFlags, parseConfig } from './load.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'faultline-config-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The UserError message parseConfig throws for this YAML. */
function errorFor(yaml: string, file = 'faultline.config.yaml'): string {
  try {
    parseConfig(yaml, file, '/cfg');
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as Error).message;
  }
  throw new Error('expected a UserError');
}

describe('parseConfig', () => {
  it('reads a full config', () => {
    const config = parseConfig(
      [
        'runtime:',
        '  kind: ssh',
        '  ssh:',
        '    user: admin',
        '    privateKeyFile: keys/id',
        '    nodes: [db1, { host: db2, port: 2222, name: second }]',
        'test:',
        '  target: etcd',
        '  workload: register',
        '  nemesis: [partition, kill]',
        '  concurrency: 10',
        '  timeLimitSeconds: 30',
        '  seed: 7',
        '  targetOptions: { readMode: linearizable }',
      ].join('\n'),
      'faultline.config.yaml',
      '/cfg',
    );
    expect(config.source).toBe('faultline.config.yaml');
    expect(config.runtime.kind).toBe('ssh');
    expect(config.runtime.ssh).toEqual({
      user: 'admin',
      privateKeyFile: '/cfg/keys/id',
      nodes: ['db1', { host: 'db2', port: 2222, name: 'second' }],
    });
    expect(config.test).toEqual({
      target: 'etcd',
      workload: 'register',
      nemesis: ['partition', 'kill'],
      concurrency: 10,
      timeLimitSeconds: 30,
      seed: 7,
      targetOptions: { readMode: 'linearizable' },
    });
  });

  it('accepts the runtime kind as a string and an empty file', () => {
    expect(parseConfig('runtime: docker\n', 'f.yaml').runtime.kind).toBe('docker');
    expect(parseConfig('', 'f.yaml').runtime.kind).toBe('netns');
    expect(parseConfig('runtime:\n  netns:\n    nodes: [a, b]\n', 'f.yaml').runtime.netns.nodes).toEqual(['a', 'b']);
  });

  it('names the file, line and key path of a wrong type', () => {
    const yaml = [
      'runtime:',
      '  kind: ssh',
      '  ssh:',
      '    privateKeyFile: k',
      '    nodes:',
      '      - a',
      '      - b',
      '      - { host: c, port: x }',
    ].join('\n');
    expect(errorFor(yaml)).toBe('faultline.config.yaml:8: runtime.ssh.nodes[2].port: expected a whole number, got "x"');
  });

  it('rejects unknown keys, naming the known ones', () => {
    expect(errorFor('test:\n  concurency: 3\n')).toMatch(
      /^faultline.config.yaml:2: test.concurency: unknown key \(known keys here: name, target, .*concurrency/,
    );
    expect(errorFor('runtimes: netns\n')).toMatch(/^faultline.config.yaml:1: runtimes: unknown key/);
  });

  it('rejects bad values: enums, ranges, lists', () => {
    expect(errorFor('runtime: vm\n')).toBe(
      'faultline.config.yaml:1: runtime: expected one of netns, docker, ssh, got "vm"',
    );
    expect(errorFor('test:\n  concurrency: 0\n')).toContain('test.concurrency: expected a number >= 1, got 0');
    expect(errorFor('test:\n  nemesis: partition\n')).toContain('test.nemesis: expected a list, got "partition"');
    expect(errorFor('runtime:\n  netns:\n    nodes: 2.5\n')).toContain(
      'runtime.netns.nodes: expected a whole number, got 2.5',
    );
  });

  it('requires ssh nodes, and host in each node mapping', () => {
    expect(errorFor('runtime:\n  kind: ssh\n')).toContain('runtime.ssh: is required when runtime.kind is ssh');
    expect(errorFor('runtime:\n  ssh:\n    nodes: [{ port: 22 }]\n')).toContain(
      'runtime.ssh.nodes[0].host: is required',
    );
  });

  it('checks the selected runtime beyond types', () => {
    expect(errorFor('runtime:\n  netns:\n    subnet: 10.1.2.3/24\n')).toBe(
      'faultline.config.yaml: runtime.netns.subnet: 10.1.2.3/24 has host bits set; did you mean 10.1.2.0/24?',
    );
  });

  it('reports syntax errors with the line, and strict JSON for .json files', () => {
    expect(errorFor('test:\n  seed: [1,\n')).toMatch(/^faultline.config.yaml:\d+: syntax error/);
    expect(errorFor('a: 1\na: 2\n')).toMatch(/^faultline.config.yaml:2: syntax error: .*unique/);
    expect(errorFor('{ "test": { "seed": 1, } }', 'faultline.config.json')).toMatch(
      /^faultline.config.json: not valid JSON/,
    );
  });
});

describe('parseConfig on hostile YAML', () => {
  it('refuses values YAML tags make into something else than JSON, and aliases it cannot resolve', () => {
    expect(errorFor('test: !!set { a, b }\n')).toMatch(
      /^faultline\.config\.yaml:1: test: expected a mapping, a list .*got a Set/,
    );
    expect(errorFor('test:\n  targetOptions: { t: !!timestamp 2001-12-14 }\n')).toMatch(
      /^faultline\.config\.yaml:2: test\.targetOptions\.t: .*got a Date/,
    );
    expect(errorFor('test: *nowhere\n')).toMatch(/^faultline\.config\.yaml: cannot read: Unresolved alias/);
    expect(errorFor('? [a, b]\n: c\n')).toMatch(/unknown key/);
  });

  it('shows a number too large for a double as Infinity, not null', () => {
    expect(errorFor('test:\n  timeLimitSeconds: 1e400\n')).toMatch(/timeLimitSeconds: .*got Infinity$/);
  });
});

describe('loadConfig', () => {
  it('returns the defaults when there is no file', async () => {
    const config = await loadConfig(undefined, dir);
    expect(config).toEqual({
      source: undefined,
      runtime: { kind: 'netns', netns: {}, docker: {}, ssh: undefined },
      test: {},
    });
  });

  it('finds faultline.config.json in the working directory', async () => {
    const sub = await mkdtemp(path.join(dir, 'json-'));
    await writeFile(path.join(sub, 'faultline.config.json'), JSON.stringify({ test: { seed: 3 } }));
    const config = await loadConfig(undefined, sub);
    expect(config.test.seed).toBe(3);
    expect(config.source).toBe('faultline.config.json');
  });

  it('refuses two config files, and a missing --config file', async () => {
    const sub = await mkdtemp(path.join(dir, 'two-'));
    await writeFile(path.join(sub, 'faultline.config.json'), '{}');
    await writeFile(path.join(sub, 'faultline.config.yaml'), '');
    await expect(loadConfig(undefined, sub)).rejects.toThrow(/keep one, or choose with --config/);
    await expect(loadConfig('nope.yaml', sub)).rejects.toThrow(/^--config nope.yaml: cannot read config file/);
  });

  it('names the --config file in errors', async () => {
    await writeFile(path.join(dir, 'custom.yaml'), 'test:\n  seed: abc\n');
    await expect(loadConfig('custom.yaml', dir)).rejects.toThrow(
      'custom.yaml:2: test.seed: expected a whole number, got "abc"',
    );
  });
});

describe('mergeFlags', () => {
  const base = () => parseConfig('runtime:\n  netns: { nodes: 5 }\ntest:\n  seed: 1\n  concurrency: 4\n', 'f.yaml');

  it('lets flags override the file and leaves the rest', () => {
    const merged = mergeFlags(base(), {
      concurrency: 9,
      nemesis: 'partition,kill',
      nodes: '3',
      cluster: 'mine',
      timeLimit: 12,
    });
    expect(merged.test).toEqual({ seed: 1, concurrency: 9, nemesis: ['partition', 'kill'], timeLimitSeconds: 12 });
    expect(merged.runtime.netns).toEqual({ nodes: 3, name: 'mine' });
    expect(base().test.concurrency).toBe(4);
  });

  it('takes --nodes as hosts for ssh', () => {
    const merged = mergeFlags(parseConfig('runtime:\n  ssh: { nodes: [a], privateKeyFile: /k }\n', 'f.yaml'), {
      runtime: 'ssh',
      nodes: 'h1,h2',
    });
    expect(merged.runtime.ssh?.nodes).toEqual(['h1', 'h2']);
    expect(() => mergeFlags(merged, { nodes: 3 })).toThrow(/--nodes: with the ssh runtime, name the hosts/);
  });

  it('names the flag of a bad value', () => {
    expect(() => mergeFlags(base(), { concurrency: -1 })).toThrow('--concurrency: expected a number >= 1, got -1');
    expect(() => mergeFlags(base(), { runtime: 'vm' })).toThrow(
      '--runtime: expected one of netns, docker, ssh, got "vm"',
    );
    expect(() => mergeFlags(base(), { subnet: '10.0.0.0/8' })).toThrow(
      /runtime.netns.subnet: prefix length must be 16 to 29/,
    );
    expect(() => mergeFlags(base(), { runtime: 'ssh' })).toThrow(/runtime.ssh: is required/);
  });
});

describe('secrets in the config', () => {
  it('keeps an ssh passphrase out of everything written: JSON, strings, the runtime heal records', async () => {
    const config = parseConfig(
      'runtime:\n  kind: ssh\n  ssh:\n    privateKeyFile: k\n    passphrase: hunter2\n    nodes: [db1]\n',
      'f.yaml',
      '/cfg',
    );
    expect(JSON.stringify(config)).not.toContain('hunter2');
    expect(JSON.stringify(config)).toContain('(redacted)');
    expect(String(config.runtime.ssh?.passphrase)).toBe('(redacted)');
    const { createRuntime } = await import('../runtime/create.js');
    const { silentLogger } = await import('../log.js');
    const runtime = await createRuntime(config.runtime, silentLogger);
    expect(JSON.stringify(runtime.attachment())).not.toContain('hunter2');
    expect(JSON.stringify(runtime.attachment())).not.toContain('passphrase');
  });
});
