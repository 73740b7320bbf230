/**
 * A search's budget, from CheckOptions: time (on the injected clock), memory
 * (on the injected heap reading) and an AbortSignal. Searches call
 * `exceeded()` between slices of work; it answers why to stop, or undefined.
 *
 * The defaults (performance.now, V8's used heap) are the only clock and
 * memory readings in checkers/, and only when the caller gave none.
 */
import { getHeapStatistics } from 'node:v8';
import type { CheckOptions } from './checker.js';

const size = (bytes: number): string =>
  bytes >= 2 ** 30 ? `${(bytes / 2 ** 30).toFixed(1)} GiB` : `${Math.round(bytes / 2 ** 20)} MiB`;

export class Budget {
  readonly clock: () => number;
  readonly startedAt: number;
  readonly deadline: number;
  readonly memoryLimitBytes: number;
  private readonly heapUsed: () => number;
  private readonly heapAtStart: number;
  /** Past this much heap in use the engine is close to running out, whatever the budget says (default only). */
  private readonly heapCeiling: number;

  constructor(private readonly options: CheckOptions = {}) {
    this.clock = options.clock ?? (() => performance.now());
    this.heapUsed = options.heapUsed ?? (() => getHeapStatistics().used_heap_size);
    this.startedAt = this.clock();
    this.deadline = this.startedAt + (options.timeoutMs ?? Number.POSITIVE_INFINITY);
    this.memoryLimitBytes = options.memoryLimitBytes ?? getHeapStatistics().heap_size_limit / 2;
    this.heapAtStart = this.heapUsed();
    this.heapCeiling =
      options.heapUsed === undefined ? getHeapStatistics().heap_size_limit * 0.85 : Number.POSITIVE_INFINITY;
  }

  /** Milliseconds since the budget started, on its clock. */
  elapsedMs(): number {
    return this.clock() - this.startedAt;
  }

  /** Why the search must stop now ("timed out after 100 ms", ...), or undefined to go on. */
  exceeded(): string | undefined {
    if (this.options.signal?.aborted) return this.abortReason();
    if (this.clock() >= this.deadline) return `timed out after ${this.options.timeoutMs} ms`;
    return this.memoryExceeded();
  }

  /** Why the memory budget is exceeded, or undefined. Cheaper callers read it less often than the clock. */
  memoryExceeded(): string | undefined {
    const used = this.heapUsed();
    if (used - this.heapAtStart > this.memoryLimitBytes)
      return `memory budget of ${size(this.memoryLimitBytes)} exceeded`;
    // A budget bigger than the heap (--memory-limit 8192 on a 4 GiB heap) must not run the engine out of memory.
    if (used > this.heapCeiling) return `memory budget exceeded: the heap is nearly full (${size(used)} in use)`;
    return undefined;
  }

  private abortReason(): string {
    const reason: unknown = this.options.signal?.reason;
    if (reason instanceof Error && reason.name !== 'AbortError') return `stopped: ${reason.message}`;
    if (typeof reason === 'string') return `stopped: ${reason}`;
    return 'stopped before it finished';
  }
}
