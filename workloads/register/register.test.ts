import { describe, expect, it } from 'vitest';
import { UserError } from '../../harness/errors.js';
import { type SimResponse, simulate } from '../../harness/generator/index.js';
import type { Json, Op } from '../../harness/history/op.js';
import { casRegisterWorkload } from '../cas-register/index.js';
import { threadsPerKey } from './independent.js';
import { registerWorkload } from './index.js';

/**
 * Responds like a correct register per key: each op takes effect at its
 * invocation (a valid linearization point), so the history is linearizable.
 */
function registerResponder(): (invocation: Op) => SimResponse {
  const state = new Map<string, Json>();
  return (op) => {
    const key = JSON.stringify(op.key);
    const current = state.get(key) ?? null;
    if (op.f === 'read') return { value: current };
    if (op.f === 'write') {
      state.set(key, op.value ?? null);
      return {};
    }
    const [from, to] = op.value as [Json, Json];
    if (current !== from) return { type: 'fail', error: 'compare failed' };
    state.set(key, to);
    return {};
  };
}

describe('register workload generator (simulated)', () => {
  const sim = simulate(registerWorkload.generator({ concurrency: 10, opsPerKey: 20 }), {
    concurrency: 10,
    maxOps: 400,
    respond: registerResponder(),
  });

  it('emits well-formed reads and writes, each with an integer key', () => {
    expect(sim.invocations).toHaveLength(400);
    for (const op of sim.invocations) {
      expect(op.type).toBe('invoke');
      expect(typeof op.key).toBe('number');
      if (op.f === 'read') expect(op.value).toBeNull();
      else {
        expect(op.f).toBe('write');
        expect(Number.isInteger(op.value)).toBe(true);
        expect(op.value as number).toBeGreaterThanOrEqual(0);
        expect(op.value as number).toBeLessThan(5);
      }
    }
    const fs = new Set(sim.invocations.map((op) => op.f));
    expect(fs).toEqual(new Set(['read', 'write']));
  });

  it('rotates keys: at most opsPerKey ops per key, and a group of 5 threads per key', () => {
    const perKey = new Map<number, Set<number>>();
    const counts = new Map<number, number>();
    for (const op of sim.invocations) {
      const key = op.key as number;
      counts.set(key, (counts.get(key) ?? 0) + 1);
      const processes = perKey.get(key) ?? new Set<number>();
      processes.add(op.process as number);
      perKey.set(key, processes);
    }
    expect(counts.size).toBe(400 / 20);
    for (const n of counts.values()) expect(n).toBe(20);
    for (const processes of perKey.values()) expect(processes.size).toBeLessThanOrEqual(5);
  });

  it('a correct register history passes the checker; a corrupted read fails it', async () => {
    const checker = registerWorkload.checker({ concurrency: 10 });
    expect((await checker.check(sim.history)).valid).toBe(true);
    const corrupted = sim.history.map((op) => ({ ...op }));
    const read = corrupted.find((op) => op.type === 'ok' && op.f === 'read' && op.value === null && op.key !== 0);
    // A read of a value nobody wrote is never linearizable.
    read!.value = 99;
    const result = await checker.check(corrupted);
    expect(result.valid).toBe(false);
  });

  it('has no final generator', () => {
    expect(registerWorkload.finalGenerator({ concurrency: 10 })).toBeUndefined();
  });

  it('paces ops to --rate', () => {
    const paced = simulate(registerWorkload.generator({ concurrency: 5, rate: 100 }), { concurrency: 5, maxOps: 200 });
    // 200 ops at 100/s take about 2 s of simulated time.
    expect(paced.endTime / 1e9).toBeGreaterThan(1.5);
    expect(paced.endTime / 1e9).toBeLessThan(2.5);
  });
});

describe('threads per key', () => {
  it('defaults to the largest divisor of the concurrency up to 5', () => {
    expect(threadsPerKey({ concurrency: 10 })).toBe(5);
    expect(threadsPerKey({ concurrency: 6 })).toBe(3);
    expect(threadsPerKey({ concurrency: 4 })).toBe(4);
    expect(threadsPerKey({ concurrency: 7 })).toBe(1);
  });

  it('follows the keys option, and rejects keys that do not divide the concurrency', () => {
    expect(threadsPerKey({ concurrency: 10, keys: 5 })).toBe(2);
    expect(() => threadsPerKey({ concurrency: 10, keys: 3 })).toThrow(UserError);
    expect(() => threadsPerKey({ concurrency: 10, keys: 3 })).toThrow(/test.workloadOptions.keys/);
  });

  it('rejects bad opsPerKey and --rate when the generator is built', () => {
    expect(() => registerWorkload.generator({ concurrency: 5, opsPerKey: 0 })).toThrow(
      /test.workloadOptions.opsPerKey/,
    );
    expect(() => registerWorkload.generator({ concurrency: 5, rate: -1 })).toThrow(/--rate/);
  });
});

describe('cas-register workload generator (simulated)', () => {
  const sim = simulate(casRegisterWorkload.generator({ concurrency: 6, opsPerKey: 30 }), {
    concurrency: 6,
    maxOps: 600,
    respond: registerResponder(),
  });

  it('emits reads, writes and cas [old, new] on rotating keys', () => {
    expect(new Set(sim.invocations.map((op) => op.f))).toEqual(new Set(['read', 'write', 'cas']));
    for (const op of sim.invocations.filter((o) => o.f === 'cas')) {
      expect(Array.isArray(op.value) && op.value.length === 2 && op.value.every(Number.isInteger)).toBe(true);
    }
    expect(new Set(sim.invocations.map((op) => op.key)).size).toBe(600 / 30);
  });

  it('a correct history passes the checker, with failed cas ops', async () => {
    expect(sim.history.some((op) => op.type === 'fail' && op.f === 'cas')).toBe(true);
    expect((await casRegisterWorkload.checker({ concurrency: 6 }).check(sim.history)).valid).toBe(true);
  });

  it('a cas from a value nobody wrote, reported ok, fails the checker', async () => {
    const corrupted = sim.history.map((op) => ({ ...op }));
    const failed = corrupted.find((op) => op.type === 'fail' && op.f === 'cas')!;
    const invocation = corrupted[lastInvokeBefore(corrupted, failed)]!;
    expect(invocation.f).toBe('cas');
    failed.type = 'ok';
    invocation.value = [77, 1];
    failed.value = [77, 1];
    expect((await casRegisterWorkload.checker({ concurrency: 6 }).check(corrupted)).valid).toBe(false);
  });
});

/** Position of the invocation a completion belongs to: the last invoke of its process before it. */
function lastInvokeBefore(history: Op[], completion: Op): number {
  for (let i = history.indexOf(completion) - 1; i >= 0; i--) {
    if (history[i]!.type === 'invoke' && history[i]!.process === completion.process) return i;
  }
  return -1;
}
