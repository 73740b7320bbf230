import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Op } from '../history/op.js';
import { OUTCOME, opColumns } from './ops.js';
import { syntheticRun } from './synthetic.js';

describe('opColumns', () => {
  it('pairs invocations with completions and keeps open ops open', () => {
    const history = [
      { index: 0, type: 'invoke', process: 1, f: 'write', value: 3, time: 1000 },
      { index: 1, type: 'invoke', process: 2, f: 'read', value: null, time: 2000 },
      { index: 2, type: 'ok', process: 2, f: 'read', value: '<b>7</b>', time: 5000, node: 'n2' },
    ] as Op[];
    const { columns, elided } = opColumns(history);
    expect(elided).toEqual([]);
    expect(columns.invoke).toEqual([1, 2]);
    expect(columns.complete).toEqual([-1, 5]);
    expect(columns.type).toEqual([OUTCOME.open, OUTCOME.ok]);
    expect(columns.text).toEqual(['write 3', 'read <b>7</b>']);
    expect(columns.fs).toEqual(['write', 'read']);
    // The node that served each op, from its completion (none for the open write).
    expect(columns.node).toEqual([-1, 0]);
    expect(columns.nodes).toEqual(['n2']);
  });

  it('never puts overlapping ops in the same lane', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 50, max: 400 }),
        fc.integer({ min: 1, max: 8 }),
        (seed, ops, concurrency) => {
          const { columns } = opColumns(syntheticRun({ ops, concurrency, seed }).history);
          const byLane = new Map<number, [number, number][]>();
          columns.invoke.forEach((start, i) => {
            const lane = columns.processLane[columns.proc[i]!]!;
            const end = columns.complete[i]! < 0 ? Infinity : columns.complete[i]!;
            byLane.set(lane, [...(byLane.get(lane) ?? []), [start, end]]);
          });
          for (const spans of byLane.values()) {
            spans.sort((a, b) => a[0] - b[0]);
            for (let k = 1; k < spans.length; k++) expect(spans[k]![0]).toBeGreaterThanOrEqual(spans[k - 1]![1]);
          }
          expect(columns.lanes).toBeLessThanOrEqual(columns.processes.length);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('samples ok ops past maxOps, keeps every other op, and says so', () => {
    const { history } = syntheticRun({ ops: 3000, seed: 7 });
    const full = opColumns(history).columns;
    const notOk = full.type.filter((t) => t !== OUTCOME.ok).length;
    const { columns, elided } = opColumns(history, { maxOps: notOk + 100, textBudget: 1000 });
    expect(columns.invoke.length).toBeLessThanOrEqual(notOk + 101);
    expect(columns.type.filter((t) => t !== OUTCOME.ok).length).toBe(notOk);
    expect(columns.text).toBeNull();
    expect(elided).toHaveLength(2);
    expect(elided[0]).toMatch(/of 3000 ops/);
  });
});
