/**
 * The fault registry: every fault faultline can inject, by name. To add one,
 * write nemesis/<name>/index.ts exporting a FaultDefinition (./fault.ts) and
 * add it to FAULTS. Everything else (--nemesis, test.nemesisOptions, the
 * combined package, `faultline heal`, the windows in results and reports)
 * reads this list.
 *
 *   const pkg = nemesisPackage(parseNemesisNames('partition,kill'), { intervalSeconds: 10 }, { target, nodeCount: 5 });
 *   // pkg.generator and pkg.finalGenerator are already routed to the nemesis thread.
 */
import { z } from 'zod';
import { parseSchema, SchemaError } from '../harness/config/zod.js';
import { UserError } from '../harness/errors.js';
import type { History } from '../harness/history/op.js';
import type { FaultWindow } from '../harness/results/results.js';
import { faultWindows, type WindowSpec } from '../harness/run/fault-windows.js';
import { clockFault } from './clock/index.js';
import { composePackages, serialized } from './compose.js';
import { delayFault } from './delay/index.js';
import type { FaultContext, FaultDefinition } from './fault.js';
import { killFault } from './kill/index.js';
import { membershipFault } from './membership/index.js';
import type { NemesisPackage } from './nemesis.js';
import { noopPackage } from './noop.js';
import { packetFault } from './packet/index.js';
import { partitionFault } from './partition/index.js';
import { pauseFault } from './pause/index.js';

export const FAULTS: readonly FaultDefinition[] = [
  partitionFault,
  packetFault,
  killFault,
  pauseFault,
  clockFault,
  delayFault,
  membershipFault,
];

/** The registered fault names, in registry order. */
export function faultNames(): string[] {
  return FAULTS.map((f) => f.name);
}

/** The Debian packages every registered fault needs on a node, sorted, each once. */
export function faultPackages(): string[] {
  return [...new Set(FAULTS.flatMap((f) => f.packages))].sort();
}

/** The fault called `name`, or undefined. */
export function faultNamed(name: string): FaultDefinition | undefined {
  return FAULTS.find((f) => f.name === name);
}

/**
 * Parses "partition,kill" (or a list of such strings). "none", "noop" and ""
 * mean no faults. Throws UserError naming `where` and the known names for an unknown one.
 */
export function parseNemesisNames(value: string | readonly string[], where = '--nemesis'): string[] {
  const parts = (typeof value === 'string' ? [value] : value)
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none' && s !== 'noop');
  for (const p of parts) {
    if (!faultNamed(p)) {
      throw new UserError(`unknown nemesis "${p}"; known: ${faultNames().join(', ')} (or none)`, { where });
    }
  }
  return [...new Set(parts)];
}

/** test.nemesisOptions: each fault's options under its name. */
export function nemesisOptionsSchema(): z.ZodType<Record<string, unknown>> {
  return z.strictObject(Object.fromEntries(FAULTS.map((f) => [f.name, f.options.optional()])));
}

/** Options for `nemesisPackage`: the pace, and each fault's options (unchecked, e.g. from the config). */
export interface PackageOptions {
  /** Mean seconds between fault ops (each gap is random in [0, 2 * interval), seeded). */
  intervalSeconds: number;
  [fault: string]: unknown;
}

const WHERE = 'test.nemesisOptions';

/**
 * The combined package for `names` (the noop package when empty). Its
 * nemesis runs one call at a time (see `serialized`). Options are validated
 * first. Throws UserError for an unknown name, a bad option (naming
 * `test.nemesisOptions.<path>`, or --nemesis-interval), or a fault the
 * target or cluster cannot take.
 */
export function nemesisPackage(
  names: readonly string[],
  options: PackageOptions,
  ctx: Omit<FaultContext, 'intervalSeconds'> = {},
): NemesisPackage {
  const { intervalSeconds, ...perFault } = options;
  if (typeof intervalSeconds !== 'number' || !Number.isFinite(intervalSeconds) || intervalSeconds <= 0) {
    throw new UserError(`expected a positive number of seconds, got ${JSON.stringify(intervalSeconds)}`, {
      where: '--nemesis-interval',
    });
  }
  const parsed = parseOrThrow(nemesisOptionsSchema(), perFault);
  const faults = parseNemesisNames(names).map((name) => faultNamed(name)!);
  if (faults.length === 0) return noopPackage;
  const pkg = composePackages(
    faults.map((f) => f.build(parseOrThrow(f.options, parsed[f.name] ?? {}, f.name), { ...ctx, intervalSeconds })),
  );
  return { ...pkg, nemesis: serialized(pkg.nemesis) };
}

function parseOrThrow<S extends z.ZodType>(schema: S, value: unknown, ...path: string[]): z.output<S> {
  try {
    return parseSchema(schema, value, [WHERE, ...path]);
  } catch (err) {
    if (err instanceof SchemaError) throw new UserError(err.message, { cause: err });
    throw err;
  }
}

/** Every registered fault's window specs. */
export function windowSpecs(): WindowSpec[] {
  return FAULTS.flatMap((f) => f.windows);
}

/**
 * Jepsen's older nemeses (partition-random-halves, ...) log a bare `start` and
 * `stop`. Used only when the history has a `stop` op: faultline (and Jepsen's
 * combined nemeses) never log one, and there `start` restarts killed nodes.
 */
const JEPSEN_START_STOP: WindowSpec = { start: 'start', stop: 'stop', label: 'fault' };

/**
 * The fault windows of a history, read off its nemesis ops with every
 * registered fault's specs: what a run records in results.json, and what an
 * offline check of a history draws.
 */
export function historyFaultWindows(history: History): FaultWindow[] {
  const jepsenStartStop = history.some((op) => op.process === 'nemesis' && op.f === 'stop');
  return faultWindows(history, jepsenStartStop ? [...windowSpecs(), JEPSEN_START_STOP] : windowSpecs());
}
