/**
 * Runs transactions one at a time against a real in-memory store, with
 * concurrent clients, to make histories that must check as strict
 * serializable: each transaction takes effect atomically at a random moment
 * between its invocation and its completion. Some fail (no effect, fail),
 * some crash (info, with or without effect; the client continues as a
 * fresh process), and those still running at the end never complete.
 *
 * The stores: lists (list-append: "append" and "r") and registers
 * (rw-register: "w" and "r"). Used by the property tests, the workloads'
 * tests and the benchmark.
 */
import type { Json, Op } from '../../../harness/history/op.js';

export type Random = () => number;
/** A micro-op as a client sends it (reads with null) or gets it back. */
export type MicroOp = [string, Json, Json];

export interface Store {
  /** Applies a transaction atomically; returns its micro-ops with the reads filled in. */
  apply(mops: readonly MicroOp[]): MicroOp[];
}

/** Lists that appends extend at the end. */
export function listStore(): Store {
  const lists = new Map<Json, Json[]>();
  return {
    apply(mops) {
      return mops.map(([f, k, v]) => {
        let list = lists.get(k);
        if (!list) lists.set(k, (list = []));
        if (f === 'append') {
          list.push(v);
          return [f, k, v];
        }
        return [f, k, list.slice()];
      });
    },
  };
}

/** Registers that start as null. */
export function registerStore(): Store {
  const values = new Map<Json, Json>();
  return {
    apply(mops) {
      return mops.map(([f, k, v]) => {
        if (f === 'w') {
          values.set(k, v);
          return [f, k, v];
        }
        return [f, k, values.get(k) ?? null];
      });
    },
  };
}

export interface SimulateOptions {
  store: Store;
  /** The next transaction's micro-ops (reads with null). */
  nextTxn(random: Random): MicroOp[];
  clients: number;
  /** Transactions to invoke in all. */
  txns: number;
  /** Chance a transaction fails (no effect). */
  failRate: number;
  /** Chance it crashes (info; it took effect or not, even odds). */
  infoRate: number;
  random: Random;
  /** ns between history entries (default 1000). */
  stepNs?: number;
}

/** The history of one simulated run (strict serializable by construction). */
export function simulateTxns(options: SimulateOptions): Op[] {
  const { store, random } = options;
  const step = options.stepNs ?? 1000;
  const history: Op[] = [];
  const emit = (op: Omit<Op, 'index' | 'time'>): void => {
    history.push({ ...op, index: history.length, time: history.length * step } as Op);
  };
  type Client = {
    process: number;
    stage: 'idle' | 'invoked' | 'applied';
    mops: MicroOp[];
    done: MicroOp[];
    outcome: 'ok' | 'fail' | 'info';
  };
  let nextProcess = 0;
  const live: Client[] = Array.from({ length: options.clients }, () => ({
    process: nextProcess++,
    stage: 'idle',
    mops: [],
    done: [],
    outcome: 'ok',
  }));
  let invoked = 0;
  const retire = (i: number): void => {
    live[i] = live[live.length - 1]!;
    live.pop();
  };
  while (live.length > 0) {
    const i = Math.floor(random() * live.length);
    const client = live[i]!;
    if (client.stage === 'idle') {
      if (invoked >= options.txns) {
        retire(i);
        continue;
      }
      client.mops = options.nextTxn(random);
      const r = random();
      client.outcome = r < options.failRate ? 'fail' : r < options.failRate + options.infoRate ? 'info' : 'ok';
      client.stage = 'invoked';
      invoked++;
      emit({ type: 'invoke', process: client.process, f: 'txn', value: client.mops });
      continue;
    }
    if (client.stage === 'invoked' && (client.outcome === 'ok' || (client.outcome === 'info' && random() < 0.5))) {
      client.done = store.apply(client.mops);
      client.stage = 'applied';
      continue;
    }
    // Once every transaction is invoked, a crashed one may be left never completing.
    if (client.outcome === 'info' && invoked >= options.txns && random() < 0.5) {
      retire(i);
      continue;
    }
    // Complete: ok ones report what they read; the others report the invocation.
    const ok = client.outcome === 'ok';
    emit({ type: client.outcome, process: client.process, f: 'txn', value: ok ? client.done : client.mops });
    if (client.outcome === 'info') client.process = nextProcess++;
    client.stage = 'idle';
  }
  return history;
}
