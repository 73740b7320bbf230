/**
 * Errors the CLI turns into a clear message and an exit code, never a stack trace.
 * Everything else that escapes is an internal error (exit 255).
 */

/** Bad arguments, config or input: exit 254. `where` names the file and line, or the option. */
export class UserError extends Error {
  readonly where: string | undefined;
  constructor(message: string, options: { where?: string; cause?: unknown } = {}) {
    super(options.where ? `${options.where}: ${message}` : message, { cause: options.cause });
    this.name = 'UserError';
    this.where = options.where;
  }
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

/**
 * A history that breaks the rules (a completion with no invocation, a process
 * that invokes twice, ...). `opIndex` is the position in the history; readers
 * map it to the file and line.
 */
export class MalformedHistoryError extends Error {
  readonly opIndex: number;
  constructor(message: string, opIndex: number, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'MalformedHistoryError';
    this.opIndex = opIndex;
  }
}
