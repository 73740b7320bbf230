/**
 * The errors of reading and pairing histories (and of checking them): a leaf,
 * so that checkers and workloads can throw them without importing the harness.
 * The CLI turns them into a clear message and exit 254, never a stack trace.
 */

/** Bad arguments, config or input: exit 254. `where` names the file and line, or the option. */
export class UserError extends Error {
  readonly where: string | undefined;
  constructor(message: string, options: { where?: string | undefined; cause?: unknown } = {}) {
    super(options.where ? `${options.where}: ${message}` : message, { cause: options.cause });
    this.name = 'UserError';
    this.where = options.where;
  }
}

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
