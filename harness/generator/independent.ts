/**
 * Independent keys, in the spirit of jepsen.independent/concurrent-generator:
 * the client threads are split into groups of `threadsPerKey`; each group
 * works on one key at a time with its own generator `fn(key)`; when that
 * generator is done (or has emitted `opsPerKey` ops) the group takes the next
 * unused key. Every op carries its `key`, so a checker can judge each key's
 * sub-history on its own. Done when the keys run out and every group is done.
 */

import { UserError } from '../errors.js';
import type { Json } from '../history/op.js';
import { eventThread, NEMESIS, restrictContext } from './context.js';
import { DONE, earliest, type GenLike, opStep, pending, toGen } from './core.js';
import type { GenContext, Generator, GenOp, Thread } from './generator.js';
import { limit } from './limits.js';

export interface IndependentOptions {
  /** Threads working on one key at the same time. Client threads must be a multiple of it. */
  threadsPerKey: number;
  /** The keys, in order; may be endless (a generator function's result). Each is used once. */
  keys: Iterable<Json>;
  /** Cap on the ops each key gets; unlimited when absent (then `fn(key)` must end). */
  opsPerKey?: number;
  /** The generator for one key; its ops get `key` set. */
  fn: (key: Json) => GenLike;
}

/** After this many keys in a row whose generator is empty at once, give up (a bug in `fn`). */
const MAX_EMPTY_KEYS = 1000;

/**
 * Throws a UserError (on the first op) when the number of client threads is
 * not a multiple of threadsPerKey (none at all is fine: then it is done); a RangeError for a bad threadsPerKey
 * or opsPerKey.
 */
export function independentConcurrent(options: IndependentOptions): Generator {
  const { threadsPerKey, opsPerKey } = options;
  if (!Number.isInteger(threadsPerKey) || threadsPerKey < 1) {
    throw new RangeError(`threadsPerKey must be a positive integer, got ${threadsPerKey}`);
  }
  if (opsPerKey !== undefined && (!Number.isInteger(opsPerKey) || opsPerKey < 1)) {
    throw new RangeError(`opsPerKey must be a positive integer, got ${opsPerKey}`);
  }
  const shared: Shared = {
    keys: new KeyList(options.keys),
    make: (key) => (opsPerKey === undefined ? toGen(options.fn(key)) : limit(opsPerKey, options.fn(key))),
    threadsPerKey,
    layout: undefined,
  };
  return independentFrom(shared, undefined);
}

interface Group {
  key: Json;
  gen: Generator;
}

interface State {
  /** undefined: this group has no key left. */
  groups: readonly (Group | undefined)[];
  /** Position in the key list of the next unused key. */
  nextKey: number;
}

interface Layout {
  threads: readonly Thread[];
  groups: readonly (readonly Thread[])[];
  sets: readonly ReadonlySet<Thread>[];
  groupOf: ReadonlyMap<Thread, number>;
}

interface Shared {
  keys: KeyList;
  make: (key: Json) => Generator;
  threadsPerKey: number;
  layout: Layout | undefined;
}

function layoutFor(shared: Shared, ctx: GenContext): Layout {
  if (shared.layout && shared.layout.threads === ctx.threads) return shared.layout;
  const clientThreads = ctx.threads.filter((t) => t !== NEMESIS);
  const n = shared.threadsPerKey;
  // No client threads at all (e.g. inside `nemesis`): no groups, so done at once.
  if (clientThreads.length % n !== 0) {
    throw new UserError(
      `concurrency ${clientThreads.length} must be a positive multiple of threadsPerKey ${n} (independent keys)`,
      { where: 'concurrency' },
    );
  }
  const groups: Thread[][] = [];
  for (let i = 0; i < clientThreads.length; i += n) groups.push(clientThreads.slice(i, i + n));
  const groupOf = new Map<Thread, number>();
  groups.forEach((g, i) => {
    for (const t of g) groupOf.set(t, i);
  });
  shared.layout = { threads: ctx.threads, groups, sets: groups.map((g) => new Set(g)), groupOf };
  return shared.layout;
}

/** A fresh group on the next key whose generator is not empty at once, or undefined when keys run out. */
function freshGroup(
  shared: Shared,
  ctx: GenContext,
  layout: Layout,
  g: number,
  state: { nextKey: number },
): {
  group: Group | undefined;
  step: ReturnType<Generator['op']> | undefined;
} {
  for (let tries = 0; tries < MAX_EMPTY_KEYS; tries++) {
    const next = shared.keys.at(state.nextKey);
    if (!next.present) return { group: undefined, step: undefined };
    state.nextKey++;
    const gen = shared.make(next.key);
    const step = gen.op(groupCtx(ctx, layout, g));
    if (step.kind !== 'done') return { group: { key: next.key, gen }, step };
  }
  throw new Error(`independentConcurrent: ${MAX_EMPTY_KEYS} keys in a row got an empty generator from fn(key)`);
}

function groupCtx(ctx: GenContext, layout: Layout, g: number): GenContext {
  return restrictContext(ctx, layout.groups[g]!, layout.sets[g]!);
}

function initialState(shared: Shared, layout: Layout): State {
  const groups: (Group | undefined)[] = [];
  let nextKey = 0;
  for (let g = 0; g < layout.groups.length; g++) {
    const k = shared.keys.at(nextKey);
    if (!k.present) {
      groups.push(undefined);
      continue;
    }
    nextKey++;
    groups.push({ key: k.key, gen: shared.make(k.key) });
  }
  return { groups, nextKey };
}

function independentFrom(shared: Shared, state: State | undefined): Generator {
  return {
    op(ctx) {
      const layout = layoutFor(shared, ctx);
      const current = state ?? initialState(shared, layout);
      const groups = current.groups.slice();
      const keyState = { nextKey: current.nextKey };

      const candidates: number[] = [];
      const seen = new Set<number>();
      for (const t of ctx.freeThreads) {
        const g = layout.groupOf.get(t);
        if (g !== undefined && !seen.has(g)) {
          seen.add(g);
          candidates.push(g);
        }
      }
      candidates.sort((a, b) => a - b);

      let chosen: { g: number; op: GenOp; group: Group } | undefined;
      let wake: number | undefined;
      const offset = candidates.length > 1 ? ctx.rng.int(candidates.length) : 0;
      for (let k = 0; k < candidates.length; k++) {
        const g = candidates[(k + offset) % candidates.length]!;
        let group = groups[g];
        if (group === undefined) continue;
        let step = group.gen.op(groupCtx(ctx, layout, g));
        if (step.kind === 'done') {
          const fresh = freshGroup(shared, ctx, layout, g, keyState);
          groups[g] = fresh.group;
          if (fresh.group === undefined || fresh.step === undefined) continue;
          group = fresh.group;
          step = fresh.step;
        }
        if (step.kind === 'done') continue;
        if (step.kind === 'pending') {
          groups[g] = { key: group.key, gen: step.next };
          wake = earliest(wake, step.wakeAt);
          continue;
        }
        groups[g] = group; // a fresh key is kept even when another group's op wins
        if (!chosen || step.op.time < chosen.op.time) {
          chosen = { g, op: { ...step.op, key: group.key }, group: { key: group.key, gen: step.next } };
          if (step.op.time <= ctx.time) break;
        }
      }
      if (!chosen) {
        // Nothing to run yet: a busy group whose generator is done while no
        // key is left is done now (not only once its threads are free).
        const asked = new Set(candidates);
        for (let g = 0; g < groups.length; g++) {
          const group = groups[g];
          if (group === undefined || asked.has(g)) continue;
          const step = group.gen.op(groupCtx(ctx, layout, g));
          if (step.kind === 'done' && !shared.keys.at(keyState.nextKey).present) groups[g] = undefined;
          else if (step.kind === 'pending') {
            groups[g] = { key: group.key, gen: step.next };
            wake = earliest(wake, step.wakeAt);
          }
        }
      }
      const nextState = (): State => ({ groups, nextKey: keyState.nextKey });
      // A group that wakes up before the chosen op is due may have an earlier op then: wait for it.
      if (chosen && (wake === undefined || wake > chosen.op.time)) {
        groups[chosen.g] = chosen.group;
        return opStep(chosen.op, independentFrom(shared, nextState()));
      }
      if (!chosen && groups.every((g) => g === undefined)) return DONE;
      return pending(independentFrom(shared, nextState()), wake);
    },
    update(ctx, event) {
      if (state === undefined) return this;
      const layout = layoutFor(shared, ctx);
      const thread = eventThread(ctx, event.process);
      const g = thread === undefined ? undefined : layout.groupOf.get(thread);
      if (g === undefined) return this;
      const group = state.groups[g];
      // Late events of a key the group has already left are not its business.
      if (group === undefined || !sameKey(group.key, event.key)) return this;
      const groups = state.groups.slice();
      groups[g] = { key: group.key, gen: group.gen.update(groupCtx(ctx, layout, g), event) };
      return independentFrom(shared, { groups, nextKey: state.nextKey });
    },
  };
}

function sameKey(a: Json, b: Json | undefined): boolean {
  if (a === b) return true;
  if (b === undefined || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * The keys as an append-only list read lazily from the iterable, so every
 * generator value that shares it sees the same key at the same position
 * (generators stay values even though an iterator is not).
 */
class KeyList {
  private readonly seen: Json[] = [];
  private iterator: Iterator<Json> | undefined;
  private ended = false;

  constructor(private readonly source: Iterable<Json>) {}

  at(i: number): { present: true; key: Json } | { present: false } {
    while (this.seen.length <= i && !this.ended) {
      this.iterator ??= this.source[Symbol.iterator]();
      const r = this.iterator.next();
      if (r.done) this.ended = true;
      else this.seen.push(r.value);
    }
    return i < this.seen.length ? { present: true, key: this.seen[i]! } : { present: false };
  }
}
