/**
 * The zod building blocks of faultline's option schemas, each with the
 * message a person needs ("expected a whole number, got 2.5").
 */
import { z } from 'zod';
import { Secret } from '../secret.js';

/**
 * A whole number, optionally within [min, max]. Past 2^53 a number is no
 * longer exact (9007199254740993 reads as ...992): refused as such, never rounded.
 */
export function int(min?: number, max?: number) {
  let schema = z.number({ error: 'expected a whole number' }).int({
    error: (issue) =>
      issue.code === 'too_big' || issue.code === 'too_small'
        ? `expected a whole number from -${Number.MAX_SAFE_INTEGER} to ${Number.MAX_SAFE_INTEGER} ` +
          '(beyond, digits are lost)'
        : 'expected a whole number',
  });
  if (min !== undefined) schema = schema.min(min, { error: `expected a number >= ${min}` });
  if (max !== undefined) schema = schema.max(max, { error: `expected a number <= ${max}` });
  return schema;
}

/** A name in paths and namespaces: letters, digits, ".", "-" or "_". */
export const name = z
  .string({ error: 'expected a string' })
  .regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: 'expected letters, digits, ".", "-" or "_"' });

export const port = int(1, 65_535);

/** A path (anything but blank). */
export const path = z.string({ error: 'expected a path' }).regex(/\S/, { error: 'expected a path' });

export const cidr = z
  .string({ error: 'expected an IPv4 subnet like 10.213.0.0/24' })
  .regex(/^\d+\.\d+\.\d+\.\d+\/\d+$/, { error: 'expected an IPv4 subnet like 10.213.0.0/24' });

/** A node count, or node names. */
export const nodeCountOrNames = z.union([int(1, 250), z.array(name).min(1)], {
  error: 'expected a node count or a list of node names',
});

/** A secret (a passphrase): never printed or written; see harness/secret.ts. */
export const secret = z.union([z.instanceof(Secret), z.string().transform((s) => new Secret(s))], {
  error: 'expected a string',
});

export const bool = z.boolean({ error: 'expected true or false' });
