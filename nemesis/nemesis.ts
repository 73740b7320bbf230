/**
 * Nemesis: injects faults, and always knows how to heal them.
 *
 * Faults are carried out through the Runtime's command execution, so one
 * implementation serves netns, docker and ssh nodes. State needed to heal is
 * written under `stateDir` before a fault is applied, so `faultline heal`
 * can restore a cluster left faulted by a controller killed with SIGKILL.
 *
 * Files: one folder per fault (partition/, packet/, kill/, pause/, clock/,
 * delay/ with its C packet scheduler),
 * each with an index.ts holding its FaultDefinition (fault.ts: options,
 * windows, package, heal) and its nemesis; registry.ts lists them and builds
 * the combined package for `--nemesis`; compose.ts, noop.ts; shared helpers:
 * schedule.ts, node-spec.ts (one / minority / majority / all / primaries /
 * names), iptables.ts, procs.ts; heal-state.ts and heal-from-state.ts
 * (`faultline heal`). The run lifecycle (harness/run/run-test.ts) heals on
 * normal exit, on error and on SIGINT / SIGTERM.
 */

import type { Generator, Rng } from '../harness/generator/generator.js';
import type { Json } from '../harness/history/op.js';
import type { Logger } from '../harness/log.js';
import type { WindowSpec } from '../harness/run/fault-windows.js';
import type { Runtime } from '../harness/runtime/runtime.js';
import type { Target, TargetContext } from '../targets/target.js';

export interface NemesisContext {
  runtime: Runtime;
  target: Target;
  targetCtx: TargetContext;
  log: Logger;
  /** Directory for heal state (survives a controller crash). */
  stateDir: string;
  rng: Rng;
}

export interface NemesisOp {
  f: string;
  value?: Json;
}

export interface NemesisResult {
  /** What was actually done, recorded in the history (e.g. the grudge, the nodes killed). */
  value: Json;
  error?: string;
}

export interface Nemesis {
  readonly name: string;
  /** The f names this nemesis handles, e.g. ["start-partition", "stop-partition"]. */
  readonly fs: readonly string[];
  setup(ctx: NemesisContext): Promise<void>;
  invoke(ctx: NemesisContext, op: NemesisOp): Promise<NemesisResult>;
  /** Undo every fault this nemesis applied. Idempotent; also run by `faultline heal`. */
  heal(ctx: NemesisContext): Promise<void>;
  teardown(ctx: NemesisContext): Promise<void>;
  /** Things the report must show, e.g. "etcd ignores libfaketime: clock skew had no effect". */
  warnings?(): string[];
  /**
   * Environment the SUT's processes on `node` must run with for this fault
   * to work (the clock fault's libfaketime variables). The run passes it to
   * the target (TargetContext.nodeEnv). Optional: most faults need none.
   */
  nodeEnv?(runtime: Pick<Runtime, 'nodeDir'>, node: string): Record<string, string>;
}

/** A fault with its schedule (Jepsen's nemesis/combined packages). */
export interface NemesisPackage {
  readonly name: string;
  nemesis: Nemesis;
  /** start / stop alternating during the main phase. */
  generator: Generator;
  /** Heals at the end of the main phase. */
  finalGenerator: Generator;
  /** Which f opens and which closes each of its fault windows (the fault definitions' windows). */
  windows: readonly WindowSpec[];
}
