/**
 * The runs of a suite's matrix: every combination of target, workload,
 * fault combination and options entry, in that nesting order, each with its
 * name. Pure: no file, no config.
 */
import { parseNemesisNames } from '../../nemesis/index.js';
import { formatPath, type KeyPath } from '../config/zod.js';
import type { Matrix, OptionsEntry, SuiteTest } from './schema.js';

export interface Cell {
  target: string;
  workload: string;
  /** Fault names; [] for none. */
  nemesis: string[];
  options: OptionsEntry;
  /** The run's test name: TARGET-WORKLOAD-NEMESIS[-LABEL] (nemesis "none", faults joined by "_": a test name allows no "+"), or the entry's name. */
  name: string;
}

/**
 * The cells of `matrix`, a dimension it leaves out taken from `test` (or
 * the defaults: etcd, register, no faults, one empty options entry).
 * Throws UserError for an unknown fault name, naming `whereOf` the entry's
 * key path (default: the path itself, `matrix.nemesis[1]`).
 */
export function expandMatrix(matrix: Matrix, test: SuiteTest, whereOf: (path: KeyPath) => string = formatPath): Cell[] {
  const targets = list(matrix.target ?? test.target ?? 'etcd');
  const workloads = list(matrix.workload ?? test.workload ?? 'register');
  const faultSets = faultCombinations(matrix.nemesis, test.nemesis ?? [], whereOf);
  const entries = matrix.options ?? [{}];
  const cells: Cell[] = [];
  for (const target of targets)
    for (const workload of workloads)
      for (const nemesis of faultSets)
        for (const options of entries) {
          const generated = [target, workload, nemesis.length > 0 ? nemesis.join('_') : 'none', options.label];
          const name = options.name ?? generated.filter((part) => part !== undefined).join('-');
          cells.push({ target, workload, nemesis, options, name });
        }
  return cells;
}

function list<T>(value: T | T[]): T[] {
  return Array.isArray(value) ? value : [value];
}

function faultCombinations(
  entries: Matrix['nemesis'],
  fallback: readonly string[],
  whereOf: (path: KeyPath) => string,
): string[][] {
  if (entries === undefined) return [parseNemesisNames(fallback, whereOf(['test', 'nemesis']))];
  if (typeof entries === 'string') return [parseNemesisNames(entries, whereOf(['matrix', 'nemesis']))];
  return entries.map((entry, i) => parseNemesisNames(entry, whereOf(['matrix', 'nemesis', i])));
}
