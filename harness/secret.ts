/**
 * A secret from the config (an ssh key's passphrase): a value that never
 * shows. JSON.stringify, String() and console output give "(redacted)";
 * only `reveal()` gives the value, at the one place that uses it. So test.json,
 * logs and the heal state cannot leak it by accident.
 */
import { inspect } from 'node:util';
import type { Json } from './history/op.js';

const REDACTED = '(redacted)';

export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toJSON(): string {
    return REDACTED;
  }

  toString(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return REDACTED;
  }
}

/** The text of a secret that may be given either way (tests and callers may pass a plain string). */
export function revealed(value: string | Secret | undefined): string | undefined {
  return value instanceof Secret ? value.reveal() : value;
}

/**
 * A copy of `value` with every Secret left out (for state that must not hold
 * secrets, like the heal state). Plain data only (config options); deeper
 * than 64 levels is cut, like everything faultline walks.
 */
export function withoutSecrets(value: unknown, depth = 0): Json {
  if (value instanceof Secret || value === undefined || typeof value === 'function') return null;
  if (value === null || typeof value !== 'object') return value as Json;
  if (depth >= 64) return null;
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, depth + 1));
  const out: { [key: string]: Json } = {};
  for (const [k, v] of Object.entries(value)) {
    if (v instanceof Secret || v === undefined) continue;
    out[k] = withoutSecrets(v, depth + 1);
  }
  return out;
}
