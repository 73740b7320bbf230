/**
 * The nemesis folder's public face. See nemesis.ts for the interfaces.
 *
 *   const pkg = nemesisPackage(['partition', 'kill'], { intervalSeconds: 10 }, { target, nodeCount });
 *   const ctx: NemesisContext = { runtime, target, targetCtx, log, rng,
 *     stateDir: healStateDir(cluster), runtimeOptions: theRuntimeOptions };
 *   // With the clock package: TargetContext.nodeEnv = (node) => clockEnv({ runtime }, node),
 *   // and pkg.nemesis.setup(ctx) before the target's setup (it writes the offset files).
 *   await pkg.nemesis.setup(ctx);
 *   // ... run pkg.generator, then pkg.finalGenerator; always, also on error or a signal:
 *   await pkg.nemesis.heal(ctx);
 *   await pkg.nemesis.teardown(ctx);
 */

export { clockEnv, libfaketimePath } from './clock.js';
export { composeNemeses, composePackages, serialized } from './compose.js';
export { type Grudge, PARTITION_SHAPES, type PartitionShape } from './grudge.js';
export {
  DEFAULT_HEAL_ROOT,
  type HealReport,
  healFromState,
  healRoot,
  healStateDir,
  healStateDirs,
  liveOwner,
} from './heal-from-state.js';
export type { Nemesis, NemesisContext, NemesisOp, NemesisPackage, NemesisResult } from './nemesis.js';
export { type NodeSpec, parseNodeSpec } from './node-spec.js';
export { noopNemesis, noopPackage } from './noop.js';
export {
  NEMESIS_NAMES,
  type NemesisName,
  nemesisPackage,
  type PackageContext,
  type PackageOptions,
  parseNemesisNames,
} from './packages.js';
