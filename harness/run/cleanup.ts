/**
 * Undo steps for a run, run last-in first-out exactly once, whether the run
 * ends normally, with an error, or on Ctrl-C. A failing step is logged, kept
 * in `failures` (the run's results carry them as warnings), and the rest
 * still run: a failed heal must not leave nodes behind.
 */
import type { Logger } from '../log.js';

export class CleanupStack {
  private readonly steps: { what: string; undo: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;
  private readonly failed: string[] = [];

  constructor(private readonly log: Logger) {}

  push(what: string, undo: () => Promise<void>): void {
    this.steps.push({ what, undo });
  }

  /** The steps that failed so far, one line each ("cleanup: <what> failed: <why>"). */
  failures(): string[] {
    return [...this.failed];
  }

  /** Runs every step once (later calls wait for the first). */
  run(): Promise<void> {
    this.running ??= this.runSteps();
    return this.running;
  }

  private async runSteps(): Promise<void> {
    while (this.steps.length > 0) {
      const step = this.steps.pop()!;
      try {
        this.log.info(`cleanup: ${step.what}`);
        await step.undo();
      } catch (err) {
        const failure = `cleanup: ${step.what} failed: ${describe(err)}`;
        this.failed.push(failure);
        this.log.error(failure);
      }
    }
  }
}

/** The message of an error, with those an AggregateError gathers (e.g. daemons that could not be stopped). */
function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  if (err instanceof AggregateError && err.errors.length > 0) {
    return `${err.message}: ${err.errors.map((e: unknown) => (e instanceof Error ? e.message : String(e))).join('; ')}`;
  }
  return err.message;
}
