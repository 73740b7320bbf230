/**
 * The process target's membership commands: the options take them together
 * or not at all; on real netns nodes (cluster lib-pm, 10.241.6.0/24), with a
 * stand-in system (Python's http.server) and a member list in a shared file,
 * a member is removed through another member (stopped, data wiped, left
 * down by start) and added back (through another member, started by the
 * join command with the members after the add).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../harness/history/op.js';
import { silentLogger } from '../../harness/log.js';
import { createNetnsRuntime } from '../../harness/runtime/netns/index.js';
import type { NodeInfo, Runtime } from '../../harness/runtime/runtime.js';
import { missing } from '../../harness/testing/requirements.js';
import { nemesisPackage } from '../../nemesis/registry.js';
import { parseTargetOptions } from '../options.js';
import type { AnyTarget, TargetContext } from '../target.js';
import { processTarget } from './index.js';
import { isRemoved } from './membership.js';
import { DAEMON, dataDir } from './node.js';
import type { ProcessOptions } from './options.js';

describe('the membership options', () => {
  it('are given together: one without the others names each missing key', () => {
    const parse = (options: Record<string, Json>) =>
      parseTargetOptions(processTarget, { start: 'true', client: 'cat', ...options });
    expect(() => parse({ addMember: 'x' })).toThrow(/test\.targetOptions\.members: .*\(addMember given\)/);
    expect(() => parse({ join: 'x', members: 'm', addMember: 'a' })).toThrow(/test\.targetOptions\.removeMember/);
    expect(parse({ members: 'm', addMember: 'a', removeMember: 'r' }).join).toBeUndefined();
    expect(parse({}).members).toBeUndefined();
  });

  it('decide whether the membership fault can run, before any node exists', () => {
    const build = (options: Record<string, Json>) =>
      nemesisPackage(
        ['membership'],
        { intervalSeconds: 5 },
        {
          target: processTarget as AnyTarget,
          targetOptions: parseTargetOptions(processTarget, { start: 'true', client: 'cat', ...options }),
          nodeCount: 3,
        },
      );
    expect(() => build({})).toThrow(
      '--nemesis membership: target process cannot change its membership (its targetOptions give no members, ' +
        'addMember and removeMember commands)',
    );
    expect(build({ members: 'm', addMember: 'a', removeMember: 'r' }).nemesis.fs).toContain('remove-member');
  });
});

const needs = missing({ root: true, commands: ['ip', 'python3', 'setsid'] });
const PORT = 8190;

describe.skipIf(needs)('membership changes on netns nodes', () => {
  let runtime: Runtime;
  let nodes: NodeInfo[];
  let work: string;
  const base = '/tmp/faultline-lib-pm';
  const HTTP = `exec python3 -m http.server {port} --bind {address} --directory {dataDir}`;
  const MEMBERSHIP = {
    members: 'cat {dir}/members.txt',
    removeMember: 'echo "{node} removes {member}" >> {dir}/changes.log && sed -i "/^{member}$/d" {dir}/members.txt',
    addMember:
      'echo "{node} adds $FAULTLINE_MEMBER at {memberAddress}" >> {dir}/changes.log && echo {member} >> {dir}/members.txt',
    join: `echo "$FAULTLINE_MEMBERS" > {dir}/joined-{node} && ${HTTP}`,
  };

  const context = (options: Record<string, Json>): TargetContext<ProcessOptions> => ({
    runtime,
    nodes,
    log: silentLogger,
    options: parseTargetOptions(processTarget, { port: PORT, client: 'cat', start: HTTP, ...options }),
    workDir: work,
    nodeEnv: () => ({}),
  });

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'lib-pm-'));
    runtime = createNetnsRuntime(
      {
        name: 'lib-pm',
        nodes: 3,
        subnet: '10.241.6.0/24',
        baseDir: base,
        stateDir: `${base}-state`,
        removeNodeDirs: true,
      },
      silentLogger,
    );
    nodes = [...(await runtime.up())];
  });
  afterAll(async () => {
    await runtime?.down();
    await rm(base, { recursive: true, force: true });
    await rm(`${base}-state`, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('removes a member through another, leaves it down, and adds it back with the members after the add', async () => {
    const ctx = context(MEMBERSHIP);
    await writeFile(path.join(work, 'members.txt'), 'n1\nn2\nn3\n');
    await Promise.all(nodes.map((n) => processTarget.setup(ctx, n.name)));
    await processTarget.awaitReady(ctx, 20_000);
    expect(await processTarget.members(ctx)).toEqual(['n1', 'n2', 'n3']);
    await writeFile(path.join(dataDir(ctx, 'n2'), 'old'), 'data');

    await processTarget.removeMember(ctx, 'n2');
    expect(await processTarget.members(ctx)).toEqual(['n1', 'n3']);
    expect(await runtime.daemonRunning('n2', DAEMON)).toBe(false);
    expect(existsSync(path.join(dataDir(ctx, 'n2'), 'old'))).toBe(false);
    expect(await isRemoved(ctx, 'n2')).toBe(true);
    // A restart (the kill fault, healing) leaves a removed member down; readiness does not wait for it.
    await processTarget.start(ctx, 'n2');
    expect(await runtime.daemonRunning('n2', DAEMON)).toBe(false);
    await processTarget.awaitReady(ctx, 5_000);
    // Removing it again changes nothing: it is no member.
    await processTarget.removeMember(ctx, 'n2');

    await processTarget.addMember(ctx, 'n2');
    expect(await processTarget.members(ctx)).toEqual(['n1', 'n2', 'n3']);
    expect(await runtime.daemonRunning('n2', DAEMON)).toBe(true);
    expect(await isRemoved(ctx, 'n2')).toBe(false);
    const [a1, a2, a3] = nodes.map((n) => n.address);
    expect((await readFile(path.join(work, 'joined-n2'), 'utf8')).trim()).toBe(`n1=${a1},n2=${a2},n3=${a3}`);
    // Adding a member that is one and runs does nothing.
    await processTarget.addMember(ctx, 'n2');
    expect((await readFile(path.join(work, 'changes.log'), 'utf8')).trim().split('\n')).toEqual([
      'n1 removes n2',
      `n1 adds n2 at ${a2}`,
    ]);

    // With n1 and n2 out, the join command sees only the members after the add.
    await processTarget.removeMember(ctx, 'n1');
    await processTarget.removeMember(ctx, 'n2');
    expect(await processTarget.members(ctx)).toEqual(['n3']);
    await processTarget.addMember(ctx, 'n1');
    expect((await readFile(path.join(work, 'joined-n1'), 'utf8')).trim()).toBe(`n1=${a1},n3=${a3}`);
    expect((await readFile(path.join(work, 'changes.log'), 'utf8')).trim().split('\n').slice(2)).toEqual([
      'n2 removes n1',
      'n3 removes n2',
      `n3 adds n1 at ${a1}`,
    ]);

    await Promise.all(nodes.map((n) => processTarget.teardown(ctx, n.name)));
    expect(await isRemoved(ctx, 'n2')).toBe(false);
  }, 60_000);

  it('a members command that fails everywhere is an error naming each node', async () => {
    const ctx = context({ ...MEMBERSHIP, members: 'echo no quorum >&2; exit 3' });
    await Promise.all(nodes.map((n) => processTarget.setup(ctx, n.name)));
    await processTarget.awaitReady(ctx, 20_000);
    await expect(processTarget.members(ctx)).rejects.toThrow(
      'no node answered the members command: n1: exit 3: no quorum; n2: exit 3: no quorum; n3: exit 3: no quorum',
    );
    await Promise.all(nodes.map((n) => processTarget.teardown(ctx, n.name)));
  }, 60_000);
});
