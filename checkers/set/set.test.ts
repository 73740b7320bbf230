import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MalformedHistoryError } from '../../harness/history/errors.js';
import type { Json, Op } from '../../harness/history/op.js';
import { checkSet, setChecker } from './index.js';

/** Builds histories op by op; each call appends one op with the next index and time. */
class HistoryBuilder {
  readonly ops: Op[] = [];
  private push(type: Op['type'], process: number, f: string, value?: Json): this {
    const op = { index: this.ops.length, time: this.ops.length * 1_000_000, type, process, f } as Op;
    if (value !== undefined) op.value = value;
    this.ops.push(op);
    return this;
  }
  invoke(p: number, f: string, value?: Json) {
    return this.push('invoke', p, f, value);
  }
  ok(p: number, f: string, value?: Json) {
    return this.push('ok', p, f, value);
  }
  fail(p: number, f: string, value?: Json) {
    return this.push('fail', p, f, value);
  }
  info(p: number, f: string, value?: Json) {
    return this.push('info', p, f, value);
  }
  add(p: number, x: number) {
    return this.invoke(p, 'add', x).ok(p, 'add', x);
  }
  read(p: number, xs: number[]) {
    return this.invoke(p, 'read', null).ok(p, 'read', xs);
  }
}

describe('set checker: examples', () => {
  it('is valid when every acknowledged add is read', () => {
    const h = new HistoryBuilder().add(0, 1).add(1, 2).read(0, [1, 2]).ops;
    const r = checkSet(h);
    expect(r.valid).toBe(true);
    expect(r).toMatchObject({ attemptedCount: 2, acknowledgedCount: 2, stableCount: 2, lostCount: 0, readCount: 1 });
  });

  it('reports an acknowledged add missing from the final read as lost', () => {
    const h = new HistoryBuilder().add(0, 1).add(1, 2).read(0, [1, 2]).read(1, [2]).ops;
    const r = checkSet(h);
    expect(r.valid).toBe(false);
    expect(r.lost).toEqual([1]);
    expect(r.lostDetails[0]).toMatchObject({ element: 1, addOkIndex: 1, lastSeenIndex: 5, lastMissedIndex: 6 });
    expect(r.error).toMatch(/lost/);
  });

  it('reports an element read but never added as unexpected, also when its add failed', () => {
    const h = new HistoryBuilder().add(0, 1).invoke(1, 'add', 2).fail(1, 'add').read(0, [1, 2, 3]).ops;
    const r = checkSet(h);
    expect(r.valid).toBe(false);
    expect(r.unexpected).toEqual([2, 3]);
  });

  it('accepts an element whose add was indeterminate, seen or not', () => {
    const h = new HistoryBuilder()
      .invoke(0, 'add', 1)
      .info(0, 'add')
      .invoke(1, 'add', 2)
      .info(1, 'add')
      .read(2, [1])
      .read(2, [1]).ops;
    const r = checkSet(h);
    expect(r.valid).toBe(true);
    expect(r).toMatchObject({ attemptedCount: 2, acknowledgedCount: 0, stableCount: 1, lostCount: 0 });
  });

  it('reports a transient absence as stale, and invalid only when linearizable', () => {
    const h = new HistoryBuilder().add(0, 1).read(0, [1]).read(0, []).read(0, [1]).ops;
    expect(checkSet(h)).toMatchObject({ valid: true, stale: [1], staleCount: 1 });
    expect(checkSet(h, { linearizable: true })).toMatchObject({ valid: false, stale: [1] });
    expect(checkSet(h).staleDetails[0]).toMatchObject({ element: 1, readsMissing: 1 });
  });

  it('does not count a read that began before the add completed as missing', () => {
    // read invoked, add invoked and acknowledged, read completes without it: concurrent, fine.
    const h = new HistoryBuilder().invoke(1, 'read', null).add(0, 1).ok(1, 'read', []).read(1, [1]).ops;
    const r = checkSet(h, { linearizable: true });
    expect(r.valid).toBe(true);
    expect(r.staleCount).toBe(0);
  });

  it('is not lost when a concurrent later-completing read still sees it', () => {
    // read A (sees 1) invoked, read B invoked and misses 1, A completes after B was invoked.
    const h = new HistoryBuilder()
      .add(0, 1)
      .invoke(1, 'read', null)
      .invoke(2, 'read', null)
      .ok(2, 'read', [])
      .ok(1, 'read', [1]).ops;
    const r = checkSet(h);
    expect(r.lostCount).toBe(0);
    expect(r.staleCount).toBe(1);
  });

  it('names acknowledged elements no read came after as never-read', () => {
    const h = new HistoryBuilder().read(0, []).add(0, 1).ops;
    const r = checkSet(h);
    expect(r).toMatchObject({ valid: true, neverRead: [1], neverReadCount: 1 });
  });

  it('is unknown without any ok read', () => {
    const h = new HistoryBuilder().add(0, 1).invoke(1, 'read', null).fail(1, 'read').ops;
    const r = checkSet(h);
    expect(r.valid).toBe('unknown');
    expect(r.error).toMatch(/no read/);
  });

  it('reports elements duplicated within a read', () => {
    const r = checkSet(new HistoryBuilder().add(0, 1).read(0, [1, 1]).ops);
    expect(r.duplicated).toEqual([1]);
    expect(r.valid).toBe(true);
  });

  it('measures the stable latency from add invocation to the first read that always saw it', () => {
    const r = checkSet(new HistoryBuilder().add(0, 1).read(0, [1]).ops);
    // add invoked at op 0 (0 ms), read invoked at op 2 (2 ms).
    expect(r.stableLatencyMs).toEqual({ count: 1, p50: 2, p90: 2, p99: 2, max: 2 });
  });

  it('rejects a read whose value is not an array, and unknown fs', () => {
    expect(() => checkSet(new HistoryBuilder().invoke(0, 'read', null).ok(0, 'read', 3).ops)).toThrow(
      MalformedHistoryError,
    );
    expect(() => checkSet(new HistoryBuilder().invoke(0, 'write', 1).ok(0, 'write', 1).ops)).toThrow(
      /knows f add and read/,
    );
  });

  it('ignores nemesis ops, and setChecker wraps checkSet', async () => {
    const h = new HistoryBuilder().add(0, 1).read(0, [1]).ops;
    h.splice(1, 0, { index: 1, time: 0, type: 'info', process: 'nemesis', f: 'start-partition', value: null });
    expect((await setChecker().check(h)).valid).toBe(true);
  });
});

/**
 * A model: a sequential set. Adds are ok (applied), fail (not applied) or
 * info (applied or not); reads return the model's exact contents.
 */
type Step = { kind: 'add'; outcome: 'ok' | 'fail' | 'info'; applied: boolean } | { kind: 'read' };
const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({
    kind: fc.constant('add' as const),
    outcome: fc.constantFrom('ok' as const, 'fail' as const, 'info' as const),
    applied: fc.boolean(),
  }),
  fc.constant({ kind: 'read' as const }),
);

function modelHistory(steps: Step[]): { ops: Op[]; acknowledged: number[]; contents: Set<number> } {
  const b = new HistoryBuilder();
  const contents = new Set<number>();
  const acknowledged: number[] = [];
  let next = 0;
  let process = 0;
  for (const step of steps) {
    if (step.kind === 'read') {
      b.read(process, [...contents]);
      continue;
    }
    const x = next++;
    b.invoke(process, 'add', x);
    if (step.outcome === 'ok') {
      contents.add(x);
      acknowledged.push(x);
      b.ok(process, 'add', x);
    } else if (step.outcome === 'fail') {
      b.fail(process, 'add', x);
    } else {
      if (step.applied) contents.add(x);
      b.info(process, 'add', x);
      process++; // a fresh process after info
    }
  }
  b.read(process, [...contents]); // the final read
  return { ops: b.ops, acknowledged, contents };
}

describe('set checker: properties against a sequential set', () => {
  it('a correct history is valid, with nothing lost, unexpected or stale', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), (steps) => {
        const { ops, acknowledged } = modelHistory(steps);
        const r = checkSet(ops, { linearizable: true });
        expect(r.valid).toBe(true);
        expect(r.lostCount + r.unexpectedCount + r.staleCount).toBe(0);
        expect(r.acknowledgedCount).toBe(acknowledged.length);
        expect(r.stableCount).toBeGreaterThanOrEqual(acknowledged.length);
      }),
    );
  });

  it('dropping an acknowledged element from the final read makes it lost', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), fc.nat(), (steps, pick) => {
        const { ops, acknowledged } = modelHistory(steps);
        fc.pre(acknowledged.length > 0);
        const victim = acknowledged[pick % acknowledged.length]!;
        const final = ops[ops.length - 1]!;
        final.value = (final.value as number[]).filter((x) => x !== victim);
        const r = checkSet(ops);
        expect(r.valid).toBe(false);
        expect(r.lost).toEqual([victim]);
      }),
    );
  });

  it('an element in a read that was never added, or whose add failed, is unexpected', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 60 }), fc.nat(), (steps, pick) => {
        const { ops } = modelHistory(steps);
        const failed = ops.filter((op) => op.type === 'fail').map((op) => op.value as number);
        const intruder = failed.length > 0 && pick % 2 === 0 ? failed[pick % failed.length]! : 1_000_000;
        const reads = ops.filter((op) => op.type === 'ok' && op.f === 'read');
        const target = reads[pick % reads.length]!;
        target.value = [...(target.value as number[]), intruder];
        const r = checkSet(ops);
        expect(r.valid).toBe(false);
        expect(r.unexpected).toEqual([intruder]);
      }),
    );
  });
});
