/**
 * A simulated replicated store for the session checker's properties: a
 * primary (n1) that applies every write, and replicas (n2, n3, ...) that lag
 * behind it by a configurable number of steps. Reads are served by a node
 * chosen by a policy, and return exactly the state that node had at that
 * moment. Clients are sessions: one op at a time each; after an
 * indeterminate op a client goes on under a fresh process id.
 *
 * The simulation knows the truth the checker has to infer: the primary's
 * order of writes and what each serving node held. From it, it records every
 * session-guarantee violation it caused (the "planted" ones), per Terry et
 * al.'s definitions, so a test can compare the checker's findings with them.
 *
 * Time advances one step per event (an invocation, an op taking effect, a
 * completion); history times are steps in milliseconds.
 */
import { jsonKey } from '../../../harness/history/json.js';
import type { Json, Op, ProcessId } from '../../../harness/history/op.js';
import type { Datatype, Guarantee } from '../result.js';

export interface StoreConfig {
  datatype: Datatype;
  /** Concurrent client threads. */
  clients: number;
  keys: number;
  /** Client ops to invoke (the final reads come on top). */
  ops: number;
  /** Each replica's lag in steps: [5, 20] makes n2 5 steps and n3 20 steps behind n1. */
  lags: readonly number[];
  /**
   * Which node serves a read: primary (n1, always up to date: a strongly
   * consistent store), sticky (each client thread its own node, n1 included),
   * any (a random node per read).
   */
  reads: 'primary' | 'sticky' | 'any';
  /**
   * in-order: a replica applies the primary's writes in order, `lag` steps
   * after the primary. out-of-order (sets only): each write reaches each
   * replica after its own random delay of at most the lag, so a replica may
   * hold a later write without an earlier one.
   */
  replication: 'in-order' | 'out-of-order';
  /** Whether clients' ops overlap in time; false: each op completes before the next one is invoked. */
  overlap: boolean;
  /** Chance an op ends indeterminate (info); half of those took effect, half did not. */
  infoRate: number;
  random: () => number;
}

/** A violation the simulation caused: of `guarantee`, for session `process`, shown by the read invoked at `read`. */
export interface Planted {
  guarantee: Guarantee;
  process: ProcessId;
  read: number;
}

export interface StoreRun {
  history: Op[];
  planted: Planted[];
}

interface Entry {
  value: Json;
  /** 1-based position in the primary's order. */
  position: number;
  /** The step from which each node holds it (index 0: the primary). */
  arrival: number[];
}

/** What one session did on one key, for the truth. */
interface SessionFacts {
  /** Its ok writes (adds), in order. */
  okWrites: Entry[];
  /** Sets: every add it made that took effect (from then on), with the elements its ok reads had shown before it. */
  adds: { entry: Entry; ok: boolean; seenBefore: Set<string> }[];
  /** Registers: the newest position an ok read returned (0: the initial value). Sets: every element seen. */
  newestRead: number;
  seen: Set<string>;
  reads: number;
}

interface Pending {
  thread: number;
  process: number;
  f: 'read' | 'write';
  key: number;
  invokeIndex: number;
  stage: 'invoked' | 'applied';
  /** What the op returns (a read's value) or did (the write's entry); undefined when it crashed before. */
  /** Registers: position is the newest entry held (0: none); sets: holds is every entry held. */
  applied?: { read?: { node: number; value: Json; position: number; holds: Entry[] }; write?: Entry } | undefined;
  info: boolean;
}

/** How many of the log's first entries `node` holds at `step`, when they arrive in log order. */
function prefixHeld(log: readonly Entry[], node: number, step: number): number {
  let lo = 0;
  let hi = log.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log[mid]!.arrival[node]! <= step) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Runs the simulation. Throws for a register store with out-of-order replication (registers need one order). */
export function simulateStore(config: StoreConfig): StoreRun {
  if (config.datatype === 'register' && config.replication === 'out-of-order') {
    throw new Error('a register store needs in-order replication (its reads show only the newest write)');
  }
  const { random } = config;
  const nodes = 1 + config.lags.length;
  const lag = [0, ...config.lags];
  const writeF = config.datatype === 'register' ? 'write' : 'add';
  const logs: Entry[][] = Array.from({ length: config.keys }, () => []);
  const nextValue = Array.from({ length: config.keys }, () => 1);
  let nextElement = 1;
  const facts = new Map<string, SessionFacts>();
  const factsOf = (process: ProcessId, key: number): SessionFacts => {
    const id = `${String(process)}/${key}`;
    let f = facts.get(id);
    if (!f) facts.set(id, (f = { okWrites: [], adds: [], newestRead: 0, seen: new Set(), reads: 0 }));
    return f;
  };
  const history: Op[] = [];
  const planted: Planted[] = [];
  let step = 0;
  const emit = (op: Omit<Op, 'index' | 'time'>): number => {
    history.push({ ...op, index: history.length, time: step * 1_000_000 } as Op);
    step++;
    return history.length - 1;
  };

  const processes = Array.from({ length: config.clients }, (_, t) => t);
  let pending: (Pending | undefined)[] = Array.from({ length: config.clients }, () => undefined);
  let invoked = 0;

  const invoke = (thread: number, f: 'read' | 'write', key: number): Pending => {
    const process = processes[thread]!;
    const value = f === 'read' ? null : config.datatype === 'register' ? nextValue[key]!++ : nextElement++;
    const invokeIndex = emit({ type: 'invoke', process, f: f === 'read' ? 'read' : writeF, key, value });
    return { thread, process, f, key, invokeIndex, stage: 'invoked', info: false, applied: undefined };
  };

  const apply = (p: Pending, final: boolean): void => {
    p.stage = 'applied';
    step++;
    const infoRate = final ? 0 : config.infoRate;
    if (random() < infoRate / 2) {
      p.info = true; // crashed before taking effect
      return;
    }
    if (p.f === 'write') {
      const log = logs[p.key]!;
      const value = history[p.invokeIndex]!.value ?? null;
      const arrival = lag.map((l, n) =>
        n === 0 || config.replication === 'in-order' ? step + l : step + 1 + Math.floor(random() * l),
      );
      const entry: Entry = { value, position: log.length + 1, arrival };
      log.push(entry);
      p.applied = { write: entry };
      // It counts for other sessions' reads from now on, acknowledged or not.
      if (config.datatype === 'set') {
        const session = factsOf(p.process, p.key);
        session.adds.push({ entry, ok: false, seenBefore: new Set(session.seen) });
      }
    } else {
      const node = final ? 0 : readNode(p.thread);
      const log = logs[p.key]!;
      if (config.datatype === 'register') {
        // In order, what a node holds is a prefix of the log (found by bisection); it returns the newest.
        const position = prefixHeld(log, node, step);
        p.applied = { read: { node, value: log[position - 1]?.value ?? null, position, holds: [] } };
      } else {
        const holds =
          config.replication === 'in-order'
            ? log.slice(0, prefixHeld(log, node, step))
            : log.filter((e) => e.arrival[node]! <= step);
        p.applied = { read: { node, value: holds.map((e) => e.value) as Json, position: holds.length, holds } };
      }
    }
    if (random() < infoRate / 2) p.info = true; // took effect, but the client never heard
  };

  const readNode = (thread: number): number => {
    if (config.reads === 'primary') return 0;
    if (config.reads === 'sticky') return thread % nodes;
    return Math.floor(random() * nodes);
  };

  const complete = (p: Pending): void => {
    const node = p.applied?.read ? `n${p.applied.read.node + 1}` : 'n1';
    const f = p.f === 'read' ? 'read' : writeF;
    if (p.info || p.applied === undefined) {
      emit({ type: 'info', process: p.process, f, key: p.key, node, error: 'timed out' });
      processes[p.thread]! += config.clients;
      return;
    }
    emit({
      type: 'ok',
      process: p.process,
      f,
      key: p.key,
      value: p.applied.read ? p.applied.read.value : (history[p.invokeIndex]!.value ?? null),
      node,
    });
    const session = factsOf(p.process, p.key);
    if (p.applied.write) {
      session.okWrites.push(p.applied.write);
      const add = session.adds.find((a) => a.entry === p.applied?.write);
      if (add) add.ok = true;
      return;
    }
    judge(p, p.applied.read!, session);
  };

  /** Records the violations the read at `p` shows, from what its node held. */
  const judge = (
    p: Pending,
    { position, holds }: { position: number; holds: Entry[] },
    session: SessionFacts,
  ): void => {
    const plant = (guarantee: Guarantee, process: ProcessId) =>
      planted.push({ guarantee, process, read: p.invokeIndex });
    if (config.datatype === 'register') {
      const own = session.okWrites.at(-1);
      if (own !== undefined && own.position > position) plant('read-your-writes', p.process);
      if (session.reads > 0 && session.newestRead > position) plant('monotonic-reads', p.process);
      session.newestRead = Math.max(session.newestRead, position);
      session.reads++;
      return;
    }
    const held = new Set(holds.map((e) => jsonKey(e.value) as string));
    const has = (e: Entry) => held.has(jsonKey(e.value) as string);
    if (session.okWrites.some((e) => !has(e))) plant('read-your-writes', p.process);
    if (session.reads > 0 && [...session.seen].some((id) => !held.has(id))) plant('monotonic-reads', p.process);
    // Every session's adds on this key, against what the read shows.
    for (const [id, writer] of facts) {
      if (!id.endsWith(`/${p.key}`)) continue;
      const process = Number(id.slice(0, id.indexOf('/')));
      const present = writer.adds.filter((a) => has(a.entry));
      if (present.length === 0) continue;
      const latest = writer.adds.indexOf(present.at(-1)!);
      if (writer.adds.slice(0, latest).some((a) => a.ok && !has(a.entry))) plant('monotonic-writes', process);
      if (present.some((a) => [...a.seenBefore].some((e) => !held.has(e)))) plant('writes-follow-reads', process);
    }
    for (const id of held) session.seen.add(id);
    session.reads++;
  };

  /** Takes effect, then completes. */
  const run = (p: Pending, final = false): void => {
    apply(p, final);
    complete(p);
  };

  const start = (thread: number): Pending => {
    const f = random() < 0.4 ? 'write' : 'read';
    invoked++;
    return invoke(thread, f, Math.floor(random() * config.keys));
  };

  for (;;) {
    const candidates = pending.flatMap((p, t) => (p !== undefined || invoked < config.ops ? [t] : []));
    if (candidates.length === 0) break;
    const thread = candidates[Math.floor(random() * candidates.length)]!;
    if (!config.overlap) {
      run(start(thread));
      continue;
    }
    const p = pending[thread];
    if (p === undefined) pending[thread] = start(thread);
    else if (p.stage === 'invoked') apply(p, false);
    else {
      complete(p);
      pending[thread] = undefined;
    }
  }
  pending = [];

  // Final reads from the primary, once every replica has caught up.
  step += Math.max(0, ...lag) + 1;
  for (let thread = 0; thread < config.clients; thread++) {
    for (let key = 0; key < config.keys; key++) {
      run(invoke(thread, 'read', key), true);
    }
  }
  return { history, planted };
}
