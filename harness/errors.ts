/**
 * Errors the CLI turns into a clear message and an exit code, never a stack trace.
 * Everything else that escapes is an internal error (exit 255).
 * UserError and MalformedHistoryError live with the histories (a leaf that checkers may import).
 */
import { UserError } from './history/errors.js';

export { MalformedHistoryError, UserError } from './history/errors.js';

/**
 * True for a UserError, also one made by another copy of faultline (a plugin
 * that bundles its own, or imports the compiled package while the CLI runs
 * the sources): they are told apart by name, not by class.
 */
export function isUserError(err: unknown): err is UserError {
  return err instanceof UserError || (err instanceof Error && err.name === 'UserError');
}

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
