/**
 * Errors the CLI turns into a clear message and an exit code, never a stack trace.
 * Everything else that escapes is an internal error (exit 255).
 * UserError and MalformedHistoryError live with the histories (a leaf that checkers may import).
 */
export { MalformedHistoryError, UserError } from './history/errors.js';

/** Ctrl-C / SIGTERM stopped a run before it had a history to check: exit 130. */
export class InterruptedError extends Error {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'InterruptedError';
  }
}

export const EXIT = {
  valid: 0,
  invalid: 1,
  unknown: 2,
  /** 128 + SIGINT, as shells report it. */
  interrupted: 130,
  badInput: 254,
  crash: 255,
} as const;
