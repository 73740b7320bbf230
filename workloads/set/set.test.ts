import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkSet } from '../../checkers/set/index.js';
import { type SimResponse, simulate } from '../../harness/generator/index.js';
import type { Json, Op } from '../../harness/history/op.js';
import { setWorkload } from './index.js';

/** A correct set: adds take effect at invocation, reads return the contents at invocation. */
function setResponder(): (invocation: Op) => SimResponse {
  const contents: number[] = [];
  return (op) => {
    if (op.f === 'add') {
      contents.push(op.value as number);
      return {};
    }
    return { value: [...contents] as Json };
  };
}

describe('set workload generator (simulated)', () => {
  const respond = setResponder();
  const main = simulate(setWorkload.generator({ concurrency: 5 }), { concurrency: 5, maxOps: 500, respond });
  const final = simulate(setWorkload.finalGenerator({ concurrency: 5 })!, { concurrency: 5, respond });

  it('adds unique integers 0, 1, 2, ... with some reads in between', () => {
    const adds = main.invocations.filter((op) => op.f === 'add').map((op) => op.value as number);
    const reads = main.invocations.filter((op) => op.f === 'read');
    expect(adds.length + reads.length).toBe(500);
    expect(adds).toEqual(adds.map((_, i) => i));
    expect(reads.length).toBeGreaterThan(20);
    expect(reads.length).toBeLessThan(100);
    for (const read of reads) expect(read.value).toBeNull();
  });

  it('the final generator reads once on every client thread', () => {
    expect(final.stopped).toBe('done');
    expect(final.invocations.map((op) => op.f)).toEqual(['read', 'read', 'read', 'read', 'read']);
    expect(new Set(final.invocations.map((op) => op.process)).size).toBe(5);
  });

  it('a correct history passes the set checker; dropping an element from the final reads fails it', async () => {
    // The final phase's history follows the main phase's, re-indexed and with processes that do not clash.
    const offset = main.history.length;
    const tail = final.history.map((op) => ({
      ...op,
      index: op.index + offset,
      time: op.time + main.endTime,
      process: (op.process as number) + 100,
    }));
    const history = [...main.history, ...tail];
    const checker = setWorkload.checker({ concurrency: 5 });
    const good = await checker.check(history);
    expect(good.valid).toBe(true);
    expect(good.kind === 'set' && good.lostCount).toBe(0);

    const bad = history.map((op) => ({ ...op }));
    for (const op of bad.slice(offset)) {
      if (op.type === 'ok' && op.f === 'read') op.value = (op.value as number[]).filter((x) => x !== 7);
    }
    const result = await checker.check(bad);
    expect(result.valid).toBe(false);
    expect(result.kind === 'set' && result.lost).toEqual([7]);
  });
});

describe('set checker on concurrent simulated histories', () => {
  it('a correct set with random latencies and indeterminate adds is valid', () => {
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 1, max: 8 }), (seed, concurrency) => {
        const contents: number[] = [];
        const sim = simulate(setWorkload.generator({ concurrency }), {
          concurrency,
          seed,
          maxOps: 300,
          respond: (op, rng) => {
            const latencyNs = 1 + rng.int(20_000_000);
            if (op.f === 'read') return { value: [...contents], latencyNs };
            // Some adds time out: applied or not, the client cannot tell.
            const outcome = rng.int(10);
            if (outcome === 0) return { type: 'info', latencyNs };
            if (outcome === 1) {
              contents.push(op.value as number);
              return { type: 'info', latencyNs };
            }
            contents.push(op.value as number);
            return { latencyNs };
          },
        });
        const result = checkSet(sim.history, { linearizable: true });
        expect(result.lostCount + result.unexpectedCount + result.staleCount).toBe(0);
        expect(result.valid).not.toBe(false);
      }),
      { numRuns: 50 },
    );
  });
});
