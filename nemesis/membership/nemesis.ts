/**
 * Membership changes through the target's Reconfigurable capability: remove
 * some members from the cluster (their data wiped), later add them back as
 * new, empty members.
 *
 * Ops:
 * - remove-member, value { count }: removes `count` random members (fewer
 *   when that would leave fewer than `minMembers`). Result
 *   { removed: [nodes], members: [the members after, as the cluster reports them] }.
 *   Nothing removed (already at the minimum) is an error: no change happened.
 * - add-member: adds every removed node back. Result { added: [nodes], members: [...] }.
 * Heal adds every removed node back. `faultline heal` (no target) can only name them.
 */
import { UserError } from '../../harness/errors.js';
import { isReconfigurable, whyNotReconfigurable } from '../../targets/target.js';
import { checkStateDir, type FaultKind, HealState, recordFault } from '../heal-state.js';
import type { Nemesis, NemesisContext, NemesisOp } from '../nemesis.js';
import { shuffle } from '../partition/grudge.js';
import { attempt, names } from '../util.js';

const KIND: FaultKind = 'membership';

export interface MembershipNemesisOptions {
  /** Never fewer members than this (default: a majority of the nodes, so a quorum of the original cluster stays). */
  minMembers?: number | undefined;
}

export function membershipNemesis(options: MembershipNemesisOptions = {}): Nemesis {
  const removed: string[] = [];

  const reconfigurable = (ctx: NemesisContext) => {
    const why = whyNotReconfigurable(ctx.target, ctx.targetCtx.options);
    if (why || !isReconfigurable(ctx.target)) {
      throw new UserError(`target ${ctx.target.name} cannot change its membership (${why})`, {
        where: '--nemesis membership',
      });
    }
    return ctx.target;
  };

  /** Adds back every removed node, one at a time (each change is a joint consensus of its own). */
  const addBack = async (ctx: NemesisContext): Promise<string[]> => {
    const target = reconfigurable(ctx);
    const added: string[] = [];
    while (removed.length > 0) {
      const node = removed[0]!;
      await target.addMember(ctx.targetCtx, node);
      removed.shift();
      added.push(node);
      await recordFault(ctx, KIND, { removed: [...removed] });
    }
    await new HealState(ctx.stateDir).clear(KIND);
    return added;
  };

  return {
    name: 'membership',
    fs: ['remove-member', 'add-member'],
    async setup(ctx) {
      reconfigurable(ctx);
      await checkStateDir(ctx.stateDir);
    },
    async invoke(ctx: NemesisContext, op: NemesisOp) {
      const target = reconfigurable(ctx);
      if (op.f === 'add-member') {
        let added: string[] = [];
        return attempt(
          async () => {
            added = await addBack(ctx);
            return { added, members: await target.members(ctx.targetCtx) };
          },
          () => ({ added, stillRemoved: [...removed] }),
        );
      }
      const all = names(ctx.runtime.nodes());
      const min = options.minMembers ?? Math.floor(all.length / 2) + 1;
      const value = op.value !== null && typeof op.value === 'object' && !Array.isArray(op.value) ? op.value : {};
      const wanted = typeof value.count === 'number' && Number.isInteger(value.count) ? value.count : 1;
      const done: string[] = [];
      return attempt(
        async () => {
          const current = await target.members(ctx.targetCtx);
          const count = Math.max(0, Math.min(wanted, current.length - min));
          if (count === 0) throw new Error(`${current.length} members already, the fewest allowed is ${min}`);
          for (const node of shuffle(current, ctx.rng).slice(0, count)) {
            removed.push(node);
            // Recorded before the change, so `faultline heal` knows which members may be missing.
            await recordFault(ctx, KIND, { removed: [...removed] });
            await target.removeMember(ctx.targetCtx, node);
            done.push(node);
          }
          return { removed: done, members: await target.members(ctx.targetCtx) };
        },
        () => ({ removed: done }),
      );
    },
    async heal(ctx) {
      if (removed.length > 0) await addBack(ctx);
      await new HealState(ctx.stateDir).clear(KIND);
    },
    async teardown() {},
  };
}
