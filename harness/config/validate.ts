/**
 * A small schema checker for config files: every value is checked against a
 * schema, unknown keys are errors, and a failure names the key path
 * (`runtime.ssh.nodes[2].port`) and what was expected.
 */

export type Schema =
  | { type: 'string'; enum?: readonly string[]; pattern?: RegExp; patternHint?: string }
  | { type: 'number'; integer?: boolean; min?: number; max?: number }
  | { type: 'boolean' }
  | { type: 'array'; items: Schema; minItems?: number }
  /** Known keys only; `required` keys must be present. */
  | { type: 'object'; properties: Record<string, Schema>; required?: readonly string[] }
  /** Any keys, each value matching `values`. */
  | { type: 'record'; values: Schema }
  /** The first alternative whose `type` matches the value's JSON type is used. */
  | { type: 'oneOf'; options: readonly Schema[] }
  /** Any JSON value. */
  | { type: 'json' };

/** A value that does not fit its schema: `path` is the key path as segments. */
export class SchemaError extends Error {
  constructor(
    readonly path: ReadonlyArray<string | number>,
    readonly expected: string,
  ) {
    super(`${formatPath(path)}: ${expected}`);
    this.name = 'SchemaError';
  }
}

/** `runtime.ssh.nodes[2].port` */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const segment of path)
    out += typeof segment === 'number' ? `[${segment}]` : out === '' ? segment : `.${segment}`;
  return out === '' ? '(top level)' : out;
}

/** Returns nothing when value fits schema; throws the first SchemaError otherwise. */
export function validate(value: unknown, schema: Schema, path: Array<string | number> = []): void {
  const fail = (expected: string): never => {
    throw new SchemaError(path, `${expected}, got ${describe(value)}`);
  };
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') fail('expected a string');
      if (schema.enum && !schema.enum.includes(value as string)) fail(`expected one of ${schema.enum.join(', ')}`);
      if (schema.pattern && !schema.pattern.test(value as string))
        fail(`expected ${schema.patternHint ?? `a string matching ${schema.pattern}`}`);
      return;
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value))
        fail(schema.integer ? 'expected a whole number' : 'expected a number');
      const n = value as number;
      if (schema.integer && !Number.isInteger(n)) fail('expected a whole number');
      if (schema.min !== undefined && n < schema.min) fail(`expected a number >= ${schema.min}`);
      if (schema.max !== undefined && n > schema.max) fail(`expected a number <= ${schema.max}`);
      return;
    }
    case 'boolean':
      if (typeof value !== 'boolean') fail('expected true or false');
      return;
    case 'array': {
      if (!Array.isArray(value)) fail('expected a list');
      const items = value as unknown[];
      if (schema.minItems !== undefined && items.length < schema.minItems)
        fail(`expected at least ${schema.minItems} item(s)`);
      items.forEach((item, i) => {
        validate(item, schema.items, [...path, i]);
      });
      return;
    }
    case 'object': {
      if (!isPlainObject(value)) fail('expected a mapping of keys to values');
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        const known = schema.properties[key];
        if (!known) {
          throw new SchemaError(
            [...path, key],
            `unknown key (known keys here: ${Object.keys(schema.properties).join(', ')})`,
          );
        }
        if (object[key] !== undefined && object[key] !== null) validate(object[key], known, [...path, key]);
      }
      for (const key of schema.required ?? []) {
        if (object[key] === undefined || object[key] === null) throw new SchemaError([...path, key], 'is required');
      }
      return;
    }
    case 'record': {
      if (!isPlainObject(value)) fail('expected a mapping of keys to values');
      for (const [key, v] of Object.entries(value as Record<string, unknown>))
        validate(v, schema.values, [...path, key]);
      return;
    }
    case 'oneOf': {
      const match = schema.options.find((option) => jsonTypeFits(value, option));
      if (!match) fail(`expected ${schema.options.map(typeName).join(' or ')}`);
      validate(value, match!, path);
      return;
    }
    case 'json':
      return;
  }
}

/** Drops keys whose value is null (YAML's empty value), recursively, so they read as absent. */
export function dropNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(dropNulls);
  if (!isPlainObject(value)) return value;
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => [k, dropNulls(v)]),
  );
}

function jsonTypeFits(value: unknown, schema: Schema): boolean {
  switch (schema.type) {
    case 'string':
    case 'number':
    case 'boolean':
      return typeof value === schema.type;
    case 'array':
      return Array.isArray(value);
    case 'object':
    case 'record':
      return isPlainObject(value);
    case 'oneOf':
      return schema.options.some((o) => jsonTypeFits(value, o));
    case 'json':
      return true;
  }
}

function typeName(schema: Schema): string {
  switch (schema.type) {
    case 'string':
      return schema.enum ? `one of ${schema.enum.join(', ')}` : 'a string';
    case 'number':
      return schema.integer ? 'a whole number' : 'a number';
    case 'boolean':
      return 'true or false';
    case 'array':
      return `a list of ${typeName(schema.items).replace(/^an? /, '')}s`;
    case 'object':
    case 'record':
      return 'a mapping';
    case 'oneOf':
      return schema.options.map(typeName).join(' or ');
    case 'json':
      return 'any value';
  }
}

function isPlainObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a list';
  if (isPlainObject(value)) return 'a mapping';
  const text = JSON.stringify(value);
  return text === undefined ? String(value) : text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
