/**
 * A target's options come from its zod schema (Target.options): the config's
 * test.targetOptions, and a command-line flag per field, named after it
 * (readMode -> --read-mode). Flags arrive as text and are read as the
 * field's type (a number field's flag as a number); the schema judges them,
 * and an error names the flag or the config key the bad value came from.
 */
import { z } from 'zod';
import { parseSchema, SchemaError } from '../harness/config/zod.js';
import { UserError } from '../harness/errors.js';
import type { AnyTarget, Target } from './target.js';

export interface TargetFlag {
  /** The option's key in test.targetOptions, e.g. readMode. */
  key: string;
  /** e.g. --read-mode */
  flag: string;
  description: string;
  /** The default, when the schema gives one. */
  default: unknown;
  /** The values an enum option takes. */
  choices: string[] | undefined;
  type: 'string' | 'number' | 'boolean';
}

/** readMode -> read-mode */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The flags of a target's options, in schema order. */
export function targetFlags(target: AnyTarget): TargetFlag[] {
  const shape = objectShape(target.options);
  return Object.entries(shape).map(([key, field]) => {
    const inner = unwrapped(field);
    const choices = inner instanceof z.ZodEnum ? (inner.options as string[]) : undefined;
    const type = inner instanceof z.ZodNumber ? 'number' : inner instanceof z.ZodBoolean ? 'boolean' : 'string';
    return {
      key,
      flag: `--${kebab(key)}`,
      description: field.description ?? inner.description ?? '',
      default: defaultOf(field),
      choices,
      type,
    };
  });
}

/**
 * The target's options from the config's test.targetOptions with flag values
 * (text, by key) over them. Throws UserError naming the flag or
 * `test.targetOptions.<key>` for a bad value or an unknown key.
 */
export function parseTargetOptions<O>(
  target: Target<O>,
  config: Record<string, unknown> = {},
  flags: Record<string, string> = {},
): O {
  const byKey = new Map(targetFlags(target).map((f) => [f.key, f]));
  const fromFlags: Record<string, unknown> = {};
  for (const [key, text] of Object.entries(flags)) {
    const flag = byKey.get(key);
    if (!flag) throw new UserError(`target ${target.name} has no option ${key}`, { where: `--${kebab(key)}` });
    fromFlags[key] = flagValue(flag, text);
  }
  try {
    return parseSchema(target.options, { ...config, ...fromFlags }, ['test', 'targetOptions']);
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
    const key = err.path[2];
    // hasOwn, not `in`: a config key such as "constructor" is not a flag.
    const viaFlag = typeof key === 'string' && Object.hasOwn(fromFlags, key);
    const where = viaFlag ? `--${kebab(key)}` : undefined;
    const message = viaFlag ? `${err.expected} (target ${target.name})` : err.message;
    throw new UserError(message, { where, cause: err });
  }
}

/** Flag text read as the option's type; text that does not fit is passed on for the schema to refuse. */
function flagValue(flag: TargetFlag, text: string): unknown {
  if (flag.type === 'number') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  if (flag.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  return text;
}

function objectShape(schema: z.ZodType): Record<string, z.ZodType> {
  const s = unwrapped(schema);
  if (!(s instanceof z.ZodObject)) throw new Error('a target option schema must be a z.object');
  return s.shape as Record<string, z.ZodType>;
}

function unwrapped(schema: z.ZodType): z.ZodType {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) {
    s = s.unwrap() as z.ZodType;
  }
  return s;
}

function defaultOf(schema: z.ZodType): unknown {
  let s = schema;
  while (s instanceof z.ZodOptional || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
  return s instanceof z.ZodDefault ? (s.def.defaultValue as unknown) : undefined;
}
