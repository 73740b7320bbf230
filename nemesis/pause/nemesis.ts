/**
 * Pauses: SIGSTOP the SUT on some nodes (the target's Pausable.pause), later
 * SIGCONT (resume). The pids that actually stopped are found from /proc and
 * recorded, so `faultline heal` can resume exactly them after a crash.
 *
 * Ops:
 * - pause, value { nodes: NodeSpec } (default "one"): result { paused: { node: [pids] } }.
 *   A node where no process stopped is reported as an error.
 * - resume: resumes every paused node. Result { resumed: { node: [pids] } }.
 */

import { UserError } from '../../harness/errors.js';
import type { Json } from '../../harness/history/op.js';
import { isPausable } from '../../targets/target.js';
import { checkStateDir, type FaultKind, HealState, recordFault } from '../heal-state.js';
import type { Nemesis, NemesisContext, NemesisOp } from '../nemesis.js';
import type { NodeExec } from '../node-shell.js';
import { type NodeSpec, resolveSpec, specFromValue } from '../node-spec.js';
import { awaitChange, listProcesses, newlyStopped, resumeProcesses } from '../procs.js';
import { attempt, errorMessage, forEachNode } from '../util.js';

const KIND: FaultKind = 'pause';

/**
 * Heal state of pauses: node -> the pids we stopped. While a pause is being
 * applied, its nodes also list the pids that were not stopped just before it
 * (any of them may be stopped by it): SIGCONT to a running process does
 * nothing, and a process someone else had stopped is never listed.
 */
export type PausedState = Record<string, number[]>;

/** SIGCONTs exactly the pids `paused` records. Resolves with the pids resumed per node. */
export async function healPause(runtime: NodeExec, paused: PausedState): Promise<Record<string, number[]>> {
  return forEachNode(Object.keys(paused), (node) => resumeProcesses(runtime, node, paused[node] ?? []));
}

const union = (a: readonly number[], b: readonly number[]) => [...new Set([...a, ...b])].sort((x, y) => x - y);

export function pauseNemesis(defaultSpec: NodeSpec = 'one'): Nemesis {
  const paused: PausedState = {};
  const forget = () => {
    for (const k of Object.keys(paused)) delete paused[k];
  };
  return {
    name: 'pause',
    fs: ['pause', 'resume'],
    async setup(ctx) {
      if (!isPausable(ctx.target))
        throw new UserError(`target ${ctx.target.name} cannot be paused (it does not implement Pausable)`, {
          where: '--nemesis pause',
        });
      await checkStateDir(ctx.stateDir);
    },
    async invoke(ctx: NemesisContext, op: NemesisOp) {
      const state = new HealState(ctx.stateDir);
      const target = ctx.target;
      if (!isPausable(target)) return { value: null, error: `target ${target.name} cannot be paused` };
      if (op.f === 'resume') {
        return attempt(async () => {
          const nodes = Object.keys(paused);
          // The target's resume may fail for a daemon that died meanwhile (e.g. killed
          // while paused): what counts is the check below that nothing stays stopped.
          const targetErrors: Record<string, Json> = {};
          await Promise.all(
            nodes.map((node) =>
              target.resume(ctx.targetCtx, node).catch((err: unknown) => (targetErrors[node] = errorMessage(err))),
            ),
          );
          // Belt and braces: SIGCONT the recorded pids too, and check none is still stopped.
          const resumed = await healPause(ctx.runtime, paused);
          await forEachNode(nodes, async (node) => {
            const still = (await listProcesses(ctx.runtime, node)).filter(
              (p) => p.state === 'T' && (paused[node] ?? []).includes(p.pid),
            );
            if (still.length > 0) throw new Error(`pids ${still.map((p) => p.pid).join(', ')} are still stopped`);
          });
          forget();
          await state.clear(KIND);
          const result: Record<string, Json> = { resumed };
          if (Object.keys(targetErrors).length > 0) result.targetErrors = targetErrors;
          return result;
        });
      }
      const result: Record<string, number[]> = {};
      return attempt(
        async () => {
          const nodes = await resolveSpec(ctx, specFromValue(op.value, defaultSpec, 'pause value'));
          const before = await forEachNode(nodes, (node) => listProcesses(ctx.runtime, node));
          // Until we know what stopped, heal state covers every process the pause may stop.
          const applying: PausedState = { ...paused };
          for (const node of nodes) {
            const candidates = before[node]!.filter((p) => p.state !== 'T').map((p) => p.pid);
            applying[node] = union(paused[node] ?? [], candidates);
          }
          await recordFault(ctx, KIND, applying);
          try {
            await forEachNode(nodes, async (node) => {
              await target.pause(ctx.targetCtx, node);
              const first = await awaitChange(ctx.runtime, node, (after) => newlyStopped(before[node]!, after));
              // A process group stops member by member: look once more so heal knows every pid.
              const again =
                first.length > 0
                  ? await awaitChange(ctx.runtime, node, (after) => newlyStopped(before[node]!, after), 1)
                  : [];
              const stopped = union(first, again);
              result[node] = stopped;
              if (stopped.length === 0) throw new Error('no process stopped: the pause did not take effect');
              paused[node] = union(paused[node] ?? [], stopped);
            });
          } finally {
            // Only the pids that really stopped stay recorded, also when a node failed.
            if (Object.keys(paused).length > 0) await recordFault(ctx, KIND, paused);
            else await state.clear(KIND);
          }
          return { paused: result };
        },
        () => ({ paused: result }),
      );
    },
    async heal(ctx) {
      const target = ctx.target;
      const nodes = Object.keys(paused);
      if (isPausable(target))
        await forEachNode(nodes, (node) => target.resume(ctx.targetCtx, node)).catch(() => undefined);
      await healPause(ctx.runtime, paused);
      forget();
      await new HealState(ctx.stateDir).clear(KIND);
    },
    async teardown() {},
  };
}
