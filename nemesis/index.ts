/**
 * The nemesis folder's public face. See nemesis.ts for the interfaces,
 * fault.ts for a fault's definition and registry.ts for the list of faults.
 *
 *   const pkg = nemesisPackage(['partition', 'kill'], { intervalSeconds: 10 }, { target, nodeCount });
 *   const ctx: NemesisContext = { runtime, target, targetCtx, log, rng, stateDir: healStateDir(runtime.cluster) };
 *   // TargetContext.nodeEnv = (node) => pkg.nemesis.nodeEnv?.(runtime, node) ?? {}
 *   // and pkg.nemesis.setup(ctx) before the target's setup (the clock fault writes the offset files).
 *   await pkg.nemesis.setup(ctx);
 *   // ... run pkg.generator, then pkg.finalGenerator; always, also on error or a signal:
 *   await pkg.nemesis.heal(ctx);
 *   await pkg.nemesis.teardown(ctx);
 */

export { composeNemeses, composePackages, serialized } from './compose.js';
export type { FaultContext, FaultDefinition } from './fault.js';
export { defineFault } from './fault.js';
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
export { type Grudge, PARTITION_SHAPES, type PartitionShape } from './partition/grudge.js';
export {
  FAULTS,
  faultNamed,
  faultNames,
  faultPackages,
  historyFaultWindows,
  nemesisOptionsSchema,
  nemesisPackage,
  type PackageOptions,
  parseNemesisNames,
  windowSpecs,
} from './registry.js';
