/**
 * A fault definition: everything faultline knows about one kind of fault, in
 * the fault's own folder (nemesis/<name>/index.ts), listed once in
 * ./registry.ts. The run, `faultline heal`, the status line and the report
 * all read it from there; none of them names a fault.
 */
import type { z } from 'zod';
import type { Json } from '../harness/history/op.js';
import type { WindowSpec } from '../harness/run/fault-windows.js';
import type { Runtime } from '../harness/runtime/runtime.js';
import type { AnyTarget, Target, TargetContext } from '../targets/target.js';
import type { NemesisPackage } from './nemesis.js';

/** What a fault may check when it is built: the schedule's pace, the cluster size, the target's capabilities. */
export interface FaultContext {
  /** Mean seconds between fault operations (--nemesis-interval). */
  intervalSeconds: number;
  nodeCount?: number | undefined;
  target?: Target | undefined;
}

export interface FaultDefinition<S extends z.ZodType = z.ZodType> {
  /** Its name in --nemesis, in test.nemesisOptions, and in the heal state. */
  readonly name: string;
  /** One line for --help. */
  readonly description: string;
  /** Debian packages its nemesis runs on a node (scripts/setup.sh and the docker node image install them). */
  readonly packages: readonly string[];
  /** Its options, under test.nemesisOptions.<name>; the schema fills in the defaults. */
  readonly options: S;
  /** Which nemesis f opens and which closes each window this fault draws (results, report, status line). */
  readonly windows: readonly WindowSpec[];
  /**
   * The package: its nemesis, the generator that starts and stops the fault
   * during the main phase, and the final generator that heals it. Throws
   * UserError for a fault the target or the cluster cannot take.
   */
  build(options: z.output<S>, ctx: FaultContext): NemesisPackage;
  /**
   * Undoes the fault from what its nemesis recorded in the heal state before
   * applying it (`record`), with a runtime attached to the nodes and, when
   * the run's target is known to this faultline, the target: `faultline heal`
   * after the controller died. Resolves with notes for a person (e.g. what it
   * could not do); rejects when undoing failed.
   */
  heal(runtime: Runtime, nodes: readonly string[], record: Json, target?: HealTarget): Promise<string[]>;
}

/** The run's target, for faults whose undoing needs it (restarting killed nodes, re-adding members). */
export interface HealTarget {
  target: AnyTarget;
  ctx: TargetContext;
}

/** A fault definition, typed by its options schema. */
export function defineFault<S extends z.ZodType>(definition: FaultDefinition<S>): FaultDefinition<S> {
  return definition;
}
