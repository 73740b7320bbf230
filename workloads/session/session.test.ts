import { describe, expect, it } from 'vitest';
import type { ComposedResult } from '../../checkers/checker.js';
import { checkSession, type Guarantee, type SessionResult } from '../../checkers/session/index.js';
import { summarize } from '../../checkers/views.js';
import { type SimResponse, simulate } from '../../harness/generator/index.js';
import type { Json, Op } from '../../harness/history/op.js';
import { pairOps } from '../../harness/history/pair.js';
import { sessionWorkload } from './index.js';

const CONCURRENCY = 6;
const MS = 1_000_000;

/**
 * A simulated primary/replica register store, per key. Writes go to the
 * primary n1 and take effect at their invocation; replica n2 sees them 30 ms
 * later, n3 120 ms later. A read returns what its node held at the read's
 * invocation: from the primary (strong), from the thread's own node
 * (sticky: thread t reads from n(t mod 3 + 1)), or from a random node (any).
 */
function replicatedStore(reads: 'primary' | 'sticky' | 'any') {
  const lagNs = [0, 30 * MS, 120 * MS];
  const logs = new Map<string, { value: Json; at: number }[]>();
  const nodes = new Map<number, string>();
  const respond = (op: Op, rng: { int(n: number): number }): SimResponse => {
    const key = JSON.stringify(op.key);
    const log = logs.get(key) ?? [];
    logs.set(key, log);
    const latencyNs = (1 + rng.int(5)) * MS;
    if (op.f === 'write') {
      log.push({ value: op.value ?? null, at: op.time });
      nodes.set(op.index, 'n1');
      return { latencyNs };
    }
    const thread = (op.process as number) % CONCURRENCY;
    const node = reads === 'primary' ? 0 : reads === 'sticky' ? thread % 3 : rng.int(3);
    nodes.set(op.index, `n${node + 1}`);
    const visible = log.filter((e) => e.at <= op.time - lagNs[node]!);
    return { value: visible.at(-1)?.value ?? null, latencyNs };
  };
  /** The history with each completion naming the node that served it (the simulator does not record nodes). */
  const withNodes = (history: Op[]): Op[] => {
    const out = history.map((op) => ({ ...op }));
    for (const { invoke, complete } of pairOps(out)) {
      const node = nodes.get(invoke.index);
      if (complete && node) complete.node = node;
    }
    return out;
  };
  return { respond, withNodes };
}

function run(reads: 'primary' | 'sticky' | 'any', seed = 1) {
  const store = replicatedStore(reads);
  const sim = simulate(sessionWorkload.generator({ concurrency: CONCURRENCY, opsPerKey: 60 }), {
    concurrency: CONCURRENCY,
    seed,
    maxOps: 1200,
    respond: store.respond,
  });
  return store.withNodes(sim.history);
}

/**
 * The violations the store caused, from the values alone: a key's writes are
 * serialized and take effect in invocation order, so the version order is the
 * value order (null first). Keys: "guarantee|process|read invoke index".
 */
function truth(history: Op[]): string[] {
  const out: string[] = [];
  const rank = (v: Json | undefined) => (v === null || v === undefined ? 0 : (v as number));
  const own = new Map<string, number>();
  const newest = new Map<string, number>();
  for (const { process, f, invoke, complete } of pairOps(history)) {
    if (complete?.type !== 'ok') continue;
    const session = `${String(process)}|${JSON.stringify(invoke.key)}`;
    if (f === 'write') {
      own.set(session, rank(invoke.value));
      continue;
    }
    const v = rank(complete.value);
    if ((own.get(session) ?? 0) > v) out.push(`read-your-writes|${String(process)}|${invoke.index}`);
    if (newest.has(session) && newest.get(session)! > v) out.push(`monotonic-reads|${String(process)}|${invoke.index}`);
    newest.set(session, Math.max(newest.get(session) ?? 0, v));
  }
  return out.sort();
}

const found = (r: SessionResult) =>
  r.violations.map((v) => `${v.guarantee}|${String(v.process)}|${v.read.invokeIndex}`).sort();
const status = (r: SessionResult, g: Guarantee) => r.ladder.find((x) => x.guarantee === g)!.status;

async function verdict(history: Op[]) {
  const composed = (await sessionWorkload.checker({ concurrency: CONCURRENCY }).check(history)) as ComposedResult;
  const session = composed.results['session'] as SessionResult;
  const linearizable = composed.results['linearizable']!;
  return { composed, session, linearizable };
}

describe('session workload generator (simulated)', () => {
  const history = run('primary');

  it('writes unique values 1, 2, 3, ... per key, in invocation order, and reads with null', () => {
    const writes = new Map<string, number[]>();
    for (const op of history.filter((o) => o.type === 'invoke')) {
      expect(typeof op.key).toBe('number');
      if (op.f === 'read') {
        expect(op.value).toBeNull();
        continue;
      }
      expect(op.f).toBe('write');
      const key = JSON.stringify(op.key);
      writes.set(key, [...(writes.get(key) ?? []), op.value as number]);
    }
    // 60 ops per key; the two groups of three threads need not end on a key boundary together.
    expect(writes.size).toBeGreaterThanOrEqual(1200 / 60);
    expect(writes.size).toBeLessThanOrEqual(1200 / 60 + 2);
    for (const values of writes.values()) expect(values).toEqual(values.map((_, i) => i + 1));
    const total = [...writes.values()].reduce((n, v) => n + v.length, 0);
    expect(total).toBeGreaterThan(1200 / 5);
    expect(total).toBeLessThan(1200 / 2);
  });

  it('never has two writes to a key in flight at once', () => {
    const inFlight = new Map<string, number>();
    for (const op of history) {
      if (op.f !== 'write') continue;
      const key = JSON.stringify(op.key);
      if (op.type === 'invoke') {
        expect(inFlight.has(key)).toBe(false);
        inFlight.set(key, op.process as number);
      } else inFlight.delete(key);
    }
  });

  it('has no final generator', () => {
    expect(sessionWorkload.finalGenerator({ concurrency: CONCURRENCY })).toBeUndefined();
  });
});

describe('session workload checker (simulated stores)', () => {
  it('a strongly consistent store: linearizable, and every session guarantee held', async () => {
    const { composed, session, linearizable } = await verdict(run('primary'));
    expect(composed.valid).toBe(true);
    expect(linearizable.valid).toBe(true);
    expect(status(session, 'read-your-writes')).toBe('held');
    expect(status(session, 'monotonic-reads')).toBe('held');
    expect(status(session, 'monotonic-writes')).toBe('not-observable');
    expect(summarize(composed)).toMatch(/^session: session \(register\): held read-your-writes, monotonic-reads; /);
  });

  it('sessions stuck to lagging replicas: not linearizable, read-your-writes broken, monotonic reads held', async () => {
    const history = run('sticky');
    const { composed, session, linearizable } = await verdict(history);
    expect(composed.valid).toBe(false);
    expect(linearizable.valid).toBe(false);
    expect(status(session, 'read-your-writes')).toBe('violated');
    expect(status(session, 'monotonic-reads')).toBe('held');
    expect(found(checkSession(history, { violationLimit: Number.POSITIVE_INFINITY }))).toEqual(truth(history));
    expect(summarize(composed)).toMatch(/violated read-your-writes \(\d+\); held monotonic-reads/);
    expect(summarize(composed)).toMatch(/linearizable: not linearizable/);
  });

  it('reads from any node: not linearizable, read-your-writes and monotonic reads broken, exactly where planted', async () => {
    for (const seed of [1, 2, 3]) {
      const history = run('any', seed);
      const { session, linearizable } = await verdict(history);
      expect(linearizable.valid).toBe(false);
      expect(status(session, 'read-your-writes')).toBe('violated');
      expect(status(session, 'monotonic-reads')).toBe('violated');
      const all = checkSession(history, { violationLimit: Number.POSITIVE_INFINITY });
      expect(found(all)).toEqual(truth(history));
      expect(all.ladder.every((r) => r.undecided === 0)).toBe(true);
      // The explanations name the serving nodes.
      expect(all.violations.every((v) => / from n[123] at /.test(v.explanation))).toBe(true);
    }
  });
});
