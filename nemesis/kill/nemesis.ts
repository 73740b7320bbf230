/**
 * Crashes: SIGKILL the SUT on some nodes (the target's Killable.kill), later
 * start it again on its existing data (the target's start).
 *
 * Ops:
 * - kill, value { nodes: NodeSpec } (default "one"): result { killed: { node: [pids that ended] } },
 *   the processes of the groups whose leader ended (the SUT's daemons lead their own group).
 *   A node where no such group ended is reported as an error: the kill did not take effect.
 * - start: starts the SUT on every node killed so far. Result { started: [nodes] }.
 * Heal starts whatever is still down. `faultline heal` (no target) can only list them.
 */
import { UserError } from '../../harness/errors.js';
import { isKillable } from '../../targets/target.js';
import { checkStateDir, type FaultKind, HealState, recordFault } from '../heal-state.js';
import type { Nemesis, NemesisContext, NemesisOp } from '../nemesis.js';
import { type NodeSpec, resolveSpec, specFromValue } from '../node-spec.js';
import { awaitChange, ended, listProcesses } from '../procs.js';
import { attempt, forEachNode } from '../util.js';

const KIND: FaultKind = 'kill';

export function killNemesis(defaultSpec: NodeSpec = 'one'): Nemesis {
  const down = new Set<string>();
  return {
    name: 'kill',
    fs: ['kill', 'start'],
    async setup(ctx) {
      if (!isKillable(ctx.target))
        throw new UserError(`target ${ctx.target.name} cannot be killed (it does not implement Killable)`, {
          where: '--nemesis kill',
        });
      await checkStateDir(ctx.stateDir);
    },
    async invoke(ctx: NemesisContext, op: NemesisOp) {
      const state = new HealState(ctx.stateDir);
      const target = ctx.target;
      if (!isKillable(target)) return { value: null, error: `target ${target.name} cannot be killed` };
      if (op.f === 'start') {
        const nodes = [...down];
        return attempt(
          async () => {
            await forEachNode(nodes, async (node) => {
              await target.start(ctx.targetCtx, node);
              down.delete(node);
            });
            await state.clear(KIND);
            return { started: nodes };
          },
          () => ({ started: nodes.filter((n) => !down.has(n)) }),
        );
      }
      const killed: Record<string, number[]> = {};
      return attempt(
        async () => {
          const nodes = await resolveSpec(ctx, specFromValue(op.value, defaultSpec, 'kill value'));
          for (const n of nodes) down.add(n);
          await recordFault(ctx, KIND, { nodes: [...down] });
          await forEachNode(nodes, async (node) => {
            const before = await listProcesses(ctx.runtime, node);
            await target.kill(ctx.targetCtx, node);
            const gone = await awaitChange(ctx.runtime, node, (after) => ended(before, after));
            killed[node] = gone;
            if (gone.length === 0) throw new Error('no process group ended: the kill did not take effect');
          });
          return { killed };
        },
        () => ({ killed }),
      );
    },
    async heal(ctx) {
      const target = ctx.target;
      if (down.size > 0 && isKillable(target)) {
        await forEachNode([...down], async (node) => {
          await target.start(ctx.targetCtx, node);
          down.delete(node);
        });
      }
      await new HealState(ctx.stateDir).clear(KIND);
    },
    async teardown() {},
  };
}
