/**
 * Reads a history file in any format faultline understands, into ops.
 *
 * - `jsonl`: faultline's own history.jsonl (formats/jsonl.ts).
 * - `json-array`: elle-cli's JSON, one array of op objects, f and time
 *   optional (formats/json-array.ts).
 * - `edn`: Jepsen / Knossos history.edn (formats/edn.ts).
 * - `jepsen-log`: Jepsen's history.txt or jepsen.log op lines (formats/jepsen-log.ts).
 * - `auto` (the default): decided from the content (formats/detect.ts).
 *
 * Index and time are settled here, the same way for every format:
 * - `index` is always the op's position in what was read (0, 1, 2, ...); an
 *   index in the file is checked to be a number and then replaced, so that
 *   MalformedHistoryError.opIndex and lineOf always agree.
 * - `time` is kept when every op has one. When no op has one (Knossos files,
 *   history.txt, logs), time is the op's position, so order stands in for the
 *   clock. When some ops have a time and others not, that is an error naming
 *   the first op without one.
 *
 * The path `-` is standard input (named "stdin" in messages), as in most
 * Unix tools: `jepsen-to-history | faultline check - --model register`.
 *
 * Malformed input is a UserError naming the file and line
 * (`history.jsonl:17: unknown type "okk"`). The one exception is a torn last
 * line of a JSONL history (the harness was killed mid-write): it is dropped
 * and reported in `warnings`.
 */
import type { Readable } from 'node:stream';
import { UserError } from './errors.js';
import { type ConcreteFormat, detectFormat } from './formats/detect.js';
import { parseEdnHistory } from './formats/edn.js';
import { parseJepsenLog } from './formats/jepsen-log.js';
import { parseJsonArray } from './formats/json-array.js';
import { parseJsonl } from './formats/jsonl.js';
import type { RawOp, ReadOps } from './formats/op-fields.js';
import type { Op } from './op.js';
import { decodeUtf8, readTextFile } from './text-file.js';

export type HistoryFormat = 'auto' | ConcreteFormat;
export const HISTORY_FORMATS: readonly HistoryFormat[] = ['auto', 'jsonl', 'json-array', 'edn', 'jepsen-log'];

export interface LoadedHistory {
  history: Op[];
  /** The format the file was read as (never 'auto'). */
  format: ConcreteFormat;
  /**
   * The 1-based line of the file where op `opIndex` starts.
   * Throws RangeError when there is no such op.
   */
  lineOf(opIndex: number): number;
  /** The path as given by the caller (used in messages). */
  path: string;
  /** Problems worked around while reading (`path:line: ...`), e.g. a dropped torn last line. */
  warnings: string[];
}

export interface ReadOptions {
  /** Default 'auto'. */
  format?: HistoryFormat;
}

/** The path that names standard input. */
export const STDIN_PATH = '-';

/**
 * Reads and parses a history file, or standard input for `-` (`stdin`,
 * default process.stdin; messages then name "stdin").
 * Returns the loaded history; throws UserError when the file cannot be read
 * (missing, a directory, no permission, a FIFO or device: see text-file.ts),
 * when `-` is given but standard input is a terminal (nothing was piped in:
 * reading would wait for typing), when it is not UTF-8, or when the content
 * is malformed.
 */
export async function readHistoryFile(
  path: string,
  options: ReadOptions & { stdin?: Readable & { isTTY?: boolean } } = {},
): Promise<LoadedHistory> {
  const { stdin = process.stdin, ...readOptions } = options;
  if (path === STDIN_PATH) return parseHistory(await readAll(stdin), { ...readOptions, path: 'stdin' });
  return parseHistory(await readTextFile(path, 'history file'), { ...readOptions, path });
}

/** Standard input (a pipe, which readTextFile refuses as a file) as text; strict UTF-8 as for files. */
async function readAll(stream: Readable & { isTTY?: boolean }): Promise<string> {
  if (stream.isTTY) {
    throw new UserError('reads the history from standard input, which is a terminal: pipe a history into it', {
      where: STDIN_PATH,
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return decodeUtf8(Buffer.concat(chunks), 'stdin');
}

/**
 * Parses history text held in memory; `path` is only used in messages.
 * Returns the loaded history; throws UserError naming `path:line` when the
 * content is malformed, or naming `path` when its format cannot be told.
 */
export function parseHistory(text: string, options: ReadOptions & { path: string }): LoadedHistory {
  const { path } = options;
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const requested = options.format ?? 'auto';
  if (!HISTORY_FORMATS.includes(requested)) {
    throw new UserError(`unknown history format "${requested}" (known: ${HISTORY_FORMATS.join(', ')})`);
  }
  const format = requested === 'auto' ? detectFormat(text, path) : requested;
  const read = PARSERS[format](text, path);
  const history = settleIndexAndTime(read, path);
  const lines = read.lines;
  return {
    history,
    format,
    path,
    warnings: read.warnings,
    lineOf(opIndex: number): number {
      const line = Number.isInteger(opIndex) ? lines[opIndex] : undefined;
      if (line === undefined) throw new RangeError(`${path} has no op ${opIndex} (it has ${lines.length})`);
      return line;
    },
  };
}

const PARSERS: Record<ConcreteFormat, (text: string, path: string) => ReadOps> = {
  jsonl: parseJsonl,
  'json-array': parseJsonArray,
  edn: parseEdnHistory,
  'jepsen-log': parseJepsenLog,
};

/** Gives each op its position as index, and its time (see the module comment). */
function settleIndexAndTime(read: ReadOps, path: string): Op[] {
  const timed = read.ops.filter((op) => op.time !== undefined).length;
  if (timed > 0 && timed < read.ops.length) {
    const first = read.ops.findIndex((op) => op.time === undefined);
    throw new UserError('op has no time, but other ops in this file do (give every op a time, or none)', {
      where: `${path}:${read.lines[first]}`,
    });
  }
  if (timed > 0) checkTimes(read, path);
  return read.ops.map(({ time, ...fields }, index) => ({ index, time: time ?? index, ...fields }));
}

/**
 * Times from the file. Checkers order ops by their position, never by time,
 * so odd times cannot change a verdict; they are warned about (the report
 * and the stats use them). The one exception is an op that completes before
 * it was invoked: the file contradicts itself about real-time order, so it is
 * an error naming the line.
 */
function checkTimes(read: ReadOps, path: string): void {
  const invokedAt = new Map<RawOp['process'], { time: number; line: number }>();
  let negative: { line: number; count: number } | undefined;
  let backwards: { line: number; from: number; to: number; count: number } | undefined;
  let previous = Number.NEGATIVE_INFINITY;
  read.ops.forEach((op, i) => {
    const time = op.time!;
    const line = read.lines[i]!;
    if (time < 0) negative = negative ? { ...negative, count: negative.count + 1 } : { line, count: 1 };
    if (time < previous) {
      backwards = backwards
        ? { ...backwards, count: backwards.count + 1 }
        : { line, from: previous, to: time, count: 1 };
    }
    previous = time;
    if (op.type === 'invoke') {
      invokedAt.set(op.process, { time, line });
      return;
    }
    const invoke = invokedAt.get(op.process);
    invokedAt.delete(op.process);
    if (invoke && time < invoke.time) {
      throw new UserError(
        `this ${op.type} completes at time ${time}, ` +
          `before its invocation at line ${invoke.line} (time ${invoke.time}): ` +
          'the file contradicts itself about real-time order',
        { where: `${path}:${line}` },
      );
    }
  });
  if (negative) {
    read.warnings.push(
      `${path}:${negative.line}: time is negative (${negative.count} op(s)); ` +
        'times are nanoseconds since the test started',
    );
  }
  if (backwards) {
    read.warnings.push(
      `${path}:${backwards.line}: time goes backwards (from ${backwards.from} to ${backwards.to}; ` +
        `${backwards.count} time(s) in the file); ops are checked in the order of the file, not by time`,
    );
  }
}
