/**
 * Properties of the linearizability checker, with fast-check:
 * (a) on random small histories it agrees with a brute-force oracle;
 * (b) histories of a simulated real object are always linearizable;
 * (c) the evidence for false is itself checkable.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json, Op } from '../../harness/history/op.js';
import { seededRng } from '../../harness/history/random.js';
import { ILLEGAL } from '../models/model.js';
import { getModel } from '../models/registry.js';
import { checkLinearizable } from './index.js';
import type { OpSummary } from './result.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { oracle as bruteForce, casRegisterStep } from './testing/oracle.js';
import {
  casRegisterObject,
  fifoQueueObject,
  kvObject,
  mutexObject,
  type SimObject,
  setObject,
  simulateHistory,
} from './testing/simulate.js';

/** Uniform numbers in [0, 1) from a seed. */
const seededRngNext = (seed: number): (() => number) => seededRng(seed).next;

// ---- random small cas-register histories ------------------------------------

type Command = { process: number; kind: number; a: number; b: number; completion: 'ok' | 'fail' | 'info' };

const commandArb = fc.record({
  process: fc.integer({ min: 0, max: 5 }),
  kind: fc.integer({ min: 0, max: 2 }),
  a: fc.integer({ min: 0, max: 2 }),
  b: fc.integer({ min: 0, max: 2 }),
  completion: fc.constantFrom<'ok' | 'fail' | 'info'>('ok', 'ok', 'ok', 'fail', 'info'),
});

/** Interprets commands: a process with nothing pending invokes, otherwise it completes. Leftovers stay open. */
function buildHistory(commands: Command[]): Op[] {
  const h = new HistoryBuilder();
  const pending = new Map<number, { f: string; a: number }>();
  const rename = new Map<number, number>(); // after info a process continues under a fresh id
  let fresh = 100;
  for (const c of commands) {
    const process = rename.get(c.process) ?? c.process;
    const op = pending.get(process);
    if (!op) {
      const f = ['read', 'write', 'cas'][c.kind]!;
      pending.set(process, { f, a: c.a });
      h.invoke(process, f, f === 'read' ? null : f === 'write' ? c.a : [c.a, c.b]);
      continue;
    }
    pending.delete(process);
    if (c.completion === 'ok') h.ok(process, op.f === 'read' ? c.b : undefined);
    else if (c.completion === 'fail') h.fail(process);
    else {
      h.info(process);
      rename.set(c.process, fresh++);
    }
  }
  return h.ops;
}

const oracle = (history: Op[], initial: number): boolean => bruteForce(history, initial, casRegisterStep);

const historyArb = fc.array(commandArb, { minLength: 1, maxLength: 16 }).map(buildHistory);

describe('properties', () => {
  it('(a) agrees with a brute-force oracle on random small histories', async () => {
    let invalid = 0;
    await fc.assert(
      fc.asyncProperty(historyArb, async (history) => {
        const result = await checkLinearizable(history, { model: 'cas-register', initial: 0 });
        if (result.valid === false) invalid++;
        expect(result.valid).toBe(oracle(history, 0));
      }),
      { numRuns: 600 },
    );
    expect(invalid).toBeGreaterThan(50); // the property exercised both verdicts
  });

  // [model, object, initial, max crash rate, max clients, max ops]
  const objects: [string, () => SimObject, Json, number, number, number][] = [
    ['cas-register', () => casRegisterObject(0, 3), 0, 0.3, 6, 60],
    ['kv', () => kvObject(3), null, 0.3, 6, 60],
    // FIFO queues are exponential for the search (every order of concurrent
    // enqueues is a different state until dequeues tell them apart): keep small.
    ['fifo-queue', fifoQueueObject, [], 0.3, 3, 16],
    ['unordered-queue', fifoQueueObject, [], 0, 6, 60], // its model drops open dequeues (see queue.ts)
    ['set', setObject, [], 0.3, 6, 60],
    ['mutex', mutexObject, false, 0.3, 6, 60],
  ];
  for (const [model, object, initial, maxCrashRate, maxClients, maxOps] of objects) {
    it(`(b) a simulated ${model} always gives a linearizable history`, async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: maxClients }),
          fc.integer({ min: 1, max: maxOps }),
          fc.double({ min: 0, max: maxCrashRate, noNaN: true }),
          fc.integer(),
          async (clients, ops, crashRate, seed) => {
            const random = seededRngNext(seed);
            const history = simulateHistory({ object: object(), clients, ops, crashRate, random });
            const result = await checkLinearizable(history, { model, initial });
            expect(result.valid).toBe(true);
          },
        ),
        { numRuns: 150 },
      );
    });
  }

  it('(c) the evidence for false is checkable', async () => {
    const model = getModel('cas-register', { initial: 0 });
    const asOp = (s: OpSummary) => ({ f: s.f, value: s.value, outcome: s.outcome });
    let checked = 0;
    await fc.assert(
      fc.asyncProperty(historyArb, async (history) => {
        const result = await checkLinearizable(history, { model: 'cas-register', initial: 0 });
        if (result.valid !== false) return;
        checked++;
        const { failure } = result;
        const okOps = history.flatMap((op, i) => (op.type === 'ok' ? [{ i, op }] : []));
        for (const partial of failure.partials) {
          expect(partial.omittedSteps ?? 0).toBe(0);
          expect(partial.stateBefore).toEqual(model.stateJson(model.init()));
          let state: unknown = model.init();
          const seen = new Set<number>();
          for (const step of partial.steps) {
            // Every ok op that completed before this one was invoked comes earlier in the partial.
            for (const { i } of okOps) {
              if (i < step.op.invokeIndex) {
                const before = partial.steps.find((s) => s.op.completeIndex === i);
                if (before) expect(seen.has(before.op.invokeIndex)).toBe(true);
              }
            }
            const next = model.step(state, asOp(step.op));
            expect(next).not.toBe(ILLEGAL);
            state = next;
            expect(model.stateJson(state)).toEqual(step.state);
            seen.add(step.op.invokeIndex);
          }
          // Every ok op that returned before the failed op was invoked is in the partial ...
          for (const { i } of okOps) {
            if (i < failure.failedOp.invokeIndex) {
              const inPartial = partial.steps.some((s) => s.op.completeIndex === i);
              const isFailed = failure.failedOp.completeIndex === i;
              expect(inPartial || isFailed).toBe(true);
            }
          }
          // ... the failed op is not, and it cannot go next.
          expect(partial.steps.some((s) => s.op.invokeIndex === failure.failedOp.invokeIndex)).toBe(false);
          expect(model.step(state, asOp(failure.failedOp))).toBe(ILLEGAL);
        }
        expect(failure.partials.length).toBeGreaterThan(0);
        expect(failure.failedOp.outcome).toBe('ok');
      }),
      { numRuns: 600 },
    );
    expect(checked).toBeGreaterThan(50);
  });
});
