/**
 * Reads a suite file (schema.ts) into the series to run: one per cell of
 * its matrix, each a complete config and test options, checked up front as
 * `faultline test` would check them, so that a mistake anywhere in the
 * suite is a 254 naming the file (and line) before the first run starts.
 */
import path from 'node:path';
import { nemesisOptionsSchema } from '../../nemesis/registry.js';
import { configFromSections, mergeFlags } from '../config/load.js';
import type { FaultlineConfig, TestConfig } from '../config/schema.js';
import { testSchema } from '../config/schema.js';
import { parseYamlSource } from '../config/yaml-source.js';
import { type KeyPath, parseSchema, SchemaError } from '../config/zod.js';
import { UserError } from '../errors.js';
import { decodeUtf8, readRegularFile } from '../history/text-file.js';
import { resolveConcurrency } from '../run/concurrency.js';
import { plannedNodeCount, resolveTestOptions } from '../run/options.js';
import { validateRun } from '../run/run-test.js';
import { type Cell, expandMatrix } from './matrix.js';
import { type OptionsEntry, type SuiteFile, type SuiteTest, suiteSchema } from './schema.js';
import type { SeriesSpec } from './series.js';

/** What the command line overrides in a suite (undefined: as the file says). */
export interface SuiteOverrides {
  cluster?: string;
  subnet?: string;
  resultsDir?: string;
  testCount?: number;
  keepGoing?: boolean;
}

export interface LoadedSuite {
  /** The suite's name: its `name`, or the file name without extension. */
  name: string;
  specs: SeriesSpec[];
}

/** Reads the suite file `file` (relative to cwd). Throws UserError naming the file, and the line when known. */
export async function loadSuite(file: string, cwd: string, overrides: SuiteOverrides = {}): Promise<LoadedSuite> {
  const location = path.resolve(cwd, file);
  let bytes: Buffer;
  try {
    // A regular file only: a FIFO would be waited on forever.
    bytes = await readRegularFile(location, 'suite file');
  } catch (err) {
    // readRegularFile names the absolute path; the message names the file as given.
    const reason = err instanceof UserError && err.where ? err.message.slice(err.where.length + 2) : String(err);
    throw new UserError(`cannot read the suite file: ${reason}`, { where: file, cause: err });
  }
  return parseSuite(decodeUtf8(bytes, file), file, path.dirname(location), overrides);
}

/** Parses suite text; `where` names it in messages, `baseDir` resolves paths in it. Throws UserError. */
export function parseSuite(
  text: string,
  where: string,
  baseDir: string = process.cwd(),
  overrides: SuiteOverrides = {},
): LoadedSuite {
  const source = parseYamlSource(text, where);
  let suite: SuiteFile;
  try {
    suite = parseSchema(suiteSchema, source.value);
    // Each fault's options, by the faults' own schemas, as a config file's (the target's wait: per run).
    parseSchema(nemesisOptionsSchema(), suite.test?.nemesisOptions ?? {}, ['test', 'nemesisOptions']);
    for (const [i, entry] of (suite.matrix?.options ?? []).entries()) {
      parseSchema(nemesisOptionsSchema(), entry.nemesisOptions ?? {}, ['matrix', 'options', i, 'nemesisOptions']);
    }
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
    throw new UserError(err.message, { where: source.lineOf(err.path), cause: err });
  }
  const base = mergeFlags(configFromSections({ runtime: suite.runtime }, where, baseDir), {
    cluster: overrides.cluster,
    subnet: overrides.subnet,
  });
  const test = suite.test ?? {};
  const cells = expandMatrix(suite.matrix ?? {}, test, source.lineOf);
  const seen = new Set<string>();
  const specs = cells.map((cell, i) => {
    if (seen.has(cell.name)) {
      throw new UserError(`two runs are named ${cell.name}; give their options entries a label or a name`, {
        where: source.lineOf(['matrix']),
      });
    }
    seen.add(cell.name);
    // Where to point for a run the target or workload refuses: its options entry, else the matrix.
    const entryPath: KeyPath = suite.matrix?.options
      ? ['matrix', 'options', i % suite.matrix.options.length]
      : suite.matrix
        ? ['matrix']
        : ['test'];
    const at = (err: UserError) =>
      new UserError(`run ${cell.name}: ${err.message}`, { where: source.lineOf(entryPath), cause: err });
    try {
      return cellSpec(cell, test, base, overrides, suite);
    } catch (err) {
      if (err instanceof UserError) throw at(err);
      if (err instanceof SchemaError) throw at(new UserError(err.message, { cause: err }));
      throw err;
    }
  });
  return { name: suite.name ?? path.basename(where).replace(/\.(ya?ml|json)$/i, ''), specs };
}

/** The series of one cell. Throws UserError or SchemaError (the caller names the cell). */
function cellSpec(
  cell: Cell,
  test: SuiteTest,
  base: FaultlineConfig,
  overrides: SuiteOverrides,
  suite: SuiteFile,
): SeriesSpec {
  const config = structuredClone(base);
  const shared = testSection(test);
  const own = testSection(cell.options);
  const merged: TestConfig = {
    ...shared,
    ...own,
    targetOptions: { ...shared.targetOptions, ...own.targetOptions },
    workloadOptions: { ...shared.workloadOptions, ...own.workloadOptions },
    nemesisOptions: { ...shared.nemesisOptions, ...own.nemesisOptions },
    name: cell.name,
    target: cell.target,
    workload: cell.workload,
    nemesis: cell.nemesis,
    ...(overrides.resultsDir !== undefined && { resultsDir: overrides.resultsDir }),
  };
  const concurrency = cell.options.concurrency ?? test.concurrency;
  if (concurrency !== undefined) {
    merged.concurrency = resolveConcurrency(concurrency, plannedNodeCount(config), 'concurrency') as number;
  }
  config.test = parseSchema(testSchema, merged);
  const seconds = (key: 'opTimeoutSeconds' | 'recoveryTimeSeconds' | 'checkTimeoutSeconds') =>
    cell.options[key] ?? test[key];
  const options = resolveTestOptions(config, {
    opTimeoutMs: mapDefined(seconds('opTimeoutSeconds'), (s) => s * 1000),
    recoverySeconds: seconds('recoveryTimeSeconds'),
    checkTimeoutSeconds: seconds('checkTimeoutSeconds'),
  });
  validateRun(config, options);
  return {
    label: cell.name,
    config,
    options,
    count: overrides.testCount ?? suite.testCount ?? 1,
    keepGoing: overrides.keepGoing ?? suite.keepGoing ?? false,
  };
}

/** The part of suite test options that is a config file's test section (without the run settings and label). */
function testSection(options: SuiteTest | OptionsEntry): TestConfig {
  const {
    concurrency: _concurrency,
    opTimeoutSeconds: _op,
    recoveryTimeSeconds: _recovery,
    checkTimeoutSeconds: _check,
    ...rest
  } = options;
  const { label: _label, ...section } = rest as OptionsEntry;
  return section as TestConfig;
}

function mapDefined<T, U>(value: T | undefined, f: (v: T) => U): U | undefined {
  return value === undefined ? undefined : f(value);
}
