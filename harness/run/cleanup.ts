/**
 * Undo steps for a run, run last-in first-out exactly once, whether the run
 * ends normally, with an error, or on Ctrl-C. A failing step is logged and the
 * rest still run: a failed heal must not leave nodes behind.
 */
import type { Logger } from '../log.js';

export class CleanupStack {
  private readonly steps: { what: string; undo: () => Promise<void> }[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly log: Logger) {}

  push(what: string, undo: () => Promise<void>): void {
    this.steps.push({ what, undo });
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
        this.log.error(`cleanup: ${step.what} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}
