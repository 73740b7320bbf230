/**
 * Options and config are described once, as zod schemas: the types come from
 * them (z.infer) and so does validation. This file turns zod's first issue
 * into faultline's message style, naming the key path and what was expected:
 *
 *   runtime.ssh.nodes[2].port: expected a whole number, got "x"
 *   test.nemesisOptions.kill.nodez: unknown key (known keys here: nodes)
 *
 * A schema may give its own message (`{ error: 'expected an IPv4 subnet like 10.213.0.0/24' }`):
 * a message that starts with "expected" gets ", got <value>" appended.
 */
import { z } from 'zod';

export type KeyPath = ReadonlyArray<string | number>;

/** A value that does not fit its schema: `path` is the key path as segments. */
export class SchemaError extends Error {
  constructor(
    readonly path: KeyPath,
    readonly expected: string,
  ) {
    super(`${formatPath(path)}: ${expected}`);
    this.name = 'SchemaError';
  }
}

/** `runtime.ssh.nodes[2].port`; "(top level)" for the empty path. */
export function formatPath(path: KeyPath): string {
  let out = '';
  for (const segment of path)
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  return out === '' ? '(top level)' : out;
}

/**
 * The parsed value (defaults filled in, transforms applied). Throws
 * SchemaError for the first issue, its path prefixed with `prefix`.
 */
export function parseSchema<S extends z.ZodType>(schema: S, value: unknown, prefix: KeyPath = []): z.output<S> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  // An unknown key is most often a typo of a missing one: say that first.
  const { issues } = result.error;
  const { issue, path } = decisive(issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!, []);
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0] ?? '';
    const known = knownKeys(schema, path);
    const hint = known.length > 0 ? ` (known keys here: ${known.join(', ')})` : '';
    throw new SchemaError([...prefix, ...path, key], `unknown key${hint}`);
  }
  throw new SchemaError([...prefix, ...path], message(issue));
}

type Issue = z.core.$ZodIssue;

/**
 * The issue to report and its path. For a union, the alternative of the
 * value's own type decides (a number given where "a count or a list of
 * names" is allowed is judged as a count): its issue, when exactly one
 * alternative got past the type check; otherwise the union's own.
 */
function decisive(issue: Issue, prefix: KeyPath): { issue: Issue; path: KeyPath } {
  const path = [...prefix, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
  if (issue.code !== 'invalid_union') return { issue, path };
  const scored = issue.errors
    .filter((branch) => branch.length > 0)
    .map((branch) => ({ branch, score: fitness(branch[0]!) }))
    .sort((a, b) => b.score - a.score);
  const best = scored[0];
  if (!best || best.score === 0 || scored[1]?.score === best.score) return { issue, path };
  return decisive(best.branch.find((i) => i.code === 'unrecognized_keys') ?? best.branch[0]!, path);
}

/**
 * How well a union alternative fits the value, from its first issue: 2 when
 * the value got past the alternative's top level (the problem is inside), 1
 * when it has the right type but a wrong value (2.5 for a whole number, "vm"
 * for an enum), 0 when it is of another type altogether.
 */
function fitness(first: Issue): number {
  if (first.path.length > 0) return 2;
  if (first.code !== 'invalid_type') return 1;
  const numeric = first.expected === 'int' || first.expected === 'number';
  return numeric && typeof first.input === 'number' ? 1 : 0;
}

/** What the issue expected, in faultline's words. */
function message(issue: Issue): string {
  const got = `, got ${describeValue(issue.input)}`;
  if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
  const custom = !isDefaultMessage(issue.message);
  if (custom) return issue.message.startsWith('expected') ? issue.message + got : issue.message;
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${typeNoun(issue.expected)}${got}`;
    case 'too_small':
      return `expected ${bound(issue.origin, issue.minimum, issue.inclusive ?? true, 'min')}${got}`;
    case 'too_big':
      return `expected ${bound(issue.origin, issue.maximum, issue.inclusive ?? true, 'max')}${got}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => String(v)).join(', ')}${got}`;
    case 'invalid_union':
      return `expected a value of another shape${got}`;
    default:
      return `${issue.message}${got}`;
  }
}

/** zod's own messages begin like these; a schema's custom message does not. */
function isDefaultMessage(text: string): boolean {
  return /^(Invalid|Too (small|big)|Unrecognized|Expected)/.test(text);
}

function typeNoun(expected: string): string {
  const nouns: Record<string, string> = {
    number: 'a number',
    int: 'a whole number',
    string: 'a string',
    boolean: 'true or false',
    array: 'a list',
    object: 'a mapping of keys to values',
    record: 'a mapping of keys to values',
  };
  return nouns[expected] ?? expected;
}

function bound(origin: string, limit: number | bigint, inclusive: boolean, side: 'min' | 'max'): string {
  const n = Number(limit);
  if (origin === 'array' || origin === 'set') {
    return side === 'min' ? `at least ${n} item(s)` : `at most ${n} item(s)`;
  }
  if (origin === 'string')
    return side === 'min' ? (n <= 1 ? 'a non-empty string' : `at least ${n} characters`) : `at most ${n} characters`;
  const op = side === 'min' ? (inclusive ? '>=' : '>') : inclusive ? '<=' : '<';
  return `a number ${op} ${n}`;
}

/** A value in a message: lists and mappings by kind, the rest as (short) JSON. */
export function describeValue(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'a mapping';
  if (typeof value === 'bigint') return value.toString();
  // JSON would print a number too large for a double (1e400 reads as Infinity) as null.
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/** The keys an object schema at `path` knows (for "unknown key" messages); [] when it cannot tell. */
function knownKeys(schema: z.ZodType, path: KeyPath): string[] {
  let at: z.ZodType | undefined = schema;
  for (const segment of path) {
    at = at && child(at, segment);
    if (!at) return [];
  }
  const shape = at && objectShape(at);
  return shape ? Object.keys(shape) : [];
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let i = 0; i < 10; i++) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodNullable || s instanceof z.ZodDefault) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else break;
  }
  return s;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const s = unwrap(schema);
  if (s instanceof z.ZodObject) return s.shape as Record<string, z.ZodType>;
  if (s instanceof z.ZodUnion) {
    for (const option of s.options as z.ZodType[]) {
      const shape = objectShape(option);
      if (shape) return shape;
    }
  }
  return undefined;
}

function child(schema: z.ZodType, segment: string | number): z.ZodType | undefined {
  const s = unwrap(schema);
  if (typeof segment === 'number') {
    if (s instanceof z.ZodArray) return s.element as z.ZodType;
    if (s instanceof z.ZodUnion) {
      for (const o of s.options as z.ZodType[]) {
        const c = child(o, segment);
        if (c) return c;
      }
    }
    return undefined;
  }
  if (s instanceof z.ZodRecord) return s.valueType as z.ZodType;
  return objectShape(s)?.[segment];
}
