/**
 * Nemesis: injects faults, and always knows how to heal them.
 *
 * Faults are carried out through the Runtime's command execution, so one
 * implementation serves netns, docker and ssh nodes. State needed to heal is
 * written under `stateDir` before a fault is applied, so `faultline heal`
 * can restore a cluster left faulted by a controller killed with SIGKILL.
 *
 * Files: index.ts (public exports), packages.ts (packages + schedules,
 * `--nemesis` parsing), compose.ts, noop.ts; one file per fault: partition.ts
 * (+ grudge.ts shapes), packet.ts, kill.ts, pause.ts, clock.ts (+ clockEnv),
 * delay/ (latency, jitter, reordering, duplication: its own folder, with a C helper);
 * node-spec.ts (one / minority / majority / all / primaries / names);
 * heal-state.ts, heal-from-state.ts, attach.ts (`faultline heal`). The run
 * lifecycle (harness/run/run-test.ts) heals on normal exit, on error and on
 * SIGINT / SIGTERM.
 */

import type { Generator, Rng } from '../harness/generator/generator.js';
import type { Json } from '../harness/history/op.js';
import type { Logger } from '../harness/log.js';
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
  /**
   * The options the runtime was created with, recorded in the heal state so
   * `faultline heal` can reach the nodes again without the test's config
   * (e.g. the netns options: name, nodes, subnet, baseDir).
   */
  runtimeOptions?: Json;
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
}

/** A fault with its schedule (Jepsen's nemesis/combined packages). */
export interface NemesisPackage {
  readonly name: string;
  nemesis: Nemesis;
  /** start / stop alternating during the main phase. */
  generator: Generator;
  /** Heals at the end of the main phase. */
  finalGenerator: Generator;
  /** How the report draws this package's windows: which f starts and which stops one. */
  windows: { start: string; stop: string; label: string }[];
}
