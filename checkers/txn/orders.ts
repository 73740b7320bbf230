/**
 * The two orders a history gives without looking at data: real time (T1
 * completed ok before T2 was invoked) and process order (T2 is the next
 * transaction its process ran after T1). Failed transactions take no part:
 * they did not happen. An info transaction may have taken effect any time
 * after its invocation, so it can follow others but nothing follows it.
 *
 * Real time is an interval order; `intervalOrder` emits only its Hasse
 * diagram (a → b with nothing completing in between that follows a and
 * precedes b), which has the same transitive closure and so the same cycles,
 * with far fewer edges than all pairs.
 */
import type { EdgeList } from './graph.js';
import { PROCESS, RT } from './kinds.js';
import { FAIL, INFO, type Txns } from './txns.js';

/**
 * Calls `link(a, b)` for each edge of the Hasse diagram of real time among
 * `members` (transaction numbers, in invocation order). A member completes
 * at okIndex (never, when it is -1).
 *
 * A sweep over invocations and completions keeps the frontier: completed
 * members that no completed member follows yet. An invocation links the
 * whole frontier to it; a completion replaces its own predecessors in the
 * frontier by itself.
 */
export function intervalOrder(txns: Txns, members: ArrayLike<number>, link: (a: number, b: number) => void): void {
  const events = sweepEvents(txns, members);
  let frontier: number[] = [];
  // Each member's predecessors are the frontier at its invocation.
  const preds = new Map<number, number[]>();
  for (const event of events) {
    const t = event >> 1;
    if ((event & 1) === 0) {
      for (const a of frontier) link(a, t);
      if (txns.okIndex[t] !== -1 && frontier.length > 0) preds.set(t, frontier.slice());
    } else {
      const before = preds.get(t);
      if (before) {
        preds.delete(t);
        frontier = frontier.filter((a) => !before.includes(a));
      }
      frontier.push(t);
    }
  }
}

/** Invocations (t * 2) and completions (t * 2 + 1) of the members, in history order. */
function sweepEvents(txns: Txns, members: ArrayLike<number>): Float64Array {
  const events = new Float64Array(members.length * 2);
  const positions = new Float64Array(members.length * 2);
  let n = 0;
  for (let i = 0; i < members.length; i++) {
    const t = members[i]!;
    positions[n] = txns.invokeIndex[t]!;
    events[n++] = t * 2;
    if (txns.okIndex[t] !== -1) {
      positions[n] = txns.okIndex[t]!;
      events[n++] = t * 2 + 1;
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => positions[a]! - positions[b]!);
  return Float64Array.from(order, (i) => events[i]!);
}

/**
 * Adds the real-time edges between all transactions that did not fail.
 * The same sweep as intervalOrder, specialised: transactions are already in
 * invocation order, so one pass over history positions replaces the sort.
 */
export function addRealtimeEdges(txns: Txns, edges: EdgeList, historyLength: number): void {
  // completesAt[position] = the transaction whose ok completion is there, else -1.
  const completesAt = new Int32Array(historyLength).fill(-1);
  for (let t = 0; t < txns.count; t++) if (txns.okIndex[t] !== -1) completesAt[txns.okIndex[t]!] = t;
  const predStart = new Int32Array(txns.count);
  const predEnd = new Int32Array(txns.count);
  const inFrontier = new Uint8Array(txns.count);
  const frontier: number[] = [];
  let next = 0; // the next transaction to be invoked
  const invokeUpTo = (position: number): void => {
    while (next < txns.count && txns.invokeIndex[next]! < position) {
      const b = next++;
      if (txns.status[b] === FAIL) continue;
      predStart[b] = edges.length;
      for (const a of frontier) edges.add(a, b, RT);
      predEnd[b] = edges.length;
    }
  };
  for (let position = 0; position < historyLength; position++) {
    const t = completesAt[position]!;
    if (t === -1) continue;
    invokeUpTo(position);
    if (predEnd[t]! > predStart[t]!) {
      for (let e = predStart[t]!; e < predEnd[t]!; e++) inFrontier[edges.fromAt(e)] = 0;
      let kept = 0;
      for (const a of frontier) if (inFrontier[a] === 1) frontier[kept++] = a;
      frontier.length = kept;
    }
    inFrontier[t] = 1;
    frontier.push(t);
  }
  invokeUpTo(historyLength);
}

/** Adds process-order edges: each transaction that did not fail to the next one of its process that did not. */
export function addProcessEdges(txns: Txns, edges: EdgeList): void {
  const last = new Map<unknown, number>();
  for (let t = 0; t < txns.count; t++) {
    if (txns.status[t] === FAIL) continue;
    const p = txns.process[t];
    const before = last.get(p);
    if (before !== undefined && txns.status[before] !== INFO) edges.add(before, t, PROCESS);
    last.set(p, t);
  }
}
