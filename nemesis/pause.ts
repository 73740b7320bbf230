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
import type { Json } from '../harness/history/op.js';
import { UserError } from '../harness/errors.js';
import { isPausable } from '../targets/target.js';
import type { Nemesis, NemesisContext, NemesisOp } from './nemesis.js';
import { HealState, recordFault, type FaultKind } from './heal-state.js';
import type { NodeExec } from './node-shell.js';
import type { NodeSpec } from './node-spec.js';
import { awaitChange, listProcesses, newlyStopped, resumeProcesses } from './procs.js';
import { resolveSpec, specFromValue } from './kill.js';
import { attempt, errorMessage, forEachNode } from './util.js';

const KIND: FaultKind = 'pause';

/**
 * Heal state of pauses: node -> the pids we stopped, or null while the pause
 * is being applied (then heal resumes every stopped process of the node).
 */
export type PausedState = Record<string, number[] | null>;

/** SIGCONTs what `paused` records. Resolves with the pids resumed per node. */
export async function healPause(runtime: NodeExec, paused: PausedState): Promise<Record<string, number[]>> {
  return forEachNode(Object.keys(paused), (node) => resumeProcesses(runtime, node, paused[node] ?? undefined));
}

export function pauseNemesis(defaultSpec: NodeSpec = 'one'): Nemesis {
  const paused: PausedState = {};
  const forget = () => {
    for (const k of Object.keys(paused)) delete paused[k];
  };
  return {
    name: 'pause',
    fs: ['pause', 'resume'],
    async setup(ctx) {
      if (!isPausable(ctx.target)) throw new UserError(`target ${ctx.target.name} cannot be paused (it does not implement Pausable)`, { where: '--nemesis pause' });
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
            nodes.map((node) => target.resume(ctx.targetCtx, node).catch((err: unknown) => (targetErrors[node] = errorMessage(err)))),
          );
          // Belt and braces: SIGCONT the recorded pids too, and check none is still stopped.
          const resumed = await healPause(ctx.runtime, paused);
          await forEachNode(nodes, async (node) => {
            const still = (await listProcesses(ctx.runtime, node)).filter((p) => p.state === 'T' && (paused[node] ?? []).includes(p.pid));
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
          for (const n of nodes) paused[n] ??= null;
          await recordFault(ctx, KIND, paused);
          await forEachNode(nodes, async (node) => {
            const before = await listProcesses(ctx.runtime, node);
            await target.pause(ctx.targetCtx, node);
            const first = await awaitChange(ctx.runtime, node, (after) => newlyStopped(before, after));
            // A process group stops member by member: look once more so heal knows every pid.
            const again = first.length > 0 ? await awaitChange(ctx.runtime, node, (after) => newlyStopped(before, after), 1) : [];
            const stopped = [...new Set([...first, ...again])].sort((a, b) => a - b);
            paused[node] = [...new Set([...(paused[node] ?? []), ...stopped])];
            result[node] = stopped;
            if (stopped.length === 0) throw new Error('no process stopped: the pause did not take effect');
          });
          await recordFault(ctx, KIND, paused);
          return { paused: result };
        },
        () => ({ paused: result }),
      );
    },
    async heal(ctx) {
      const target = ctx.target;
      const nodes = Object.keys(paused);
      if (isPausable(target)) await forEachNode(nodes, (node) => target.resume(ctx.targetCtx, node)).catch(() => undefined);
      await healPause(ctx.runtime, paused);
      forget();
      await new HealState(ctx.stateDir).clear(KIND);
    },
    async teardown() {},
  };
}
