/**
 * Finds what the report should draw as "the anomaly" in a checker result:
 * a linearizability failure (checkers/linearizable/result.ts), an undecided
 * linearizability search, or a set checker's lost / unexpected elements.
 * Composed results ({ valid, results: { name: result } }) are searched too.
 */
import type { CheckResult } from '../../checkers/checker.js';
import type { KeyFailure, PartialLinearization } from '../../checkers/linearizable/result.js';
import type { Json, Op } from '../history/op.js';
import { shortJson } from './text.js';

export type Anomaly =
  | { kind: 'linearizable'; checker: string; model: string; failure: KeyFailure }
  | {
      kind: 'undecided';
      checker: string;
      model: string;
      error: string;
      furthest: { key: string; linearized: number; of: number; partial?: PartialLinearization }[];
    }
  | { kind: 'set'; checker: string; groups: SetGroup[] };

/** Lost, unexpected or stale elements of a set checker's result. */
export interface SetGroup {
  name: 'lost' | 'unexpected' | 'stale';
  /** How many the checker reported (more than `elements` when the list was cut). */
  total: number;
  elements: SetElement[];
}

/** One element of a set anomaly with what the history says about it. Times µs; null when unknown. */
export interface SetElement {
  element: string;
  /** When its add was invoked and (ok) completed. */
  addInvokedUs: number | null;
  addCompletedUs: number | null;
  /** How the add ended: ok, fail, info or open; null when there was no add of it. */
  addOutcome: string | null;
  /** Completion time of the last ok read that contained it. */
  lastSeenUs: number | null;
}

/** Elements listed per set anomaly, at most. */
const MAX_SET_ELEMENTS = 2000;

/**
 * Returns the anomalies found, the outermost checker first; an empty array
 * when the result carries none of the recognised shapes.
 */
export function findAnomalies(result: CheckResult, history: readonly Op[], name = 'checker'): Anomaly[] {
  const found: Anomaly[] = [];
  walk(result, name, 0);
  return found;

  function walk(r: unknown, checker: string, depth: number): void {
    if (typeof r !== 'object' || r === null || depth > 4) return;
    const res = r as Record<string, unknown>;
    const model = typeof res['model'] === 'string' ? res['model'] : '';
    if (res['valid'] === false && isKeyFailure(res['failure'])) {
      found.push({ kind: 'linearizable', checker, model, failure: res['failure'] });
    } else if (res['valid'] === 'unknown' && Array.isArray(res['furthest'])) {
      found.push({
        kind: 'undecided',
        checker,
        model,
        error: typeof res['error'] === 'string' ? res['error'] : 'the search did not finish',
        furthest: (res['furthest'] as Record<string, unknown>[]).slice(0, 20).map((f) => ({
          key: shortJson(f['key'], 60),
          linearized: Number(f['linearized']),
          of: Number(f['of']),
          ...(isPartial(f['partial']) ? { partial: f['partial'] } : {}),
        })),
      });
    } else if (Array.isArray(res['lost']) || Array.isArray(res['unexpected'])) {
      found.push(setAnomaly(res, checker, history));
    }
    const nested = res['results'];
    if (typeof nested === 'object' && nested !== null && !Array.isArray(nested)) {
      for (const [sub, value] of Object.entries(nested)) walk(value, sub, depth + 1);
    }
  }
}

function isKeyFailure(v: unknown): v is KeyFailure {
  const f = v as Partial<KeyFailure> | null;
  return typeof f === 'object' && f !== null && typeof f.failedOp === 'object' && Array.isArray(f.partials);
}

function isPartial(v: unknown): v is PartialLinearization {
  return typeof v === 'object' && v !== null && Array.isArray((v as PartialLinearization).steps);
}

/** The element a set checker listed: a bare value, or an object with `element` / `value` (and maybe timings). */
function elementOf(item: unknown): Json {
  if (typeof item === 'object' && item !== null && !Array.isArray(item)) {
    const o = item as Record<string, Json>;
    if ('element' in o) return o['element']!;
    if ('value' in o) return o['value']!;
  }
  return item as Json;
}

function setAnomaly(res: Record<string, unknown>, checker: string, history: readonly Op[]): Anomaly {
  const key = (v: Json): string => shortJson(v, 200);
  const adds = new Map<string, { invoked: number; completed: number | null; outcome: string }>();
  const lastSeen = new Map<string, number>();
  const invokes = new Map<string | number, Op>();
  for (const op of history) {
    if (op.process === 'nemesis') continue;
    if (op.type === 'invoke') {
      invokes.set(op.process, op);
      if (op.f === 'add' && op.value !== undefined && !adds.has(key(op.value))) {
        adds.set(key(op.value), { invoked: op.time, completed: null, outcome: 'open' });
      }
      continue;
    }
    const inv = invokes.get(op.process);
    invokes.delete(op.process);
    if (op.f === 'add' && inv?.value !== undefined) {
      const add = adds.get(key(inv.value));
      if (add && add.outcome === 'open' && add.invoked === inv.time) {
        add.outcome = op.type;
        if (op.type === 'ok') add.completed = op.time;
      }
    } else if (op.f === 'read' && op.type === 'ok' && Array.isArray(op.value)) {
      for (const e of op.value) lastSeen.set(key(e), op.time);
    }
  }
  const describe = (items: unknown): SetElement[] =>
    (Array.isArray(items) ? items : []).slice(0, MAX_SET_ELEMENTS).map((item) => {
      const k = key(elementOf(item));
      const add = adds.get(k);
      const seen = lastSeen.get(k);
      return {
        element: k,
        addInvokedUs: add ? Math.round(add.invoked / 1000) : null,
        addCompletedUs: add?.completed != null ? Math.round(add.completed / 1000) : null,
        addOutcome: add ? add.outcome : null,
        lastSeenUs: seen === undefined ? null : Math.round(seen / 1000),
      };
    });
  const groups: SetGroup[] = [];
  for (const name of ['lost', 'unexpected', 'stale'] as const) {
    const items = res[name];
    if (!Array.isArray(items)) continue;
    const counted = res[`${name}Count`];
    const total = typeof counted === 'number' ? Math.max(counted, items.length) : items.length;
    if (name === 'stale' && total === 0) continue;
    groups.push({ name, total, elements: describe(items) });
  }
  return { kind: 'set', checker, groups };
}
