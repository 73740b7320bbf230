/**
 * Turns the fields of one op as a reader found them (a JSON object, an EDN
 * map with keywords already turned into strings) into an op, checking each
 * field. `index` and `time` are settled later by read.ts, once the whole
 * history is known.
 */
import { type Json, OP_TYPES, type OpType, type ProcessId } from '../op.js';

/** An op before read.ts gives it its position (index) and, if absent, its time. */
export interface RawOp {
  type: OpType;
  process: ProcessId;
  f: string;
  /** From the file; undefined when the file gave none. */
  time: number | undefined;
  value?: Json;
  key?: Json;
  node?: string;
  error?: Json;
}

/** What a format reader returns: the ops, and the 1-based line where each starts. */
export interface ReadOps {
  ops: RawOp[];
  lines: number[];
  /** Problems the reader worked around (`path:line: ...`), e.g. a dropped torn last line. */
  warnings: string[];
}

/** A problem with one op; the reader adds the file and line. */
export class OpFieldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OpFieldError';
  }
}

/**
 * Builds a RawOp from named fields.
 * Returns the op; throws OpFieldError naming the first bad or missing field.
 * Fields other than type, process, f, value, key, node, error, time and index
 * are ignored (Jepsen ops may carry extra keys such as :debug).
 */
export function opFromFields(fields: ReadonlyMap<string, Json>): RawOp {
  const type = fields.get('type');
  if (type === undefined) throw new OpFieldError('missing field "type"');
  if (typeof type !== 'string' || !(OP_TYPES as readonly string[]).includes(type)) {
    throw new OpFieldError(`unknown type ${show(type)} (expected invoke, ok, fail or info)`);
  }
  const op: RawOp = {
    type: type as OpType,
    process: processFrom(fields.get('process')),
    f: fFrom(fields.get('f')),
    time: numberField(fields, 'time'),
  };
  numberField(fields, 'index'); // checked, then replaced by the op's position (see read.ts)
  if (fields.has('value')) op.value = fields.get('value') as Json;
  if (fields.has('key')) op.key = fields.get('key') as Json;
  if (fields.has('error')) op.error = fields.get('error') as Json;
  const node = fields.get('node');
  if (node !== undefined && node !== null) {
    if (typeof node !== 'string') throw new OpFieldError(`node must be a string, got ${show(node)}`);
    op.node = node;
  }
  return op;
}

/** A process id: a whole number, or "nemesis". Throws OpFieldError otherwise. */
export function processFrom(value: Json | undefined): ProcessId {
  if (value === undefined) throw new OpFieldError('missing field "process"');
  if (value === 'nemesis') return 'nemesis';
  if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
  throw new OpFieldError(`process must be a whole number or "nemesis", got ${show(value)}`);
}

/** An op name: a non-empty string. Throws OpFieldError otherwise. */
export function fFrom(value: Json | undefined): string {
  if (value === undefined) throw new OpFieldError('missing field "f"');
  if (typeof value === 'string' && value !== '') return value;
  throw new OpFieldError(`f must be a non-empty string, got ${show(value)}`);
}

/** The field as a finite number; undefined when absent or null. Throws OpFieldError otherwise. */
function numberField(fields: ReadonlyMap<string, Json>, name: string): number | undefined {
  const value = fields.get(name);
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'number') {
    throw new OpFieldError(`${name} is out of range (${show(value)}): expected a finite number`);
  }
  throw new OpFieldError(`${name} must be a number, got ${show(value)}`);
}

/** A value for an error message: JSON, cut short (a number too large for a double shows as Infinity, not null). */
export function show(value: unknown): string {
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
