/**
 * What a plugin module must export, checked when it loads, so that a module
 * that exports the wrong thing is a clear error naming the file and what is
 * missing (exit 254), not a crash halfway through a run:
 *
 *   ./targets/mydb.ts: the target lacks awaitReady (a function) and logFiles (a function)
 *
 * A module exports its thing as the default export or under its kind's name
 * (`export const target = defineTarget({...})`).
 */
import { UserError } from '../errors.js';
import type { LoadedModule } from './load.js';

type Kind = 'target' | 'workload' | 'model';

type Expectation = 'string' | 'function' | 'object' | 'array' | 'schema';

/** The members each kind must have, and of what type. */
const MEMBERS: Record<Kind, Record<string, Expectation>> = {
  target: {
    name: 'string',
    description: 'string',
    options: 'schema',
    packages: 'array',
    clients: 'object',
    install: 'function',
    setup: 'function',
    start: 'function',
    teardown: 'function',
    awaitReady: 'function',
    logFiles: 'function',
  },
  workload: {
    name: 'string',
    vocabulary: 'object',
    generator: 'function',
    finalGenerator: 'function',
    checker: 'function',
  },
  model: {
    name: 'string',
    init: 'function',
    step: 'function',
    whyIllegal: 'function',
    stateKey: 'function',
    stateJson: 'function',
    describeState: 'function',
    describeOp: 'function',
  },
};

const WORDS: Record<Expectation, string> = {
  string: 'a string',
  function: 'a function',
  object: 'an object',
  array: 'an array',
  schema: 'a zod schema',
};

function fits(value: unknown, expected: Expectation): boolean {
  switch (expected) {
    case 'string':
      return typeof value === 'string' && value !== '';
    case 'function':
      return typeof value === 'function';
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'schema':
      return typeof (value as { safeParse?: unknown } | null)?.safeParse === 'function';
  }
}

/** The module's export of `kind`: its default export, else the export named after the kind. Throws UserError. */
export function exportOf(loaded: LoadedModule, kind: Kind, where: string): unknown {
  const { exports, file } = loaded;
  const value = exports.default ?? exports[kind];
  if (value === undefined) {
    const names = Object.keys(exports).filter((k) => k !== 'default');
    throw new UserError(
      `${file} exports no ${kind}: expected \`export default\` or \`export const ${kind}\`` +
        ` (it exports ${names.length > 0 ? names.join(', ') : 'nothing'})`,
      { where },
    );
  }
  return value;
}

/**
 * Returns `value` when it has every member a `kind` must have; throws
 * UserError naming the file and each missing or mistyped member otherwise.
 */
export function checkShape<T>(value: unknown, kind: Kind, file: string, where: string): T {
  if (typeof value !== 'object' || value === null) {
    throw new UserError(`${file}: the ${kind} it exports is ${value === null ? 'null' : typeof value}, not an object`, {
      where,
    });
  }
  const record = value as Record<string, unknown>;
  const problems = Object.entries(MEMBERS[kind])
    .filter(([member, expected]) => !fits(record[member], expected))
    .map(([member, expected]) => `${member} (${WORDS[expected]})`);
  if (problems.length > 0) {
    const list = problems.length === 1 ? problems[0] : `${problems.slice(0, -1).join(', ')} and ${problems.at(-1)}`;
    throw new UserError(`${file}: the ${kind} it exports lacks ${list}`, { where });
  }
  return value as T;
}
