/**
 * The nemesis folder's public face. See nemesis.ts for the interfaces.
 *
 *   const pkg = buildNemesis(['partition', 'kill'], { intervalSeconds: 10 }, { target, nodeCount });
 *   // NemesisContext.stateDir = healStateDir(cluster); runtimeOptions = the runtime's options
 *   // TargetContext.nodeEnv = (node) => clockEnv({ runtime }, node)   (only with the clock package)
 *   const uninstall = installHealOnSignals(() => pkg.nemesis.heal(nemesisCtx), { log });
 */
export type { Nemesis, NemesisContext, NemesisOp, NemesisPackage, NemesisResult } from './nemesis.js';
export { nemesisPackage, nemesisPackage as buildNemesis, parseNemesisNames, NEMESIS_NAMES, type NemesisName, type PackageOptions, type PackageContext } from './packages.js';
export { composeNemeses, composePackages, serialized } from './compose.js';
export { noopNemesis, noopPackage } from './noop.js';
export { clockEnv, libfaketimePath } from './clock.js';
export { installHealOnSignals, shared } from './signals.js';
export { DEFAULT_HEAL_ROOT, healStateDir, healFromState, healStateDirs, type HealReport } from './heal-from-state.js';
export { PARTITION_SHAPES, type Grudge, type PartitionShape } from './grudge.js';
export { parseNodeSpec, type NodeSpec } from './node-spec.js';
