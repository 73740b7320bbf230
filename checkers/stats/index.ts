/**
 * The stats checker (like Jepsen's checker/stats): counts each f's outcomes,
 * and calls the history invalid when some f never once succeeded — a run
 * whose writes all failed tells nothing about consistency, and a "valid"
 * verdict would hide that. A history with no client op is unknown.
 */
import type { History } from '../../harness/history/op.js';
import { pairOps } from '../../harness/history/pair.js';
import type { Checker, ResultBase } from '../checker.js';

declare module '../checker.js' {
  interface CheckResultKinds {
    stats: StatsResult;
  }
}

export interface FCounts {
  f: string;
  ok: number;
  fail: number;
  info: number;
  /** Invoked, never completed. */
  open: number;
}

export interface StatsResult extends ResultBase {
  readonly kind: 'stats';
  /** Per f, sorted by f. */
  counts: FCounts[];
  /** The fs with no ok op. */
  neverOk: string[];
}

/** Counts client ops by f and outcome. Throws MalformedHistoryError for a history that cannot be paired. */
export function checkStats(history: History): StatsResult {
  const byF = new Map<string, FCounts>();
  for (const { f, complete } of pairOps(history)) {
    let row = byF.get(f);
    if (!row) byF.set(f, (row = { f, ok: 0, fail: 0, info: 0, open: 0 }));
    row[complete ? complete.type : 'open'] += 1;
  }
  const counts = [...byF.values()].sort((a, b) => a.f.localeCompare(b.f));
  const neverOk = counts.filter((c) => c.ok === 0).map((c) => c.f);
  if (counts.length === 0) return { kind: 'stats', valid: 'unknown', error: 'no client op', counts, neverOk };
  if (neverOk.length > 0) {
    const error = `no ${neverOk.join(', ')} op succeeded`;
    return { kind: 'stats', valid: false, error, counts, neverOk };
  }
  return { kind: 'stats', valid: true, counts, neverOk };
}

export function statsChecker(): Checker<StatsResult> {
  return { name: 'stats', check: async (history) => checkStats(history) };
}
