/**
 * Workload: what the clients do and which checker judges it
 * (like a Maelstrom workload file: {generator, final generator, checker}).
 */
import type { Checker } from '../checkers/checker.js';
import type { Generator } from '../harness/generator/generator.js';

/** What a workload is built with: the run's settings and test.workloadOptions. */
export interface WorkloadOptions {
  concurrency: number;
  /** Number of independent keys in play at once, where the workload has keys. */
  keys?: number;
  /** Ops per key before a fresh key is used, where the workload has keys. */
  opsPerKey?: number;
  /** Client ops per second across all workers (stagger), 0 for as fast as possible. */
  rate?: number;
  /**
   * Whether the target promises linearizable reads (e.g. etcd's default read
   * mode, not its serializable one): then a stale read is a violation too.
   */
  linearizableReads?: boolean;
  /**
   * The consistency models the transactional checkers hold the history to:
   * --consistency-models or test.workloadOptions when given, else what the
   * target promises under its options (TransactionalModels), else the workload's default.
   */
  consistencyModels?: readonly string[];
}

/**
 * A workload: its op vocabulary, the generator of its client ops (and of its
 * final ops, after the faults are healed), and the checker that judges the
 * history. A target runs it once it has a client for it (Target.clients).
 */
export interface Workload {
  readonly name: string;
  /** The op vocabulary: f -> a description of the value shapes (invoke and ok). */
  readonly vocabulary: Readonly<Record<string, string>>;
  /** Client ops for the main phase (the interpreter applies the time limit). */
  generator(options: WorkloadOptions): Generator;
  /** Ops after faults are healed, e.g. final reads; undefined when none. */
  finalGenerator(options: WorkloadOptions): Generator | undefined;
  checker(options: WorkloadOptions): Checker;
}

/**
 * A workload, typed (an identity function: it only checks the shape). For
 * a plugin: `export default defineWorkload({ name, vocabulary, generator, finalGenerator, checker })`.
 */
export function defineWorkload<W extends Workload>(workload: W): W {
  return workload;
}
