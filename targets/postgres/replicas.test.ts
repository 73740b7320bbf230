/**
 * PostgreSQL streaming replicas (--replicas N) and read routing
 * (--read-from primary|replica): the options and their errors, where each
 * transaction goes, and a real 4-node netns cluster (cluster "pgrr", subnet
 * 10.248.10.0/24: n1 primary, n2 and n3 replicas, n4 a forwarder only) whose
 * replicas stream, serve the reads the option sends them (shown stale by
 * pausing replay), survive kills of themselves and of the primary; and a
 * short run with replicas under partition and kill (cluster "pgrx",
 * 10.248.11.0/24) that gives a verdict and leaves nothing behind.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareTest, type TestArgs } from '../../harness/cli/commands/test.js';
import { defaultConfig, mergeFlags } from '../../harness/config/load.js';
import { UserError } from '../../harness/errors.js';
import { silentLogger } from '../../harness/log.js';
import type { RunResults } from '../../harness/results/results.js';
import { resolveTestOptions } from '../../harness/run/options.js';
import { runTest, validateRun } from '../../harness/run/run-test.js';
import { netnsLeftovers } from '../../harness/runtime/netns/leftovers.js';
import { runLocal } from '../../harness/runtime/netns/run-local.js';
import type { NodeInfo } from '../../harness/runtime/runtime.js';
import { missing } from '../../harness/testing/requirements.js';
import type { Client } from '../../workloads/client.js';
import { checkOptionsForNodeCount, parseTargetOptions } from '../options.js';
import { startTestCluster, type TestCluster } from '../testing/test-cluster.js';
import { postgresTarget } from './index.js';
import { beginStatement } from './isolation.js';
import type { PostgresOptions } from './options.js';
import { probe } from './probe.js';
import { roleOf, routeFor } from './topology.js';

const ROOT = path.join(import.meta.dirname, '..', '..');

const options = (flags: Record<string, string> = {}) => parseTargetOptions(postgresTarget, {}, flags);

describe('postgres --replicas and --read-from: the options', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'faultline-pg-replicas-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  /** validateRun of `faultline test --target postgres --workload list-append` with these flags (no config file). */
  async function validate(flags: Record<string, string>) {
    const { config, options } = await prepareTest(
      { target: 'postgres', workload: 'list-append', ...flags } as TestArgs,
      dir,
    );
    await validateRun(config, options);
  }

  it('default to no replicas, reads on the primary, replicas on port 5433', () => {
    expect(options()).toMatchObject({ replicas: 0, readFrom: 'primary', replicaPort: 5433, port: 5432 });
    expect(options({ replicas: '2', readFrom: 'replica' })).toMatchObject({ replicas: 2, readFrom: 'replica' });
  });

  it('refuse a bad count, reads on replicas without any, and a replica port that is --port, naming the flag', () => {
    expect(() => options({ replicas: '-1' })).toThrow(/^--replicas: expected a whole number of replicas, 0 or more/);
    expect(() => options({ replicas: '1.5' })).toThrow(/^--replicas: expected a whole number/);
    expect(() => options({ readFrom: 'any' })).toThrow(/^--read-from: expected primary or replica/);
    expect(() => options({ readFrom: 'replica' })).toThrow(/^--read-from: replica needs --replicas 1 or more/);
    expect(() => options({ replicas: '1', replicaPort: '5432' })).toThrow(/^--replica-port: expected a port other/);
    // From the config file, the error names the key.
    expect(() => parseTargetOptions(postgresTarget, { readFrom: 'replica' })).toThrow(
      /^test\.targetOptions\.readFrom: replica needs --replicas/,
    );
  });

  it('refuse more replicas than the nodes after the primary, before any node exists', async () => {
    await expect(validate({ replicas: '4', nodes: '5' })).resolves.toBeUndefined();
    await expect(validate({ replicas: '5', nodes: '5' })).rejects.toThrow(UserError);
    await expect(validate({ replicas: '5', nodes: '5' })).rejects.toThrow(
      '--replicas: expected 0 to 4 replicas (the first of the 5 nodes is the primary), got 5 (target postgres)',
    );
    await expect(validate({ replicas: '1', nodes: '1' })).rejects.toThrow(/^--replicas: expected 0 to 0 replicas/);
    // From the config file (no flag), the error names the key.
    const fromConfig = parseTargetOptions(postgresTarget, { replicas: 3 });
    expect(() => checkOptionsForNodeCount(postgresTarget, fromConfig, 3)).toThrow(
      /^test\.targetOptions\.replicas: expected 0 to 2 replicas/,
    );
    expect(() => checkOptionsForNodeCount(postgresTarget, fromConfig, 4)).not.toThrow();
  });

  it('the CLI exits 254 with the message naming --replicas (no node is touched)', async () => {
    const args = ['test', '--target', 'postgres', '--workload', 'list-append', '--nodes', '3', '--replicas', '3'];
    const run = await execa('node', ['bin/faultline.js', ...args, '--cluster', 'pgrv', '--subnet', '10.248.12.0/24'], {
      cwd: ROOT,
      reject: false,
      timeout: 60_000,
    });
    expect(run.exitCode).toBe(254);
    expect(run.stderr).toContain('--replicas: expected 0 to 2 replicas (the first of the 3 nodes is the primary)');
    expect(run.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('reads on replicas promise what a hot standby runs them at; reads on the primary, the level', () => {
    const models = (flags: Record<string, string>) => postgresTarget.consistencyModels(options(flags));
    expect(models({ replicas: '2' })).toEqual(['serializable']);
    expect(models({ replicas: '2', readFrom: 'replica' })).toEqual(['snapshot-isolation']);
    expect(models({ replicas: '2', readFrom: 'replica', isolation: 'read-committed' })).toEqual(['read-committed']);
    expect(beginStatement('serializable', true)).toBe('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    expect(beginStatement('read-committed', true)).toBe('BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY');
    expect(beginStatement('serializable')).toBe('BEGIN ISOLATION LEVEL SERIALIZABLE');
  });

  it('route read-only transactions to the own replica or one picked by node, everything else to the own node', () => {
    const nodes: NodeInfo[] = ['n1', 'n2', 'n3', 'n4', 'n5'].map((name, i) => ({ name, address: `10.0.0.${i + 2}` }));
    const o = options({ replicas: '2', readFrom: 'replica' });
    expect(nodes.map((n) => roleOf(nodes, o, n.name))).toEqual([
      'primary',
      'replica',
      'replica',
      'forwarder',
      'forwarder',
    ]);
    const readServer = (own: number) => routeFor(nodes, o, nodes[own]!, true);
    expect([0, 1, 2, 3, 4].map((i) => readServer(i).servedBy)).toEqual(['n2', 'n2', 'n3', 'n3', 'n2']);
    expect(readServer(3)).toEqual({ address: '10.0.0.4', port: 5433, servedBy: 'n3', standby: true });
    // A transaction that writes goes to the client's own node (its forwarder to the primary), as without replicas.
    expect(routeFor(nodes, o, nodes[1]!, false)).toEqual({
      address: '10.0.0.3',
      port: 5432,
      servedBy: 'n1',
      standby: false,
    });
    const onPrimary = options({ replicas: '2' });
    expect(routeFor(nodes, onPrimary, nodes[1]!, true)).toMatchObject({
      address: '10.0.0.3',
      port: 5432,
      standby: false,
    });
  });
});

const needs = missing({
  root: true,
  commands: ['ip', 'iptables', 'setsid', 'setpriv', 'socat'],
  paths: ['/usr/lib/postgresql'],
});
const never = () => new AbortController().signal;

describe.skipIf(needs)('postgres replicas on a 4-node netns cluster (2 replicas)', () => {
  let cluster: TestCluster<PostgresOptions>;
  const clients: Client[] = [];

  beforeAll(async () => {
    cluster = await startTestCluster(postgresTarget, {
      name: 'pgrr',
      nodes: 4,
      subnet: '10.248.10.0/24',
      options: { replicas: 2 },
      workloadOptions: { concurrency: 1, keys: 3, totalAmount: 30 } as never,
    });
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.close();
    await cluster?.stop();
    const ps = await runLocal(['ps', '-eo', 'args']);
    expect(ps.stdout).not.toContain('/tmp/faultline-pgrr');
    expect(ps.stdout).not.toContain('bind=10.248.10.');
    expect(await netnsLeftovers('pgrr')).toEqual([]);
  });

  const node = (name: string) => cluster.runtime.node(name);
  async function clientOn(
    name: string,
    readFrom: PostgresOptions['readFrom'],
    workload: 'list-append' | 'bank' = 'list-append',
  ) {
    const ctx = { ...cluster.ctx, options: { ...cluster.ctx.options, readFrom } };
    const client = postgresTarget.clients[workload](ctx);
    await client.open(node(name));
    clients.push(client);
    return client;
  }
  const append = (key: number, value: number) => ({ process: 0, f: 'txn', value: [['append', key, value]] });
  const read = (key: number) => ({ process: 1, f: 'txn', value: [['r', key, null]] });
  /** The list at `key` on a replica, read straight from its server. */
  const onReplica = async (replica: string, key: number) => {
    const rows = await probe(node(replica), 5433, [`SELECT val FROM list_append WHERE key = ${key}`]);
    return (rows[0]?.val as number[] | undefined) ?? [];
  };
  const until = async (what: string, check: () => Promise<boolean>) => {
    const deadline = Date.now() + 20_000;
    while (!(await check())) {
      if (Date.now() > deadline) throw new Error(`${what}: not within 20 s`);
      await new Promise((r) => setTimeout(r, 100));
    }
  };

  it('every replica streams from the primary, is a standby, and gets a write made on the primary', async () => {
    const senders = await probe(node('n1'), 5432, [
      'SELECT application_name AS name, state FROM pg_stat_replication ORDER BY 1',
    ]);
    expect(senders).toEqual([
      { name: 'n2', state: 'streaming' },
      { name: 'n3', state: 'streaming' },
    ]);
    for (const r of ['n2', 'n3']) {
      expect(await probe(node(r), 5433, ['SELECT pg_is_in_recovery() AS standby'])).toEqual([{ standby: true }]);
    }
    // n4 runs no replica: only its forwarder, to the primary.
    await expect(probe(node('n4'), 5433, ['SELECT 1'])).rejects.toThrow();
    const writer = await clientOn('n4', 'primary');
    expect(await writer.invoke(append(1, 1), never())).toEqual({ type: 'ok', value: [['append', 1, 1]] });
    for (const r of ['n2', 'n3'])
      await until(`${r} to replay the append`, async () => (await onReplica(r, 1)).length === 1);
    expect(await onReplica('n2', 1)).toEqual([1]);
  });

  it('--read-from replica reads on a replica (stale while its replay is paused); primary reads see the write', async () => {
    const onPrimary = await clientOn('n2', 'primary');
    const ownReplica = await clientOn('n2', 'replica');
    const viaN4 = await clientOn('n4', 'replica'); // n4 (position 3) reads from n3
    const viaN1 = await clientOn('n1', 'replica'); // n1 (position 0) reads from n2
    await probe(node('n2'), 5433, ['SELECT pg_wal_replay_pause()']);
    try {
      // Writes from a replica node's client still reach the primary (its forwarder on --port).
      expect(await ownReplica.invoke(append(2, 5), never())).toEqual({ type: 'ok', value: [['append', 2, 5]] });
      expect(await onPrimary.invoke(read(2), never())).toEqual({ type: 'ok', value: [['r', 2, [5]]] });
      // n2 replays nothing: the read there misses the acknowledged append. The op names no other node.
      expect(await ownReplica.invoke(read(2), never())).toEqual({ type: 'ok', value: [['r', 2, []]] });
      expect(await viaN1.invoke(read(2), never())).toEqual({ type: 'ok', value: [['r', 2, []]], node: 'n2' });
      await until('n3 to replay the append', async () => (await onReplica('n3', 2)).length === 1);
      expect(await viaN4.invoke(read(2), never())).toEqual({ type: 'ok', value: [['r', 2, [5]]], node: 'n3' });
      // A transaction that reads and writes goes to the primary even with --read-from replica.
      const mixed = {
        process: 2,
        f: 'txn',
        value: [
          ['r', 2, null],
          ['append', 2, 6],
        ],
      };
      expect(await viaN1.invoke(mixed, never())).toEqual({
        type: 'ok',
        value: [
          ['r', 2, [5]],
          ['append', 2, 6],
        ],
      });
    } finally {
      await probe(node('n2'), 5433, ['SELECT pg_wal_replay_resume()']);
    }
    await until('n2 to replay again', async () => (await onReplica('n2', 2)).length === 2);
    expect(await ownReplica.invoke(read(2), never())).toEqual({ type: 'ok', value: [['r', 2, [5, 6]]] });
  });

  it('bank reads on a replica see the accounts the first client created on the primary', async () => {
    const writer = await clientOn('n4', 'primary', 'bank');
    const reader = await clientOn('n3', 'replica', 'bank');
    const move = { from: 0, to: 1, amount: 3 };
    expect(await writer.invoke({ process: 3, f: 'transfer', value: move }, never())).toEqual({
      type: 'ok',
      value: move,
    });
    await until('n3 to replay the transfer', async () => {
      const r = await reader.invoke({ process: 4, f: 'read', value: null }, never());
      return r.type === 'ok' && JSON.stringify(r.value) === JSON.stringify({ '0': 7, '1': 13, '2': 10 });
    });
  });

  it('a killed replica refuses its clients, and after a restart streams again and catches up', async () => {
    const reader = await clientOn('n3', 'replica');
    const writer = await clientOn('n1', 'primary');
    await postgresTarget.kill(cluster.ctx, 'n3');
    expect(await cluster.runtime.daemonRunning('n3', 'postgres')).toBe(false);
    expect(await cluster.runtime.daemonRunning('n3', 'forwarder')).toBe(false);
    expect(await reader.invoke(read(1), never())).toMatchObject({ type: 'fail' });
    expect(await writer.invoke(append(3, 1), never())).toMatchObject({ type: 'ok' });
    await postgresTarget.start(cluster.ctx, 'n3');
    await postgresTarget.awaitReady(cluster.ctx, 30_000); // waits for n3 to stream and replay up to the primary's WAL
    expect(await onReplica('n3', 3)).toEqual([1]);
    expect(await reader.invoke(read(3), never())).toEqual({ type: 'ok', value: [['r', 3, [1]]] });
  });

  it('a paused replica node times its reads out; resumed, it serves and streams again', async () => {
    const reader = await clientOn('n2', 'replica');
    expect(await reader.invoke(read(1), never())).toMatchObject({ type: 'ok' }); // connected before the pause
    await postgresTarget.pause(cluster.ctx, 'n2');
    try {
      const stuck = await reader.invoke(read(1), AbortSignal.timeout(1_000));
      expect(stuck).toMatchObject({ type: 'fail', error: 'timed out before COMMIT' });
    } finally {
      await postgresTarget.resume(cluster.ctx, 'n2');
    }
    await postgresTarget.awaitReady(cluster.ctx, 30_000);
    expect(await reader.invoke(read(1), never())).toEqual({ type: 'ok', value: [['r', 1, [1]]] });
  });

  it('with the primary killed, writes fail and the replicas go on serving reads; it restarts and they stream again', async () => {
    const reader = await clientOn('n2', 'replica');
    const writer = await clientOn('n2', 'primary');
    await postgresTarget.kill(cluster.ctx, 'n1');
    try {
      expect(await postgresTarget.primaries(cluster.ctx)).toEqual([]);
      expect(await writer.invoke(append(4, 1), never())).toMatchObject({ type: 'fail' });
      expect(await reader.invoke(read(3), never())).toEqual({ type: 'ok', value: [['r', 3, [1]]] });
    } finally {
      await postgresTarget.start(cluster.ctx, 'n1');
    }
    await postgresTarget.awaitReady(cluster.ctx, 30_000);
    expect(await writer.invoke(append(4, 2), never())).toMatchObject({ type: 'ok' });
    await until('n2 to replay the append', async () => (await onReplica('n2', 4)).length === 1);
  });
});

describe.skipIf(needs)('faultline test --target postgres --replicas 2 --read-from replica (netns)', () => {
  let resultsRoot: string;
  beforeAll(async () => {
    resultsRoot = await mkdtemp(path.join(os.tmpdir(), 'faultline-pgrx-'));
  });
  afterAll(async () => {
    await rm(resultsRoot, { recursive: true, force: true });
  });

  it('under partition and kill: a verdict, reads served by replicas, and nothing left behind', async () => {
    const config = mergeFlags(defaultConfig(), {
      nodes: 4,
      cluster: 'pgrx',
      subnet: '10.248.11.0/24',
      target: 'postgres',
      workload: 'list-append',
      nemesis: ['partition', 'kill'],
      nemesisInterval: 2,
      concurrency: 4,
      timeLimit: 12,
      seed: 21,
      resultsDir: resultsRoot,
    });
    config.test.targetOptions = { replicas: 2, readFrom: 'replica' };
    config.runtime.netns = { ...config.runtime.netns, removeNodeDirs: true };
    const options = resolveTestOptions(config, { recoverySeconds: 2 });
    const outcome = await runTest(config, options, silentLogger);
    const results = JSON.parse(await readFile(path.join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
    expect(results.valid, JSON.stringify(results.checker).slice(0, 1000)).not.toBe('unknown');
    expect(results.checker).toMatchObject({ consistencyModels: ['snapshot-isolation'] });
    const history = (await readFile(path.join(outcome.runDir, 'history.jsonl'), 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; process: unknown; node?: string; value?: unknown });
    // n1's and n4's clients write through their own node and read from n2 and n3: the ops say so.
    const readOnly = (op: { value?: unknown }) => (op.value as [string][]).every(([f]) => f === 'r');
    const oks = history.filter((op) => op.type === 'ok' && op.process !== 'nemesis');
    const readers = new Set(
      oks.filter((op) => readOnly(op) && (op.node === 'n2' || op.node === 'n3')).map((op) => op.process),
    );
    const writersElsewhere = oks.filter(
      (op) => !readOnly(op) && readers.has(op.process) && (op.node === 'n1' || op.node === 'n4'),
    );
    expect(writersElsewhere.length).toBeGreaterThan(0);
    // The faults did happen: a partition applied, or a node killed.
    const faults = history.filter((op) => {
      const v = op.value as { grudge?: unknown; killed?: unknown } | null;
      return op.process === 'nemesis' && v !== null && typeof v === 'object' && ('grudge' in v || 'killed' in v);
    });
    expect(faults.length).toBeGreaterThan(0);
    expect(await netnsLeftovers('pgrx', '/var/lib/faultline/pgrx/')).toEqual([]);
    const ps = await runLocal(['ps', '-eo', 'args']);
    expect(ps.stdout).not.toContain('/var/lib/faultline/pgrx/');
    expect(ps.stdout).not.toContain('bind=10.248.11.');
  }, 120_000);
});
