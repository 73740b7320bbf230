/**
 * The options of `faultline test`, validated up front: a bad value is a
 * UserError naming the option.
 */
import { UserError } from '../errors.js';

export interface TestOptions {
  name: string;
  target: string;
  workload: string;
  /** Nemesis package names; empty for no faults. */
  nemesis: string[];
  nemesisIntervalSeconds: number;
  runtime: string;
  nodeCount: number;
  concurrency: number;
  timeLimitSeconds: number;
  seed: number;
  /** Per-op timeout: a client op still running after it is recorded as info. */
  opTimeoutMs: number;
  /** After healing, how long to let the cluster recover before final reads. */
  recoverySeconds: number;
  readMode: 'linearizable' | 'serializable';
  resultsDir: string;
  /** Budget for the checker; past it the verdict is unknown. */
  checkTimeoutSeconds: number;
  /** Ops per second across all clients; 0 means as fast as they go. */
  rate: number;
}

export const DEFAULT_TEST_OPTIONS = {
  target: 'etcd',
  workload: 'register',
  nemesis: [] as string[],
  nemesisIntervalSeconds: 10,
  runtime: 'netns',
  nodeCount: 5,
  concurrency: 10,
  timeLimitSeconds: 60,
  opTimeoutMs: 5000,
  recoverySeconds: 10,
  readMode: 'linearizable',
  resultsDir: 'results',
  checkTimeoutSeconds: 120,
  rate: 0,
} satisfies Partial<TestOptions>;

export function positiveNumber(option: string, value: unknown, { integer = false, min = 0 } = {}): number {
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isFinite(n) || n < min || (integer && !Number.isInteger(n))) {
    throw new UserError(`expected ${integer ? 'a whole number' : 'a number'} >= ${min}, got ${JSON.stringify(value)}`, {
      where: `--${option}`,
    });
  }
  return n;
}

export function oneOf<T extends string>(option: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`expected one of ${allowed.join(', ')}, got ${JSON.stringify(value)}`, { where: `--${option}` });
}

/** "partition,kill" or ["partition", "kill"] -> ["partition", "kill"]; "none" or "" -> []. */
export function nemesisList(value: unknown): string[] {
  const parts = (Array.isArray(value) ? value : [value ?? ''])
    .flatMap((v) => String(v).split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none');
  return [...new Set(parts)];
}
