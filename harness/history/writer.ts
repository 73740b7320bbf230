/**
 * The streaming history writer: one op per line (JSON Lines), appended as the
 * run goes, so a crash of the harness still leaves a checkable history.
 *
 * Durability trade-off (measured in bench/harness.ts): `append` only
 * serialises the op into a buffer; the buffer goes to the file with one
 * synchronous write at least every `flushIntervalMs` (default 5 ms), as soon
 * as it holds `maxBufferBytes`, on `flush`/`close`, and from a process 'exit'
 * handler. A write hands the bytes to the OS page cache, so:
 * - an exception or a normal exit of the harness loses nothing;
 * - SIGKILL of the harness loses at most the last few milliseconds of ops
 *   (and may leave the last line cut short: the JSONL reader drops a torn
 *   final line with a warning, see formats/jsonl.ts);
 * - a crash of the whole machine may lose what the OS had not written yet:
 *   the file is fsynced only at `close` (an fsync per flush would cost far
 *   more than the 50,000 ops/s the harness must sustain).
 * A write per line would be simpler but costs a system call per op.
 *
 * The writer also keeps every op in memory (`history()`), so the checker runs
 * on the same ops without re-reading the file. The ops are kept by
 * reference: callers must not change an op after appending it, and must
 * append JSON ops: the interpreter makes every recorded value JSON where it
 * enters (harness/interpreter/answer.ts). An op that JSON.stringify rejects
 * (a BigInt, a cycle) is refused with a TypeError and neither written nor
 * kept, so the file and memory always agree.
 */
import { closeSync, fsyncSync, openSync, writeSync } from 'node:fs';
import { UserError } from './errors.js';
import type { History, Op } from './op.js';

export interface HistoryWriter {
  /** The file being written. */
  readonly path: string;
  /** Ops appended so far. */
  readonly count: number;
  /**
   * Adds an op (index and time already assigned by the caller). Throws
   * HistoryWriteError when an earlier write to the file failed (disk full, ...)
   * and an Error after close.
   */
  append(op: Op): void;
  /** Writes everything buffered. Rejects with HistoryWriteError when the write fails. */
  flush(): Promise<void>;
  /** Flushes, fsyncs and closes the file. Idempotent. Rejects with HistoryWriteError when that fails. */
  close(): Promise<void>;
  /** Every op appended, in order (empty when keepInMemory is false). */
  history(): History;
}

export interface HistoryWriterOptions {
  /** Longest time an appended op waits in the buffer (default 5 ms). */
  flushIntervalMs?: number;
  /** Write at once when the buffer holds this many bytes (default 256 KiB). */
  maxBufferBytes?: number;
  /** Keep the ops in memory for `history()` (default true). */
  keepInMemory?: boolean;
}

/** Writing the history file failed: the run cannot go on without its record. */
export class HistoryWriteError extends Error {
  readonly path: string;
  constructor(path: string, cause: unknown) {
    super(`writing the history ${path} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'HistoryWriteError';
    this.path = path;
  }
}

/**
 * Creates `path` (which must not exist yet: an existing history is never
 * overwritten) and returns a writer for it. Throws UserError naming the path
 * when it exists or cannot be created.
 */
export async function openHistoryWriter(path: string, options: HistoryWriterOptions = {}): Promise<HistoryWriter> {
  const flushIntervalMs = options.flushIntervalMs ?? 5;
  const maxBufferBytes = options.maxBufferBytes ?? 256 * 1024;
  const keep = options.keepInMemory ?? true;
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'EEXIST' ? 'already exists (a history is never overwritten)' : 'cannot be created';
    throw new UserError(`history file ${why}`, { where: path, cause: err });
  }

  const ops: Op[] = [];
  let chunks: string[] = [];
  let bufferedBytes = 0;
  let count = 0;
  let timer: NodeJS.Timeout | undefined;
  let failure: HistoryWriteError | undefined;
  let closed = false;

  const writeBuffered = (): void => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    if (chunks.length === 0 || failure) return;
    const data = chunks.join('');
    chunks = [];
    bufferedBytes = 0;
    try {
      let buf = Buffer.from(data, 'utf8');
      while (buf.length > 0) {
        const n = writeSync(fd, buf);
        buf = buf.subarray(n);
      }
    } catch (err) {
      failure = new HistoryWriteError(path, err);
    }
  };

  const onExit = (): void => writeBuffered();
  process.on('exit', onExit);

  return {
    path,
    get count() {
      return count;
    },
    append(op) {
      if (closed) throw new Error(`history writer for ${path} is closed`);
      if (failure) throw failure;
      let line: string;
      try {
        line = JSON.stringify(op);
      } catch (err) {
        throw new TypeError(`op ${op.index} is not JSON (${(err as Error).message}): values must be sanitised first`, {
          cause: err,
        });
      }
      if (keep) ops.push(op);
      count++;
      chunks.push(line, '\n');
      bufferedBytes += line.length + 1;
      if (bufferedBytes >= maxBufferBytes) writeBuffered();
      else if (timer === undefined) {
        timer = setTimeout(writeBuffered, flushIntervalMs);
        timer.unref();
      }
    },
    async flush() {
      writeBuffered();
      if (failure) throw failure;
    },
    async close() {
      if (closed) return;
      closed = true;
      writeBuffered();
      process.off('exit', onExit);
      try {
        fsyncSync(fd);
      } catch (err) {
        failure ??= new HistoryWriteError(path, err);
      }
      try {
        closeSync(fd);
      } catch (err) {
        failure ??= new HistoryWriteError(path, err);
      }
      if (failure) throw failure;
    },
    history: () => ops,
  };
}
