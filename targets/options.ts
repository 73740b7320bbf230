/**
 * A target's options come from its zod schema (Target.options): the config's
 * test.targetOptions, and a command-line flag per field, named after it
 * (readMode -> --read-mode). Flags arrive as text and are read as the
 * field's type (a number field's flag as a number); the schema judges them,
 * and an error names the flag or the config key the bad value came from.
 */
import type { z } from 'zod';
import { parseSchema, SchemaError } from '../harness/config/zod.js';
import { UserError } from '../harness/errors.js';
import { type AnyTarget, hasNodeCountLimits, type Target } from './target.js';

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
  /** list: an array option, given on the command line comma-separated. */
  type: 'string' | 'number' | 'boolean' | 'list';
}

/** readMode -> read-mode */
export function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/** The flags of a target's options, in schema order. */
export function targetFlags(target: AnyTarget): TargetFlag[] {
  const shape = objectShape(target);
  return Object.entries(shape).map(([key, field]) => {
    const inner = unwrapped(field);
    const kind = defOf(inner).type;
    const choices = kind === 'enum' ? Object.values(defOf(inner).entries ?? {}).map(String) : undefined;
    const type = kind === 'number' ? 'number' : kind === 'boolean' ? 'boolean' : kind === 'array' ? 'list' : 'string';
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
    if (!flag) {
      throw new UserError(`unknown option (not an option of faultline test, nor of target ${target.name})`, {
        where: `--${kebab(key)}`,
      });
    }
    fromFlags[key] = flagValue(flag, text);
  }
  try {
    // A zod 4 schema (Target.options says so; its type names only safeParse, see OptionsSchema).
    const schema = target.options as unknown as z.ZodType<O>;
    return parseSchema(schema, { ...config, ...fromFlags }, ['test', 'targetOptions']);
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

/**
 * Judges the parsed options against the node count the run will bring up
 * (for a target with NodeCountLimits; others pass). Throws UserError naming
 * the flag, when the option was given as one (a key of `flags`), else
 * `test.targetOptions.<key>`.
 */
export function checkOptionsForNodeCount<O>(
  target: Target<O>,
  options: O,
  nodeCount: number,
  flags: Record<string, string> = {},
): void {
  if (!hasNodeCountLimits(target)) return;
  const problem = target.optionsProblem(options, nodeCount);
  if (!problem) return;
  const viaFlag = Object.hasOwn(flags, problem.key);
  throw new UserError(viaFlag ? `${problem.message} (target ${target.name})` : problem.message, {
    where: viaFlag ? `--${kebab(problem.key)}` : `test.targetOptions.${problem.key}`,
  });
}

/** Flag text read as the option's type; text that does not fit is passed on for the schema to refuse. */
function flagValue(flag: TargetFlag, text: string): unknown {
  if (flag.type === 'number') {
    const n = Number(text);
    return text.trim() !== '' && Number.isFinite(n) ? n : text;
  }
  if (flag.type === 'boolean') return text === 'true' ? true : text === 'false' ? false : text;
  if (flag.type === 'list') return text.split(',').map((item) => item.trim());
  return text;
}

/*
 * The schema is read through zod 4's definitions (`_zod.def`), not with
 * instanceof: a plugin's target may be built with its own copy of zod.
 */
interface Def {
  type?: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  entries?: Record<string, string | number>;
  defaultValue?: unknown;
}

function defOf(schema: z.ZodType): Def {
  return ((schema as { _zod?: { def?: Def } })._zod?.def ?? {}) as Def;
}

const WRAPPERS = new Set(['optional', 'default', 'nullable', 'prefault']);

function objectShape(target: AnyTarget): Record<string, z.ZodType> {
  const def = defOf(unwrapped(target.options as unknown as z.ZodType));
  if (def.type !== 'object' || !def.shape) {
    throw new UserError(`target ${target.name}: its options must be a zod (v4) object schema, z.object({...})`);
  }
  return def.shape;
}

function unwrapped(schema: z.ZodType): z.ZodType {
  let s = schema;
  for (let def = defOf(s); WRAPPERS.has(def.type ?? '') && def.innerType; def = defOf(s)) s = def.innerType;
  return s;
}

function defaultOf(schema: z.ZodType): unknown {
  let s = schema;
  for (let def = defOf(s); def.type === 'optional' || def.type === 'nullable'; def = defOf(s)) {
    if (!def.innerType) break;
    s = def.innerType;
  }
  const def = defOf(s);
  return def.type === 'default' ? def.defaultValue : undefined;
}
