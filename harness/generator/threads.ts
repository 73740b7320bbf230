/**
 * Routing ops to threads: clients, nemesis, eachThread, reserve.
 *
 * All four are one mechanism, `grouped`: the context's threads are split into
 * groups, each group runs its own generator and sees only its own threads
 * (a template op there can only land on one of them), and each event goes to
 * the generator of the thread it happened on.
 */

import { eventThread, NEMESIS, restrictContext, singleThreadContext } from './context.js';
import { DONE, earliest, type GenLike, opStep, pending, toGen } from './core.js';
import type { GenContext, Generator, GenOp, Thread } from './generator.js';

interface Layout {
  groups: readonly (readonly Thread[])[];
  sets: readonly ReadonlySet<Thread>[];
  groupOf: ReadonlyMap<Thread, number>;
}

type Partition = (threads: readonly Thread[]) => Thread[][];

/**
 * Remembers the layout for the last thread list seen. Shared (invisibly) by a
 * generator and its successors so the split is not recomputed for every op.
 */
class LayoutCache {
  private input: readonly Thread[] | undefined;
  private layout: Layout | undefined;
  constructor(private readonly partition: Partition) {}

  get(threads: readonly Thread[]): Layout {
    if (this.layout && this.input === threads) return this.layout;
    const groups = this.partition(threads);
    const groupOf = new Map<Thread, number>();
    groups.forEach((group, g) => {
      for (const t of group) groupOf.set(t, g);
    });
    this.input = threads;
    this.layout = { groups, sets: groups.map((group) => new Set(group)), groupOf };
    return this.layout;
  }
}

function groupContext(ctx: GenContext, layout: Layout, g: number, knownFree?: boolean): GenContext {
  const threads = layout.groups[g]!;
  if (threads.length === 1) return singleThreadContext(ctx, threads[0]!, knownFree);
  return restrictContext(ctx, threads, layout.sets[g]!);
}

/**
 * Splits the threads with `partition` and runs `initial(g)` on group g.
 * Groups without threads are done from the start. Done when every group's
 * generator is done; pending when none has an op.
 *
 * Groups with a free thread are asked for ops, from a random starting group
 * (ctx.rng); the first op that is due now is taken, so equally ready groups
 * share the load; otherwise the soonest op wins. When none has an op, the
 * busy groups are asked too (to learn which are done).
 */
export function grouped(partition: Partition, initial: (group: number) => Generator): Generator {
  return groupedFrom(new LayoutCache(partition), initial, undefined);
}

function groupedFrom(
  cache: LayoutCache,
  initial: (group: number) => Generator,
  gens: readonly (Generator | undefined)[] | undefined,
): Generator {
  const init = (layout: Layout) =>
    gens ?? layout.groups.map((threads, g) => (threads.length === 0 ? undefined : initial(g)));

  return {
    op(ctx) {
      const layout = cache.get(ctx.threads);
      const current = init(layout);
      const candidates = groupsWithFreeThreads(ctx, layout, current);
      const next = current.slice();
      let chosen: { g: number; op: GenOp; next: Generator } | undefined;
      let wake: number | undefined;
      const offset = candidates.length > 1 ? ctx.rng.int(candidates.length) : 0;
      for (let k = 0; k < candidates.length; k++) {
        const g = candidates[(k + offset) % candidates.length]!;
        const step = current[g]!.op(groupContext(ctx, layout, g, true));
        if (step.kind === 'done') next[g] = undefined;
        else if (step.kind === 'pending') {
          next[g] = step.next;
          wake = earliest(wake, step.wakeAt);
        } else if (!chosen || step.op.time < chosen.op.time) {
          chosen = { g, op: step.op, next: step.next };
          if (step.op.time <= ctx.time) break;
        }
      }
      // A child that wakes up before the chosen op is due may have an earlier op then: wait for it.
      if (chosen && (wake === undefined || wake > chosen.op.time)) {
        next[chosen.g] = chosen.next;
        return opStep(chosen.op, groupedFrom(cache, initial, next));
      }
      if (!chosen) {
        // Nothing to run: ask the busy groups too, so a group that is done is
        // known to be done now (not only once its threads are free again).
        const asked = new Set(candidates);
        for (let g = 0; g < next.length; g++) {
          const gen = next[g];
          if (gen === undefined || asked.has(g)) continue;
          const step = gen.op(groupContext(ctx, layout, g));
          if (step.kind === 'done') next[g] = undefined;
          else if (step.kind === 'pending') {
            next[g] = step.next;
            wake = earliest(wake, step.wakeAt);
          }
        }
      }
      if (!chosen && next.every((gen) => gen === undefined)) return DONE;
      return pending(groupedFrom(cache, initial, next), wake);
    },
    update(ctx, event) {
      const layout = cache.get(ctx.threads);
      const thread = eventThread(ctx, event.process);
      const g = thread === undefined ? undefined : layout.groupOf.get(thread);
      if (g === undefined) return this;
      const current = init(layout);
      const gen = current[g];
      if (gen === undefined) return this;
      const next = current.slice();
      next[g] = gen.update(groupContext(ctx, layout, g), event);
      return groupedFrom(cache, initial, next);
    },
  };
}

/** Indices of groups that are not done and have a free thread, in group order. */
function groupsWithFreeThreads(ctx: GenContext, layout: Layout, gens: readonly (Generator | undefined)[]): number[] {
  const seen = new Array<boolean>(layout.groups.length).fill(false);
  for (const t of ctx.freeThreads) {
    const g = layout.groupOf.get(t);
    if (g !== undefined && gens[g] !== undefined) seen[g] = true;
  }
  const out: number[] = [];
  seen.forEach((yes, g) => {
    if (yes) out.push(g);
  });
  return out;
}

/** `gen` sees only the threads `keep` accepts; done at once if there are none. */
export function onThreads(keep: (thread: Thread) => boolean, gen: GenLike): Generator {
  const g = toGen(gen);
  return grouped(
    (threads) => [threads.filter(keep)],
    () => g,
  );
}

/** `gen` runs on the client threads only (never the nemesis). */
export function clients(gen: GenLike): Generator {
  return onThreads((t) => t !== NEMESIS, gen);
}

/**
 * `gen` runs on the nemesis thread only: its template ops become nemesis ops
 * (type info, process "nemesis"). Done at once when the test has no nemesis.
 */
export function nemesis(gen: GenLike): Generator {
  return onThreads((t) => t === NEMESIS, gen);
}

/**
 * Every thread gets its own independent copy of `gen` (generators are values,
 * so each copy starts from the same state and then goes its own way). Done
 * when every thread's copy is done.
 */
export function eachThread(gen: GenLike): Generator {
  const g = toGen(gen);
  return grouped(
    (threads) => threads.map((t) => [t]),
    () => g,
  );
}

/**
 * `reserve(n1, gen1, n2, gen2, ..., rest)`: the first n1 threads of the
 * context run gen1, the next n2 run gen2, ..., and all remaining threads run
 * `rest` (Jepsen's reserve). Threads are taken in context order (clients
 * 0, 1, ..., then the nemesis), so wrap it in `clients` to leave the nemesis
 * out. Throws a TypeError when the arguments do not alternate count, generator.
 */
export function reserve(...args: (number | GenLike)[]): Generator {
  if (args.length % 2 !== 1) throw new TypeError('reserve(n1, gen1, ..., rest): expected pairs then a final generator');
  const counts: number[] = [];
  const gens: Generator[] = [];
  for (let i = 0; i + 1 < args.length; i += 2) {
    const n = args[i];
    const gen = args[i + 1];
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      throw new TypeError(`reserve: argument ${i + 1} must be a non-negative integer thread count`);
    }
    if (typeof gen === 'number' || gen === undefined)
      throw new TypeError(`reserve: argument ${i + 2} must be a generator`);
    counts.push(n);
    gens.push(toGen(gen));
  }
  const rest = args[args.length - 1];
  if (typeof rest === 'number' || rest === undefined) {
    throw new TypeError('reserve: the last argument must be a generator');
  }
  gens.push(toGen(rest));
  const partition: Partition = (threads) => {
    const groups: Thread[][] = [];
    let start = 0;
    for (const n of counts) {
      groups.push(threads.slice(start, start + n));
      start += n;
    }
    groups.push(threads.slice(start));
    return groups;
  };
  return grouped(partition, (g) => gens[g]!);
}
