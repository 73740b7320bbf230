/**
 * The unique-value fast path against the brute-force oracle and the general
 * search, on random histories whose values are unique (so the fast path
 * decides them), and its evidence checked step by step like the search's.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Json, Op } from '../../harness/history/op.js';
import { pairHistory } from '../../harness/history/pair.js';
import { seededRng } from '../../harness/history/random.js';
import { ILLEGAL } from '../models/model.js';
import { getModel } from '../models/registry.js';
import { splitByKey } from './check.js';
import { checkLinearizable } from './index.js';
import type { LinearizableResult, OpSummary } from './result.js';
import { HistoryBuilder } from './testing/history-builder.js';
import { kvHistory } from './testing/kv-history.js';
import { casRegisterStep, kvStep, oracle } from './testing/oracle.js';
import { kvObject, simulateHistory } from './testing/simulate.js';
import { decideKeyByUniqueValues } from './unique-key.js';

// ---- random cas-register histories with unique values ------------------------

type Command = { process: number; kind: number; pick: number; completion: 'ok' | 'fail' | 'info' };

const commandArb = fc.record({
  process: fc.integer({ min: 0, max: 4 }),
  kind: fc.integer({ min: 0, max: 2 }),
  pick: fc.nat(),
  completion: fc.constantFrom<'ok' | 'fail' | 'info'>('ok', 'ok', 'ok', 'fail', 'info'),
});

/**
 * Writes and cas targets are fresh values (1, 2, ...); a cas's expected value
 * and a read's value are picked among 0 (the initial value), the values
 * written so far and one never written (99).
 */
function uniqueCasHistory(commands: Command[]): Op[] {
  const h = new HistoryBuilder();
  const pending = new Map<number, string>();
  const rename = new Map<number, number>();
  let fresh = 100;
  let next = 1;
  const known = (pick: number): number =>
    [0, 99, ...Array.from({ length: next - 1 }, (_, i) => i + 1)][pick % (next + 1)]!;
  for (const c of commands) {
    const process = rename.get(c.process) ?? c.process;
    const f = pending.get(process);
    if (f === undefined) {
      const op = ['read', 'write', 'cas'][c.kind]!;
      pending.set(process, op);
      h.invoke(process, op, op === 'read' ? null : op === 'write' ? next++ : [known(c.pick), next++]);
      continue;
    }
    pending.delete(process);
    if (c.completion === 'ok') h.ok(process, f === 'read' ? known(c.pick) : undefined);
    else if (c.completion === 'fail') h.fail(process);
    else {
      h.info(process);
      rename.set(c.process, fresh++);
    }
  }
  return h.ops;
}

const casArb = fc.array(commandArb, { minLength: 1, maxLength: 14 }).map(uniqueCasHistory);
const register = { model: 'cas-register', initial: 0 } as const;

// ---- random one-key kv histories: a simulated store, then maybe a get changed ---

/** A simulated kv key (unique puts and appended tokens), with one get's value replaced by another get's when `mutate`. */
function kvKeyHistory(seed: number, clients: number, ops: number, crashRate: number, mutate: boolean): Op[] {
  const random = seededRng(seed);
  const history = simulateHistory({ object: kvObject(1), clients, ops, crashRate, random: random.next });
  if (!mutate) return history;
  const gets = history.filter((op) => op.type === 'ok' && op.f === 'get');
  if (gets.length < 1) return history;
  const values: Json[] = [null, ...gets.map((g) => g.value ?? null)];
  const target = gets[random.int(gets.length)]!;
  const choice = values[random.int(values.length)]!;
  // Sometimes drop the last character too: a string that no sequence of ops makes.
  const value = typeof choice === 'string' && random.next() < 0.2 ? choice.slice(0, -1) : choice;
  return history.map((op) => (op === target ? { ...op, value } : op));
}

// ---- the fast path on its own ---------------------------------------------------

/**
 * What the fast path alone says about a one-key history: valid, invalid, or
 * search (values it cannot use). It never hands a key on because its own
 * answer failed to check out (that would be a bug the checker hides).
 */
function fastVerdict(history: Op[], model: string, initial: Json): boolean | 'search' {
  const m = getModel(model, { initial });
  const keys = splitByKey(m, pairHistory(history));
  if (keys.length === 0) return true;
  const outcome = decideKeyByUniqueValues(m, keys[0]!);
  if (outcome.kind === 'search') {
    expect(outcome.reason).not.toMatch(/^the fast path/);
    return 'search';
  }
  return outcome.kind === 'valid';
}

// ---- evidence ---------------------------------------------------------------

/** The evidence of a false result is a legal partial linearization after which the failed op cannot go. */
function expectCheckableEvidence(result: LinearizableResult, history: Op[], model: string, initial: Json): void {
  if (result.valid !== false) return;
  const m = getModel(model, { initial });
  const asOp = (s: OpSummary) => ({ f: s.f, value: s.value, outcome: s.outcome });
  const { failure } = result;
  expect(failure.partials.length).toBeGreaterThan(0);
  for (const partial of failure.partials) {
    let state: unknown = m.init();
    const placed = new Set<number>();
    let latestInvoke = -1;
    for (const step of partial.steps) {
      const next = m.step(state, asOp(step.op));
      expect(next).not.toBe(ILLEGAL);
      state = next;
      expect(m.stateJson(state)).toEqual(step.state);
      // Real time: nothing placed earlier was invoked after this op returned.
      if (step.op.completeIndex !== undefined) expect(step.op.completeIndex).toBeGreaterThan(latestInvoke);
      latestInvoke = Math.max(latestInvoke, step.op.invokeIndex);
      placed.add(step.op.invokeIndex);
    }
    // Every ok op of the key that returned before the failed op was invoked is in the partial ...
    for (const [i, op] of history.entries()) {
      if (op.type !== 'ok' || op.key !== failure.key || i >= failure.failedOp.invokeIndex) continue;
      if (failure.failedOp.completeIndex === i) continue;
      const invoke = history.findLastIndex((o, j) => j < i && o.type === 'invoke' && o.process === op.process);
      expect(placed.has(invoke)).toBe(true);
    }
    // ... and the failed op cannot go next.
    expect(placed.has(failure.failedOp.invokeIndex)).toBe(false);
    expect(m.step(state, asOp(failure.failedOp))).toBe(ILLEGAL);
  }
  expect(failure.failedOp.outcome).toBe('ok');
}

describe('the unique-value fast path', () => {
  it('agrees with the brute-force oracle on random cas-register histories with unique values', async () => {
    const seen = { decided: 0, invalid: 0 };
    await fc.assert(
      fc.asyncProperty(casArb, async (history) => {
        const expected = oracle(history, 0, casRegisterStep);
        const fast = fastVerdict(history, 'cas-register', 0);
        if (fast !== 'search') {
          seen.decided++;
          if (!fast) seen.invalid++;
          expect(fast).toBe(expected);
        }
        const result = await checkLinearizable(history, register);
        expect(result.valid).toBe(expected);
        expectCheckableEvidence(result, history, 'cas-register', 0);
      }),
      { numRuns: 800 },
    );
    expect(seen.decided).toBeGreaterThan(600); // the fast path decided most of them ...
    expect(seen.invalid).toBeGreaterThan(100); // ... and both verdicts came up
  });

  it('agrees with the general search on the same histories', async () => {
    await fc.assert(
      fc.asyncProperty(casArb, async (history) => {
        const fast = fastVerdict(history, 'cas-register', 0);
        const searched = await checkLinearizable(history, { ...register, fastPath: false });
        if (fast !== 'search') expect(fast).toBe(searched.valid);
      }),
      { numRuns: 400 },
    );
  });

  it('agrees with the brute-force oracle on random kv keys (put, append, get)', async () => {
    const seen = { decided: 0, invalid: 0 };
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        fc.integer({ min: 1, max: 4 }),
        fc.integer({ min: 1, max: 8 }),
        fc.constantFrom(0, 0.3),
        fc.boolean(),
        async (seed, clients, ops, crashRate, mutate) => {
          const history = kvKeyHistory(seed, clients, ops, crashRate, mutate);
          const expected = oracle(history, null, kvStep);
          const fast = fastVerdict(history, 'kv', null);
          if (fast !== 'search') {
            seen.decided++;
            if (!fast) seen.invalid++;
            expect(fast).toBe(expected);
          }
          const result = await checkLinearizable(history, { model: 'kv' });
          expect(result.valid).toBe(expected);
          expectCheckableEvidence(result, history, 'kv', null);
        },
      ),
      { numRuns: 800 },
    );
    expect(seen.decided).toBeGreaterThan(700);
    expect(seen.invalid).toBeGreaterThan(50);
  });

  it('agrees with the general search on bigger kv keys where the search finishes', async () => {
    let compared = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer(),
        fc.integer({ min: 2, max: 8 }),
        fc.integer({ min: 10, max: 60 }),
        fc.boolean(),
        async (seed, clients, ops, mutate) => {
          const history = kvKeyHistory(seed, clients, ops, 0.1, mutate);
          const searched = await checkLinearizable(history, { model: 'kv', fastPath: false, timeoutMs: 2000 });
          if (searched.valid === 'unknown') return;
          compared++;
          const fast = fastVerdict(history, 'kv', null);
          if (fast !== 'search') expect(fast).toBe(searched.valid);
          const result = await checkLinearizable(history, { model: 'kv' });
          expect(result.valid).toBe(searched.valid);
          expectCheckableEvidence(result, history, 'kv', null);
        },
      ),
      { numRuns: 300 },
    );
    expect(compared).toBeGreaterThan(250);
  });

  it('decides realistic many-client histories, valid and invalid, with the initial value ""', async () => {
    for (const seed of [1, 2, 3]) {
      const valid = kvHistory({ seed, clients: 50, keys: 10, ops: 1700, crashRate: 0.01 });
      expect(await checkLinearizable(valid, { model: 'kv', initial: '' })).toMatchObject({
        valid: true,
        keys: 10,
        keysByUniqueValues: 10,
      });
      const invalid = kvHistory({ seed, clients: 50, keys: 10, ops: 1700, invalid: true });
      const result = await checkLinearizable(invalid, { model: 'kv', initial: '' });
      expect(result.valid).toBe(false);
      expectCheckableEvidence(result, invalid, 'kv', '');
    }
  });

  it('leaves keys whose values repeat to the search', async () => {
    const h = new HistoryBuilder().invoke(0, 'write', 1).ok(0).invoke(1, 'write', 1).ok(1).invoke(0, 'read').ok(0, 1);
    expect(await checkLinearizable(h.ops, register)).toMatchObject({ valid: true, keysByUniqueValues: 0 });
    const puts = kvHistory({ seed: 5, clients: 10, keys: 2, ops: 200, uniquePuts: false });
    const result = await checkLinearizable(puts, { model: 'kv', initial: '' });
    expect(result.valid).toBe(true);
    expect(result.keysByUniqueValues).toBeLessThan(2);
  });
});
