/**
 * The rules a history recorded by the interpreter (or the simulator) obeys,
 * as a list of broken ones. Used by tests of generators and of the
 * interpreter; stricter than pairing (harness/history/pair.ts), which also
 * has to accept histories made elsewhere.
 */
import type { History, Op, ProcessId } from '../history/op.js';

/**
 * Returns a description of every broken rule (empty when well formed):
 * - `index` runs 0, 1, 2, ... and `time` never decreases;
 * - a process has at most one op open, and each completion answers the open
 *   invocation of its process with the same f and key;
 * - client invocations are `invoke`; nemesis invocations and completions are `info`;
 * - after an `info` completion a client process never appears again.
 * Ops still open at the end are allowed (an interrupted run).
 */
export function wellFormedProblems(history: History): string[] {
  const problems: string[] = [];
  const open = new Map<ProcessId, Op>();
  const retired = new Set<ProcessId>();
  let lastTime = -Infinity;
  history.forEach((op, i) => {
    const at = `op ${i} (${JSON.stringify(op)})`;
    if (op.index !== i) problems.push(`${at}: index should be ${i}`);
    if (!(op.time >= lastTime)) problems.push(`${at}: time goes backwards`);
    lastTime = op.time;
    if (retired.has(op.process)) problems.push(`${at}: process ${op.process} was retired by an info`);
    const pending = open.get(op.process);
    if (pending === undefined) {
      if (op.process === 'nemesis' ? op.type !== 'info' : op.type !== 'invoke') {
        problems.push(`${at}: expected an invocation of process ${String(op.process)}`);
      }
      open.set(op.process, op);
      return;
    }
    if (op.type === 'invoke' || (op.process === 'nemesis' && op.type !== 'info')) {
      problems.push(`${at}: process ${String(op.process)} already has op ${pending.index} open`);
      return;
    }
    if (op.f !== pending.f) problems.push(`${at}: completes ${pending.f} with f ${op.f}`);
    if (JSON.stringify(op.key) !== JSON.stringify(pending.key)) problems.push(`${at}: key differs from its invocation`);
    open.delete(op.process);
    if (op.type === 'info' && op.process !== 'nemesis') retired.add(op.process);
  });
  return problems;
}
