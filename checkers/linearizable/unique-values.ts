/**
 * The unique-value fast path: decides one key in O(n log n) when every value
 * is written at most once (unique puts and appends, unique register writes),
 * instead of searching. After Gibbons & Korach ("Testing Shared Memories",
 * SIAM J. Computing 1997), who showed that linearizability of a register is
 * polynomial when each read is known to read one write; Elle infers version
 * orders from unique values in the same spirit.
 *
 * The model names its states by numbers (Model.stateSteps): reads need a
 * state, writes go to one, cas ops go from one to another. When no state is
 * written twice (nor the initial one), nothing is ever read twice from
 * different writes, so any linearization visits each state in one stretch:
 * its writer, then its reads, then (for a cas chain) the cas to the next
 * state and that state's reads, and so on. Call such a chain of states a
 * block. A linearization is then an order of the blocks, each laid out in
 * its fixed inner order, that respects real time; it exists exactly when:
 *
 *  - every block can be laid out in its inner order without breaking real
 *    time (no read of a state finishes before its writer is invoked, ...);
 *  - no block starts from a state nobody writes (other than the initial one);
 *  - the blocks' real-time precedence (some op of A returns before some op
 *    of B is invoked) has no cycle, and the initial state's block can go
 *    first.
 *
 * The last is a topological sort (Kahn). Block B can go next exactly when
 * every op that returns before B's last invocation is placed already: its
 * latest invocation is earlier than the earliest return among the other
 * blocks left. So the candidates are the two blocks left with the earliest
 * last invocation and the block holding the earliest return: O(1) per block
 * after sorting.
 *
 * Crashed (info) ops take part only when some op needs the state they write
 * (a read saw it); the others may never have happened and are left out.
 *
 * When the blocks cannot be ordered, the placed blocks are a linearization of
 * everything that must come first; from there a greedy, op by op, goes as far
 * as it can and stops at the op with the earliest return that cannot go next:
 * the evidence, of the same kind as the search's.
 */
import type { StateStep, StateSteps } from '../models/model.js';
import type { SearchOp } from './search.js';

export type UniqueOutcome =
  /** A linearization: indexes into the key's ops, in order. */
  | { kind: 'valid'; order: number[] }
  /** None exists. `order`: a partial linearization; `blocked`: an ok op that cannot go next after it. */
  | { kind: 'invalid'; order: number[]; blocked: number }
  /** The values do not allow the fast path (a value written twice, ...): search the key. */
  | { kind: 'not-unique'; reason: string };

interface Block {
  /** Its ops in their inner order. */
  ops: number[];
  /** Latest invocation and earliest return (history positions) of its ops. */
  lastInvoke: number;
  firstReturn: number;
  /** It can be laid out (it has a writer, or starts at the initial state, and its inner order keeps real time). */
  placeable: boolean;
}

const targetOf = (step: StateStep): number | undefined => (step.kind === 'read' ? undefined : step.to);
/** The state an op needs (an append only needs it to make the state it names; see StateStep). */
const neededOf = (step: StateStep): number | undefined =>
  step.kind === 'read' ? step.state : step.kind === 'write' ? undefined : step.from;

/**
 * Decides whether `ops` (one key's, in history order of invocation) can be
 * linearized, with the model's `stateSteps` for them.
 * Returns valid with a linearization, invalid with a partial one and the op
 * that cannot follow it, or not-unique when a state is written twice (or the
 * initial state is written, or two cas ops leave one state).
 */
export function decideByUniqueValues(ops: readonly SearchOp[], stateSteps: StateSteps): UniqueOutcome {
  const { steps, initial } = stateSteps;
  const n = ops.length;
  const invokeAt = (i: number): number => ops[i]!.invokeIndex;
  const returnAt = (i: number): number =>
    ops[i]!.outcome === 'ok' ? ops[i]!.completeIndex! : Number.POSITIVE_INFINITY;

  const writer = new Map<number, number>();
  for (let i = 0; i < n; i++) {
    const to = targetOf(steps[i]!);
    if (to === undefined) continue;
    if (to === initial) return { kind: 'not-unique', reason: 'an op writes the initial value' };
    if (writer.has(to)) return { kind: 'not-unique', reason: 'two ops write the same value' };
    writer.set(to, i);
  }

  // Which ops take part: every ok op, and the crashed ops that write a state some op needs.
  const included = new Uint8Array(n);
  const needed = new Set<number>();
  const queue: number[] = [];
  const need = (state: number): void => {
    if (needed.has(state)) return;
    needed.add(state);
    queue.push(state);
  };
  for (let i = 0; i < n; i++) {
    if (ops[i]!.outcome !== 'ok') continue;
    included[i] = 1;
    const state = neededOf(steps[i]!);
    if (state !== undefined) need(state);
  }
  while (queue.length > 0) {
    const w = writer.get(queue.pop()!);
    if (w === undefined || included[w] === 1) continue;
    included[w] = 1;
    const state = neededOf(steps[w]!);
    if (state !== undefined) need(state);
  }

  const casFrom = new Map<number, number>();
  const readsOf = new Map<number, number[]>();
  for (let i = 0; i < n; i++) {
    if (included[i] === 0) continue;
    const step = steps[i]!;
    if (step.kind === 'cas' || step.kind === 'append') {
      if (casFrom.has(step.from)) return { kind: 'not-unique', reason: 'two cas ops from the same value' };
      casFrom.set(step.from, i);
    } else if (step.kind === 'read') {
      let reads = readsOf.get(step.state);
      if (!reads) readsOf.set(step.state, (reads = []));
      reads.push(i);
    }
  }
  for (const reads of readsOf.values()) reads.sort((a, b) => invokeAt(a) - invokeAt(b));

  const blocks = buildBlocks(n, steps, initial, included, writer, casFrom, readsOf, invokeAt, returnAt);
  const order: number[] = [];
  const placed = new Uint8Array(n);
  const place = (block: Block): void => {
    for (const i of block.ops) {
      order.push(i);
      placed[i] = 1;
    }
  };
  const others = blocks.rest;
  const ordered = blocks.initial === undefined || firstReturnOf(others) > blocks.initial.lastInvoke;
  if (blocks.initial !== undefined && ordered && blocks.initial.placeable) place(blocks.initial);
  if (ordered && (blocks.initial === undefined || blocks.initial.placeable) && orderBlocks(others, place)) {
    return { kind: 'valid', order };
  }
  return greedyEvidence(ops, steps, initial, included, writer, order, placed, invokeAt, returnAt);
}

const firstReturnOf = (blocks: Block[]): number =>
  blocks.reduce((min, b) => Math.min(min, b.firstReturn), Number.POSITIVE_INFINITY);

/** The blocks: the one starting at the initial state (if any op uses it) and the rest. */
function buildBlocks(
  n: number,
  steps: readonly StateStep[],
  initial: number,
  included: Uint8Array,
  writer: Map<number, number>,
  casFrom: Map<number, number>,
  readsOf: Map<number, number[]>,
  invokeAt: (i: number) => number,
  returnAt: (i: number) => number,
): { initial: Block | undefined; rest: Block[] } {
  const inUse = new Set<number>();
  for (let i = 0; i < n; i++) {
    if (included[i] === 0) continue;
    const step = steps[i]!;
    const a = neededOf(step);
    const b = targetOf(step);
    if (a !== undefined) inUse.add(a);
    if (b !== undefined) inUse.add(b);
  }
  const assigned = new Set<number>();
  let initialBlock: Block | undefined;
  const rest: Block[] = [];
  /** Lays out the chain from `root`: its writer, its reads, the cas to the next state, its reads, ... */
  const chain = (root: number): Block => {
    const layout: number[][] = [];
    const w = writer.get(root);
    const head = w !== undefined && steps[w]!.kind === 'write' ? w : undefined; // (a cas only on a cycle)
    if (head !== undefined) layout.push([head]);
    for (let state: number | undefined = root; state !== undefined && !assigned.has(state); ) {
      assigned.add(state);
      const reads = readsOf.get(state);
      if (reads) layout.push(reads);
      const cas = casFrom.get(state);
      if (cas === undefined) break;
      layout.push([cas]);
      state = (steps[cas] as { to: number }).to;
    }
    const startsWritten = head !== undefined || root === initial;
    return makeBlock(layout, startsWritten, invokeAt, returnAt);
  };
  for (const state of inUse) {
    const w = writer.get(state);
    if (w !== undefined && steps[w]!.kind !== 'write') continue; // not the start of its chain
    const block = chain(state);
    if (state === initial) initialBlock = block;
    else rest.push(block);
  }
  // States left are on cycles of cas ops that nothing enters: nobody writes their chain's first state.
  for (const state of inUse) if (!assigned.has(state)) rest.push({ ...chain(state), placeable: false });
  return { initial: initialBlock, rest };
}

/** A block from its layout (groups in order; ops within a group in invocation order, free among themselves). */
function makeBlock(
  layout: number[][],
  startsWritten: boolean,
  invokeAt: (i: number) => number,
  returnAt: (i: number) => number,
): Block {
  // Inner real-time order: no op of a later group may return before an op of an earlier group is invoked.
  const laterReturn: number[] = new Array(layout.length + 1).fill(Number.POSITIVE_INFINITY);
  for (let g = layout.length - 1; g >= 0; g--) {
    let min = laterReturn[g + 1]!;
    for (const i of layout[g]!) min = Math.min(min, returnAt(i));
    laterReturn[g] = min;
  }
  let lastInvoke = Number.NEGATIVE_INFINITY;
  let keepsTime = true;
  for (let g = 0; g < layout.length; g++) {
    for (const i of layout[g]!) lastInvoke = Math.max(lastInvoke, invokeAt(i));
    if (lastInvoke > laterReturn[g + 1]!) keepsTime = false;
  }
  return { ops: layout.flat(), lastInvoke, firstReturn: laterReturn[0]!, placeable: startsWritten && keepsTime };
}

/** A sorted list of blocks from which blocks are removed in any order (a doubly linked list over positions). */
class SortedBlocks {
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly at = new Map<Block, number>();
  private head: number;

  constructor(private readonly blocks: Block[]) {
    const n = blocks.length;
    this.next = Int32Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    this.prev = Int32Array.from({ length: n }, (_, i) => i - 1);
    blocks.forEach((b, i) => {
      this.at.set(b, i);
    });
    this.head = n > 0 ? 0 : -1;
  }

  /** The first block left, or the one after `block`; undefined at the end. */
  first(): Block | undefined {
    return this.head === -1 ? undefined : this.blocks[this.head];
  }
  after(block: Block): Block | undefined {
    const i = this.next[this.at.get(block)!]!;
    return i === -1 ? undefined : this.blocks[i];
  }

  remove(block: Block): void {
    const i = this.at.get(block);
    if (i === undefined) return;
    this.at.delete(block);
    const p = this.prev[i]!;
    const q = this.next[i]!;
    if (p === -1) this.head = q;
    else this.next[p] = q;
    if (q !== -1) this.prev[q] = p;
  }
}

/**
 * Kahn's topological sort of the blocks by real-time precedence, calling
 * `place` for each in turn. Returns true when every block was placed, false
 * when the rest cannot be ordered (a cycle, or a block that cannot be laid out).
 */
function orderBlocks(blocks: Block[], place: (block: Block) => void): boolean {
  const byInvoke = new SortedBlocks(blocks.filter((b) => b.placeable).sort((a, b) => a.lastInvoke - b.lastInvoke));
  const byReturn = new SortedBlocks([...blocks].sort((a, b) => a.firstReturn - b.firstReturn));
  for (let left = blocks.length; left > 0; left--) {
    const earliest = byReturn.first()!;
    const secondReturn = byReturn.after(earliest)?.firstReturn ?? Number.POSITIVE_INFINITY;
    // Only the two blocks with the earliest last invocations, and the block with the earliest return, can go next.
    const a = byInvoke.first();
    const b = a === undefined ? undefined : byInvoke.after(a);
    let next: Block | undefined;
    for (const x of [a, b]) {
      if (x !== undefined && x !== earliest && x.lastInvoke < earliest.firstReturn) {
        next = x;
        break;
      }
    }
    if (next === undefined && earliest.placeable && earliest.lastInvoke < secondReturn) next = earliest;
    if (next === undefined) return false;
    byInvoke.remove(next);
    byReturn.remove(next);
    place(next);
  }
  return true;
}

/**
 * From the placed prefix, places ops one at a time as long as one can go:
 * a read of the current state; else the op with the earliest return if it
 * can go (an append always can, if to a state nobody reads); else the
 * writer of the state that op needs, if it can go now.
 * Stops at the op with the earliest return when none of these works.
 * Returns invalid with the order built and that op (or valid, should the
 * greedy place every ok op after all).
 */
function greedyEvidence(
  ops: readonly SearchOp[],
  steps: readonly StateStep[],
  initial: number,
  included: Uint8Array,
  writer: Map<number, number>,
  order: number[],
  placed: Uint8Array,
  invokeAt: (i: number) => number,
  returnAt: (i: number) => number,
): UniqueOutcome {
  let state = initial;
  for (const i of order) state = targetOf(steps[i]!) ?? state;
  /** States no op reads, as an append makes them away from its `from`: -1, -2, ... */
  let unread = -1;
  const legal = (i: number): boolean => {
    const step = steps[i]!;
    return step.kind === 'write' || step.kind === 'append' || neededOf(step) === state;
  };
  const all = [...Array(ops.length).keys()].filter((i) => included[i] === 1 && placed[i] === 0);
  const okByReturn = all.filter((i) => ops[i]!.outcome === 'ok').sort((a, b) => returnAt(a) - returnAt(b));
  const byInvoke = [...all].sort((a, b) => invokeAt(a) - invokeAt(b));
  const candidate = new Uint8Array(ops.length);
  const readsOf = new Map<number, Set<number>>();
  const place = (i: number): void => {
    placed[i] = 1;
    candidate[i] = 0;
    order.push(i);
    const step = steps[i]!;
    if (step.kind === 'read') readsOf.get(step.state)?.delete(i);
    state = step.kind === 'append' && step.from !== state ? unread-- : (targetOf(step) ?? state);
  };
  let r = 0;
  let v = 0;
  for (;;) {
    while (r < okByReturn.length && placed[okByReturn[r]!] === 1) r++;
    if (r === okByReturn.length) return { kind: 'valid', order };
    const first = okByReturn[r]!;
    // Candidates: every op left that was invoked before the earliest return.
    for (; v < byInvoke.length && invokeAt(byInvoke[v]!) < returnAt(first); v++) {
      const i = byInvoke[v]!;
      if (placed[i] === 1) continue;
      candidate[i] = 1;
      const step = steps[i]!;
      if (step.kind !== 'read') continue;
      let reads = readsOf.get(step.state);
      if (!reads) readsOf.set(step.state, (reads = new Set()));
      reads.add(i);
    }
    const read = readsOf.get(state)?.values().next();
    if (read && !read.done) {
      place(read.value);
      continue;
    }
    if (legal(first)) {
      place(first);
      continue;
    }
    const w = writer.get(neededOf(steps[first]!)!);
    if (w !== undefined && candidate[w] === 1 && legal(w)) {
      place(w);
      continue;
    }
    return { kind: 'invalid', order, blocked: first };
  }
}
