/**
 * What a client worker or the nemesis answered for an op, before it enters
 * the history. Values may be anything a client returned (a BigInt, a Date,
 * undefined inside an array): `recordedFields` makes them JSON, the one place
 * where values are sanitised.
 */
import type { CompletionFields } from '../history/op.js';
import { sanitizeJson } from '../history/sanitize.js';

export interface Answer {
  type: CompletionFields['type'];
  value?: unknown;
  node?: string | undefined;
  error?: unknown;
}

/** The answer as the history records it: value and error made JSON (see sanitizeJson). */
export function recordedFields(answer: Answer): CompletionFields {
  const fields: CompletionFields = { type: answer.type };
  const value = sanitizeJson(answer.value);
  if (value !== undefined) fields.value = value;
  if (answer.node !== undefined) fields.node = answer.node;
  const error = sanitizeJson(answer.error);
  if (error !== undefined) fields.error = error;
  return fields;
}
