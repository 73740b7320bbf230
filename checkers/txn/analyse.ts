/**
 * The part of a transactional check every workload shares, once the
 * workload's checker has inferred its data edges (ww, wr, rw) and its
 * non-cycle anomalies: add the real-time or process order, find the
 * strongly connected components, search each for cycle anomalies, fall back
 * to cycle existence for what the search could not name, and turn what was
 * found into a verdict with the models it rules out (as Elle does):
 *
 * - valid false: an anomaly the checked models forbid was found;
 * - unknown: only anomalies that make the answer unknown were found (the
 *   dependency graph is empty, so nothing could be inferred; or the budget
 *   ran out before the search finished);
 * - true: nothing the models forbid and nothing undecided was found (with
 *   reportAll, the anomalies the models allow are still listed, with the
 *   models they rule out).
 *
 * A search cut short by the budget still reports what it found; when that
 * includes a forbidden anomaly the verdict is false (it is certain), else
 * unknown.
 */
import { Budget } from '../budget.js';
import { AnomalyCollector, DEFAULT_MAX_CASES } from './collector.js';
import { CYCLE_EXISTS_SPECS, cycleExists } from './cycle-exists.js';
import { type EdgeExplainer, explainCycle } from './explain.js';
import { buildGraph, type EdgeList, type Graph, subgraph } from './graph.js';
import { KIND_COUNT, KIND_NAMES, maskOf, PROCESS, RT, RW, WR, WW } from './kinds.js';
import { boundary, friendlyModelName, impossibleModels, UNKNOWN_ANOMALIES } from './models.js';
import { addProcessEdges, addRealtimeEdges } from './orders.js';
import { type CheckPlan, planCheck, type TxnCheckOptions } from './plan.js';
import type { AnomalyGroup, TxnResultFields, TxnStats } from './result.js';
import { stronglyConnected } from './scc.js';
import { searchComponent } from './search.js';
import { FAIL, INFO, OK, type Txns, txnRef } from './txns.js';

/** What a workload's checker inferred from the history. */
export interface Inference {
  /** Its ww, wr and rw edges. */
  edges: EdgeList;
  /** Explains its edges (its non-cycle anomalies go straight to the check's collector). */
  explain: EdgeExplainer;
  keyCount: number;
  warnings: string[];
  /** Why the inference stopped early (the budget), when it did: the edges are then partial. */
  stopped?: string | undefined;
}

/** The pieces a checker hands over: the plan and collector it used, and the budget. */
export interface AnalysisContext {
  historyLength: number;
  txns: Txns;
  plan: CheckPlan;
  collector: AnomalyCollector;
  budget: Budget;
}

/** Starts a check: the plan, a collector and the budget. Throws UserError for bad options (see planCheck). */
export function startCheck(options: TxnCheckOptions): { plan: CheckPlan; collector: AnomalyCollector; budget: Budget } {
  const plan = planCheck(options);
  return {
    plan,
    collector: new AnomalyCollector(options.maxCasesPerType ?? DEFAULT_MAX_CASES),
    budget: new Budget(options),
  };
}

/** A transactional result without its kind: each checker adds its own. */
export type TxnVerdict = Omit<TxnResultFields, 'kind'>;

/** Finishes a check (see the module comment). */
export function analyse(ctx: AnalysisContext, inference: Inference): TxnVerdict {
  const { txns, plan, collector, budget } = ctx;
  const edges = inference.edges;
  if (inference.stopped) {
    const why = inference.stopped;
    collector.add('cycle-search-timeout', () => ({
      explanation: `The check stopped early (${why}), before the dependency graph was complete; the anomalies listed are those found before it stopped.`,
      txns: [],
    }));
    return verdict(ctx, inference, buildGraph(txns.count, edges), [], why);
  }
  // Real time goes through time points, nodes after the transactions (see orders.ts).
  let timePoints = 0;
  if (plan.realtime) timePoints = addRealtimeEdges(txns, edges, ctx.historyLength);
  else if (plan.process) addProcessEdges(txns, edges);
  const graph = buildGraph(txns.count + timePoints, edges);
  if (edges.length === 0) {
    collector.add('empty-transaction-graph', () => ({
      explanation:
        'No dependency between transactions could be inferred (no transaction read or overwrote ' +
        "another's writes, and no order between them was known), so there is nothing to check.",
      txns: [],
    }));
  }
  const includedMask = maskOf(WW, WR, RW) | (plan.realtime ? maskOf(RT) : 0) | (plan.process ? maskOf(PROCESS) : 0);
  const components = budget.exceeded() === undefined ? stronglyConnected(graph, includedMask) : undefined;
  const txnsIn = (component: number[]): number => component.filter((v) => v < txns.count).length;
  const stopped = components
    ? searchCycles(ctx, graph, components, includedMask, inference.explain)
    : budget.exceeded();
  if (stopped) {
    collector.add('cycle-search-timeout', () => ({
      explanation: `The check stopped early (${stopped}); the anomalies listed are those found before it stopped.`,
      txns: [],
    }));
  }
  return verdict(ctx, inference, graph, (components ?? []).map(txnsIn), stopped);
}

/** Searches every component; returns why it stopped early, or undefined when it finished. */
function searchCycles(
  ctx: AnalysisContext,
  graph: Graph,
  components: number[][],
  includedMask: number,
  explainer: EdgeExplainer,
): string | undefined {
  const { txns, plan, collector, budget } = ctx;
  const scratch = new Int32Array(graph.nodeCount).fill(-1);
  let stoppedWhy: string | undefined;
  const stop = (): boolean => (stoppedWhy ??= budget.exceeded()) !== undefined;
  for (const component of components) {
    if (stop()) break;
    const { cycles, complete } = searchComponent(
      graph,
      component,
      plan.cycleTypes,
      includedMask,
      scratch,
      stop,
      txns.count,
      txns.invokeIndex,
    );
    for (const cycle of cycles) collector.add(cycle.type, () => explainCycle(cycle, txns, explainer));
    if (!complete) break;
  }
  if (stoppedWhy) return stoppedWhy;
  addCycleExists(ctx, graph, components, includedMask, scratch);
  return undefined;
}

/**
 * For each model whose forbidden subgraph has a cycle that no anomaly found
 * already accounts for, a `-cycle-exists` case naming the smallest component.
 */
function addCycleExists(
  ctx: AnalysisContext,
  graph: Graph,
  components: number[][],
  includedMask: number,
  scratch: Int32Array,
): void {
  const { txns, plan, collector } = ctx;
  const ruledOut = impossibleModels(collector.types());
  for (const spec of CYCLE_EXISTS_SPECS) {
    if ((spec.mask & includedMask) !== spec.mask || !plan.reportable.has(spec.anomaly)) continue;
    if (ruledOut.has(spec.model)) continue;
    let smallest: number[] | undefined;
    for (const component of components) {
      const sub = subgraph(graph, component, spec.mask | (spec.extendedByRw ? maskOf(RW) : 0), scratch);
      const found = cycleExists(sub, spec);
      const foundTxns = found?.map((v) => sub.nodes[v]!).filter((v) => v < txns.count);
      if (foundTxns && (!smallest || foundTxns.length < smallest.length)) smallest = foundTxns;
    }
    if (!smallest) continue;
    const nodes = smallest;
    collector.add(spec.anomaly, () => ({
      explanation:
        `${nodes.length} transactions depend on each other in a cycle that ${friendlyModelName(spec.model)} ` +
        'forbids, but the cycle search did not name one (it has a work limit per component).',
      txns: nodes.slice(0, 20).map((t, i) => ({ name: `T${i + 1}`, ...txnRef(txns, t) })),
      details: { model: friendlyModelName(spec.model), componentSize: nodes.length },
    }));
  }
}

function verdict(
  ctx: AnalysisContext,
  inference: Inference,
  graph: Graph,
  componentSizes: number[],
  stopped: string | undefined,
): TxnVerdict {
  const { txns, plan, collector, budget } = ctx;
  const found = collector.types();
  // A cycle-exists case is redundant when the other anomalies already rule its model out.
  const others = found.filter((t) => !t.endsWith('-cycle-exists'));
  const ruledOut = impossibleModels(others);
  for (const spec of CYCLE_EXISTS_SPECS) if (ruledOut.has(spec.model)) collector.delete(spec.anomaly);
  const reportable = collector.types().filter((t) => plan.reportable.has(t));
  const bad = reportable.filter((t) => plan.prohibited.has(t));
  // Reported but allowed by the models (reportAll): listed, the verdict stays true.
  const undecided = reportable.some((t) => UNKNOWN_ANOMALIES.includes(t));
  const valid = bad.length > 0 ? false : undecided ? 'unknown' : true;
  const anomalies: Record<string, AnomalyGroup> = {};
  for (const t of reportable.sort()) anomalies[t] = collector.get(t)!;
  const { not, alsoNot } = reportable.length === 0 ? { not: [], alsoNot: [] } : boundary(collector.types());
  return {
    valid,
    ...(valid === true ? {} : { error: errorText(reportable, not, stopped) }),
    anomalyTypes: reportable,
    anomalies,
    not,
    alsoNot,
    consistencyModels: plan.models,
    extraAnomalies: plan.extraAnomalies,
    stats: stats(txns, inference, graph, componentSizes, budget.elapsedMs()),
    warnings: inference.warnings,
  };
}

function errorText(types: string[], not: string[], stopped: string | undefined): string {
  const found = types.filter((t) => t !== 'cycle-search-timeout');
  const what = found.length > 0 ? `found ${found.join(', ')}` : 'found nothing forbidden';
  const rules = not.length > 0 ? `, so not ${not.join(', ')}` : '';
  return stopped ? `stopped early (${stopped}); ${what}${rules}` : `${what}${rules}`;
}

function stats(txns: Txns, inference: Inference, graph: Graph, componentSizes: number[], elapsedMs: number): TxnStats {
  const counts = [0, 0, 0];
  for (let t = 0; t < txns.count; t++) counts[txns.status[t]!]!++;
  const edges = Object.fromEntries(
    Array.from({ length: KIND_COUNT }, (_, k) => [KIND_NAMES[k]!, graph.kindCounts[k]!]),
  ) as TxnStats['edges'];
  return {
    txns: txns.count,
    ok: counts[OK]!,
    info: counts[INFO]!,
    fail: counts[FAIL]!,
    keys: inference.keyCount,
    edges,
    components: componentSizes.length,
    largestComponent: componentSizes.reduce((m, c) => Math.max(m, c), 0),
    elapsedMs,
  };
}
