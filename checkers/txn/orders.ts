/**
 * The two orders a history gives without looking at data: real time (T1
 * completed ok before T2 was invoked) and process order (T2 is the next
 * transaction its process ran after T1). Failed transactions take no part:
 * they did not happen. An info transaction may have taken effect any time
 * after its invocation, so it can follow others but nothing follows it.
 *
 * Real time is an interval order. In the dependency graph it is drawn
 * through time points (addRealtimeEdges): about three edges per
 * transaction, however many run concurrently. `intervalOrder` emits its
 * Hasse diagram instead (a → b with nothing completing in between that
 * follows a and precedes b), for small sets such as one key's transactions.
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
 * Adds real time between all transactions that did not fail, through time
 * points: node `txns.count + j` is the j-th time point, "after these
 * completions". Before an invocation that follows ok completions, a new
 * time point is made; each of those transactions links to it, the previous
 * time point links to it, and it links to the invocation's transaction (as
 * do later invocations until the next completion). So a reaches b over rt
 * edges exactly when a completed ok before b was invoked. Returns how many
 * time points there are.
 */
export function addRealtimeEdges(txns: Txns, edges: EdgeList, historyLength: number): number {
  // completesAt[position] = the transaction whose ok completion is there, else -1.
  const completesAt = new Int32Array(historyLength).fill(-1);
  for (let t = 0; t < txns.count; t++) if (txns.okIndex[t] !== -1) completesAt[txns.okIndex[t]!] = t;
  const completed: number[] = []; // ok completions since the latest time point
  let latest = -1;
  let points = 0;
  let next = 0; // the next transaction to be invoked
  for (let position = 0; position < historyLength; position++) {
    if (next < txns.count && txns.invokeIndex[next] === position) {
      const b = next++;
      if (txns.status[b] === FAIL) continue;
      if (completed.length > 0) {
        const point = txns.count + points++;
        if (latest !== -1) edges.add(latest, point, RT);
        for (const a of completed) edges.add(a, point, RT);
        completed.length = 0;
        latest = point;
      }
      if (latest !== -1) edges.add(latest, b, RT);
      continue;
    }
    const t = completesAt[position]!;
    if (t !== -1) completed.push(t);
  }
  return points;
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
