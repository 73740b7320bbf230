/**
 * Fault windows as the report draws them: the windows a run recorded in
 * results.json (or an offline check computed with the same fault registry),
 * never guessed from the history here.
 */
import type { FaultWindow } from '../results/results.js';
import type { PageFault } from './page-types.js';
import { shortJson } from './text.js';

export type { PageFault };

/** Converts FaultWindows; `nodes` is the run's node list, used to name the nodes a fault touched. */
export function pageFaults(windows: readonly FaultWindow[], nodes: readonly string[]): PageFault[] {
  return windows.map((w) => ({
    fault: String(w.fault),
    startUs: Math.round(w.start / 1000),
    endUs: typeof w.end === 'number' && Number.isFinite(w.end) ? Math.round(w.end / 1000) : null,
    nodes: nodesNamed(w.detail, nodes),
    text: typeof w.text === 'string' ? shortJson(w.text, 200) : null,
    detail: shortJson(w.detail, 300),
  }));
}

function nodesNamed(detail: unknown, nodes: readonly string[]): string[] {
  const known = new Set(nodes);
  const found = new Set<string>();
  const walk = (v: unknown, depth: number): void => {
    if (depth > 6) return;
    if (typeof v === 'string') {
      if (known.size === 0 ? /^n\d+$/.test(v) : known.has(v)) found.add(v);
    } else if (Array.isArray(v)) {
      for (const x of v) walk(x, depth + 1);
    } else if (typeof v === 'object' && v !== null) {
      for (const [k, x] of Object.entries(v)) {
        walk(k, depth + 1);
        walk(x, depth + 1);
      }
    }
  };
  walk(detail, 0);
  return [...found].sort();
}
