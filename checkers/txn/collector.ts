/**
 * Collects anomaly cases by type: counts every one, keeps the first few
 * (building a case's explanation only when it is kept), so that a history
 * with a hundred thousand aborted reads still yields a small result.
 */
import type { AnomalyCase, AnomalyGroup } from './result.js';

export const DEFAULT_MAX_CASES = 20;

export class AnomalyCollector {
  private readonly groups = new Map<string, AnomalyGroup>();

  constructor(private readonly maxCases = DEFAULT_MAX_CASES) {}

  /** Counts one case of `type`; `make` builds it when it is among the first maxCases. */
  add(type: string, make: () => AnomalyCase): void {
    let group = this.groups.get(type);
    if (!group) this.groups.set(type, (group = { count: 0, cases: [] }));
    group.count++;
    if (group.cases.length < this.maxCases) group.cases.push(make());
  }

  has(type: string): boolean {
    return this.groups.has(type);
  }

  delete(type: string): void {
    this.groups.delete(type);
  }

  types(): string[] {
    return [...this.groups.keys()];
  }

  get(type: string): AnomalyGroup | undefined {
    return this.groups.get(type);
  }
}
