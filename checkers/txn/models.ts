/**
 * The consistency-model ladder, as Elle draws it (jepsen.io/consistency and
 * the papers cited there: Adya; Adya, Liskov and O'Neil; Bailis et al.;
 * Cerone, Bernardi and Gotsman; Daudjee and Salem; ...), so that faultline's
 * answers can be compared with Elle's:
 *
 * - which models imply which (a history that satisfies serializable also
 *   satisfies repeatable-read, ...);
 * - which anomalies each model rules out directly;
 * - which anomalies imply which (a G-single-item is also a G-single, ...).
 *
 * From these: the anomalies a set of models forbids (what makes a check
 * fail), and for the anomalies found, the models they rule out: the weakest
 * ones (`not`) and the rest (`alsoNot`).
 *
 * Models have canonical names (Adya's PL-* where he named them) and friendly
 * ones; results use the friendly ones. Elle prints PL-SS as
 * strong-serializable; faultline prints strict-serializable, its usual name.
 */

/** Friendly names of models with a canonical name of their own. */
const CANONICAL: Readonly<Record<string, string>> = {
  'consistent-view': 'PL-2+',
  'conflict-serializable': 'PL-3',
  'cursor-stability': 'PL-CS',
  'forward-consistent-view': 'PL-FCV',
  'monotonic-snapshot-read': 'PL-MSR',
  'monotonic-view': 'PL-2L',
  'read-committed': 'PL-2',
  'read-uncommitted': 'PL-1',
  'repeatable-read': 'PL-2.99',
  serializable: 'PL-3',
  'snapshot-isolation': 'PL-SI',
  'strict-serializable': 'PL-SS',
  'strong-serializable': 'PL-SS',
  'update-serializable': 'PL-3U',
  'strong-session-read-uncommitted': 'strong-session-PL-1',
  'strong-session-read-committed': 'strong-session-PL-2',
  'strong-read-uncommitted': 'strong-PL-1',
  'strong-read-committed': 'strong-PL-2',
};

/** The name results use for a canonical name. */
const FRIENDLY: Readonly<Record<string, string>> = {
  'PL-2+': 'consistent-view',
  'PL-3': 'serializable',
  'PL-CS': 'cursor-stability',
  'PL-FCV': 'forward-consistent-view',
  'PL-MSR': 'monotonic-snapshot-read',
  'PL-2L': 'monotonic-view',
  'PL-2': 'read-committed',
  'PL-1': 'read-uncommitted',
  'PL-2.99': 'repeatable-read',
  'PL-SI': 'snapshot-isolation',
  'PL-SS': 'strict-serializable',
  'PL-3U': 'update-serializable',
  'strong-session-PL-1': 'strong-session-read-uncommitted',
  'strong-session-PL-2': 'strong-session-read-committed',
  'strong-PL-1': 'strong-read-uncommitted',
  'strong-PL-2': 'strong-read-committed',
};

/** model → the weaker models it implies (names as written; canonicalised below). */
const IMPLIES_AS_WRITTEN: Readonly<Record<string, readonly string[]>> = {
  'causal-cerone': ['read-atomic'],
  'consistent-view': ['cursor-stability', 'monotonic-view'],
  'conflict-serializable': ['view-serializable'],
  'cursor-stability': ['read-committed', 'PL-2'],
  'forward-consistent-view': ['consistent-view'],
  'PL-2': ['PL-1'],
  'PL-3': ['repeatable-read', 'update-serializable'],
  'update-serializable': ['forward-consistent-view'],
  'monotonic-atomic-view': ['read-committed'],
  'monotonic-view': ['PL-2'],
  'monotonic-snapshot-read': ['PL-2'],
  'parallel-snapshot-isolation': ['causal-cerone', 'update-atomic'],
  prefix: ['causal-cerone'],
  'read-atomic': ['monotonic-atomic-view'],
  'read-committed': ['read-uncommitted'],
  'repeatable-read': ['cursor-stability', 'monotonic-atomic-view'],
  'update-atomic': ['read-atomic'],
  serializable: ['repeatable-read', 'snapshot-isolation', 'view-serializable'],
  'session-serializable': ['1SR'],
  'snapshot-isolation': [
    'forward-consistent-view',
    'monotonic-atomic-view',
    'monotonic-snapshot-read',
    'parallel-snapshot-isolation',
    'prefix',
  ],
  'strict-serializable': [
    'PL-3',
    'serializable',
    'linearizable',
    'snapshot-isolation',
    'strong-snapshot-isolation',
    'strong-session-serializable',
  ],
  'strong-session-PL-1': ['PL-1'],
  'strong-session-PL-2': ['PL-2', 'strong-session-PL-1'],
  'strong-PL-1': ['strong-session-PL-1'],
  'strong-PL-2': ['strong-session-PL-2', 'strong-PL-1'],
  'strong-session-serializable': ['serializable', 'strong-session-snapshot-isolation'],
  'strong-session-snapshot-isolation': ['snapshot-isolation', 'strong-session-PL-2'],
  'strong-serializable': ['session-serializable'],
  'strong-snapshot-isolation': ['strong-session-snapshot-isolation', 'strong-PL-2'],
  linearizable: ['sequential'],
  sequential: ['causal'],
  causal: ['writes-follow-reads', 'PRAM'],
  PRAM: ['monotonic-reads', 'monotonic-writes', 'read-your-writes'],
};

/** model → the anomalies it rules out directly (the rest follow from the models it implies). */
const PROSCRIBES_AS_WRITTEN: Readonly<Record<string, readonly string[]>> = {
  'causal-cerone': ['internal', 'G1a'],
  'cursor-stability': ['G1', 'G-cursor', 'lost-update'],
  'monotonic-view': ['G1', 'G-monotonic'],
  'monotonic-snapshot-read': ['G1', 'G-MSR'],
  'consistent-view': ['G1', 'G-single'],
  'forward-consistent-view': ['G1', 'G-SIb'],
  'parallel-snapshot-isolation': ['internal', 'G1a'],
  'PL-3': ['G1', 'G2', 'predicate-read-miss', 'PL-3-cycle-exists'],
  'PL-2': ['G1', 'PL-2-cycle-exists'],
  'PL-1': ['G0', 'duplicate-elements', 'cyclic-versions', 'PL-1-cycle-exists'],
  prefix: ['internal', 'G1a'],
  serializable: ['internal'],
  'snapshot-isolation': ['internal', 'G1', 'G-SI', 'G-nonadjacent', 'PL-SI-cycle-exists'],
  'read-atomic': ['internal', 'G1a', 'future-read'],
  'repeatable-read': ['G1', 'G2-item', 'PL-2.99-cycle-exists', 'lost-update'],
  'update-atomic': ['lost-update'],
  'strict-serializable': ['G1', 'G1c-realtime', 'G2-realtime', 'PL-SS-cycle-exists'],
  'strong-session-PL-1': ['strong-session-PL-1-cycle-exists', 'G0-process'],
  'strong-session-PL-2': ['strong-session-PL-2-cycle-exists', 'G1c-process'],
  'strong-PL-1': ['strong-PL-1-cycle-exists', 'G0-realtime'],
  'strong-PL-2': ['strong-PL-2-cycle-exists', 'G1c-realtime'],
  'strong-session-snapshot-isolation': [
    'internal',
    'G1-process',
    'G-nonadjacent-process',
    'strong-session-snapshot-isolation-cycle-exists',
  ],
  'strong-snapshot-isolation': [
    'internal',
    'G1-realtime',
    'G-nonadjacent-realtime',
    'strong-snapshot-isolation-cycle-exists',
  ],
  'strong-session-serializable': ['G1-process', 'G2-process', 'strong-session-serializable-cycle-exists'],
  'update-serializable': ['G1', 'G-update'],
};

/** anomaly → the anomalies it implies (a G0 is also a G1c, a G1a is a G1, ...). */
const ANOMALY_IMPLIES: Readonly<Record<string, readonly string[]>> = {
  G0: ['G1c', 'G0-process'],
  'G0-process': ['G1c-process', 'G0-realtime'],
  'G0-realtime': ['G1c-realtime'],
  G1a: ['G1'],
  G1b: ['G1'],
  G1c: ['G1', 'G1c-process'],
  'G1c-process': ['G1c-realtime', 'G1-process'],
  'G1c-realtime': ['G1-realtime'],
  G1: ['G1-process'],
  'G1-process': ['G1-realtime'],
  'G-single-item': ['G-single', 'G-single-item-process', 'G-nonadjacent-item'],
  'G-single-item-process': ['G-single-process', 'G-single-item-realtime', 'G-nonadjacent-item-process'],
  'G-single-item-realtime': ['G-single-realtime', 'G-nonadjacent-item-realtime'],
  'G-single': ['G-nonadjacent', 'GSIb', 'G-single-process'],
  'G-single-process': ['G-nonadjacent-process', 'G-single-realtime'],
  'G-single-realtime': ['G-nonadjacent-realtime'],
  'G-nonadjacent-item': ['G-nonadjacent', 'G2-item', 'G-nonadjacent-item-process'],
  'G-nonadjacent-item-process': ['G-nonadjacent-process', 'G2-item-process', 'G-nonadjacent-item-realtime'],
  'G-nonadjacent-item-realtime': ['G2-item-realtime', 'G-nonadjacent-realtime'],
  'G-nonadjacent': ['G2', 'G-nonadjacent-process'],
  'G-nonadjacent-process': ['G2-process', 'G-nonadjacent-realtime'],
  'G-nonadjacent-realtime': ['G2-realtime'],
  G2: ['G2-process'],
  'G2-item': ['G2', 'G2-item-process'],
  'G2-item-process': ['G2-process', 'G2-item-realtime'],
  'G2-item-realtime': ['G2-realtime'],
  'G2-process': ['G2-realtime'],
  GSIa: ['GSI'],
  GSIb: ['GSI'],
  'incompatible-order': ['G1a'],
  'future-read': ['G1c'],
  'dirty-update': ['G1a'],
  'lost-update': ['write-skew', 'G2-item'],
  'write-skew': ['G2'],
};

/** Anomalies that make a result unknown rather than invalid: nothing could be inferred, or the search stopped. */
export const UNKNOWN_ANOMALIES: readonly string[] = ['empty-transaction-graph', 'cycle-search-timeout'];

const canonical = (model: string): string => CANONICAL[model] ?? model;
export const friendlyModelName = (model: string): string => FRIENDLY[model] ?? model;

const IMPLIES = canonicalGraph(IMPLIES_AS_WRITTEN, true);
const IMPLIED_BY = reverse(IMPLIES);
const PROSCRIBES = canonicalGraph(PROSCRIBES_AS_WRITTEN, false);
const PROSCRIBED_BY = reverse(PROSCRIBES);
const ANOMALY_IMPLIED_BY = reverse(ANOMALY_IMPLIES);

/** Every model name accepted (friendly and canonical), sorted. */
export const ALL_MODELS: readonly string[] = [
  ...new Set([
    ...Object.keys(CANONICAL),
    ...Object.values(CANONICAL),
    ...Object.keys(IMPLIES_AS_WRITTEN),
    ...Object.values(IMPLIES_AS_WRITTEN).flat(),
  ]),
].sort();

/** Every anomaly name the ladder knows, sorted. */
export const ALL_ANOMALIES: readonly string[] = [
  ...new Set([
    ...Object.keys(ANOMALY_IMPLIES),
    ...Object.values(ANOMALY_IMPLIES).flat(),
    ...Object.values(PROSCRIBES_AS_WRITTEN).flat(),
    ...UNKNOWN_ANOMALIES,
  ]),
].sort();

export function isKnownModel(model: string): boolean {
  return ALL_MODELS.includes(model);
}

export function isKnownAnomaly(anomaly: string): boolean {
  return ALL_ANOMALIES.includes(anomaly);
}

/**
 * The anomalies that must not occur for all of `models` to hold, plus those
 * named in `anomalies`, each with every anomaly that implies it.
 */
export function prohibitedAnomalies(models: readonly string[], anomalies: readonly string[] = []): Set<string> {
  const direct = [...closure(models.map(canonical), IMPLIES)].flatMap((m) => [...(PROSCRIBES.get(m) ?? [])]);
  return closure([...direct, ...anomalies], ANOMALY_IMPLIED_BY);
}

/** Every anomaly that `anomalies` imply, themselves included. */
export function impliedAnomalies(anomalies: Iterable<string>): Set<string> {
  return closure([...anomalies], toMap(ANOMALY_IMPLIES));
}

/** The models that cannot hold given that `anomalies` occurred (canonical names). */
export function impossibleModels(anomalies: Iterable<string>): Set<string> {
  const direct = [...impliedAnomalies(anomalies)].flatMap((a) => [...(PROSCRIBED_BY.get(a) ?? [])]);
  return closure(direct, IMPLIED_BY);
}

/**
 * The models `anomalies` rule out: `not`, the weakest of them (those no
 * other ruled-out model is weaker than), and `alsoNot`, the rest. Friendly
 * names, sorted.
 */
export function boundary(anomalies: Iterable<string>): { not: string[]; alsoNot: string[] } {
  const impossible = impossibleModels(anomalies);
  const weakest = [...impossible].filter(
    (m) => ![...closure([m], IMPLIES)].some((weaker) => weaker !== m && impossible.has(weaker)),
  );
  const not = new Set(weakest.map(friendlyModelName));
  const alsoNot = new Set([...impossible].map(friendlyModelName).filter((m) => !not.has(m)));
  return { not: [...not].sort(), alsoNot: [...alsoNot].sort() };
}

/** The nodes reachable from `start` along `edges`, `start` included. */
function closure(start: readonly string[], edges: ReadonlyMap<string, ReadonlySet<string>>): Set<string> {
  const seen = new Set(start);
  const todo = [...start];
  while (todo.length > 0) {
    for (const next of edges.get(todo.pop()!) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        todo.push(next);
      }
    }
  }
  return seen;
}

function canonicalGraph(
  written: Readonly<Record<string, readonly string[]>>,
  targetsAreModels: boolean,
): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const [from, tos] of Object.entries(written)) {
    const key = canonical(from);
    const set = graph.get(key) ?? new Set<string>();
    for (const to of tos) set.add(targetsAreModels ? canonical(to) : to);
    graph.set(key, set);
  }
  return graph;
}

function toMap(written: Readonly<Record<string, readonly string[]>>): Map<string, Set<string>> {
  return new Map(Object.entries(written).map(([k, v]) => [k, new Set(v)]));
}

function reverse(graph: ReadonlyMap<string, ReadonlySet<string>> | Record<string, readonly string[]>) {
  const entries = graph instanceof Map ? [...graph] : Object.entries(graph);
  const reversed = new Map<string, Set<string>>();
  for (const [from, tos] of entries) {
    for (const to of tos as Iterable<string>) {
      const set = reversed.get(to) ?? new Set<string>();
      set.add(from);
      reversed.set(to, set);
    }
  }
  return reversed;
}
