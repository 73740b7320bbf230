/**
 * Simulates clients running against a real (linearizable) object, to make
 * histories that must check as linearizable and look like real ones: each op
 * takes effect atomically at a random moment between its invocation and its
 * completion, with random overlaps; some ops crash (info, or never complete)
 * after or before taking effect; definite failures (a cas that did not match,
 * an acquire of a held lock) complete as fail.
 *
 * Used by the property tests and bench/checker.ts.
 */
import type { Json, Op } from '../../../harness/history/op.js';

export type Random = () => number;

/** One kind of object: what a client asks next, and how the object applies it. */
export interface SimObject {
  nextOp(random: Random, process: number): { f: string; value: Json; key?: Json };
  /** Applies the op atomically: ok with the completion's value, or fail (no effect). */
  apply(op: { f: string; value: Json; key?: Json; process: number }): { type: 'ok'; value: Json } | { type: 'fail' };
}

export interface SimOptions {
  object: SimObject;
  /** Concurrent clients. */
  clients: number;
  /** Ops to invoke in all. */
  ops: number;
  /** Chance that an op crashes (completes as info, or never when it is a client's last op). */
  crashRate: number;
  random: Random;
}

const pick = <T>(random: Random, xs: readonly T[]): T => xs[Math.floor(random() * xs.length)]!;

/** The history of one simulated run. Always linearizable for the object's model. */
export function simulateHistory(options: SimOptions): Op[] {
  const { object, random } = options;
  const history: Op[] = [];
  // One object shape for every op (fields in one order), as a history read from a file has: spread
  // copies would give ops many hidden classes and make everything that reads them several times slower.
  const emit = (op: Omit<Op, 'index' | 'time'>): void => {
    const { type, process, f, value, key } = op;
    const index = history.length;
    const time = index * 1000;
    history.push(
      (key === undefined
        ? { index, time, type, process, f, value }
        : { index, time, type, process, f, value, key }) as Op,
    );
  };
  type Client = {
    process: number;
    stage: 'idle' | 'invoked' | 'applied';
    op?: { f: string; value: Json; key?: Json };
    result?: { type: 'ok'; value: Json } | { type: 'fail' } | { type: 'info' };
  };
  let nextProcess = 0;
  const clients: Client[] = Array.from({ length: options.clients }, () => ({ process: nextProcess++, stage: 'idle' }));
  let invoked = 0;
  for (;;) {
    const busy = clients.filter((c) => c.stage !== 'idle' || invoked < options.ops);
    if (busy.length === 0) break;
    const client = pick(random, busy);
    const keyField = (op: { key?: Json }): { key?: Json } => (op.key !== undefined ? { key: op.key } : {});
    if (client.stage === 'idle') {
      const op = object.nextOp(random, client.process);
      client.op = op;
      client.stage = 'invoked';
      invoked++;
      emit({
        type: 'invoke',
        process: client.process,
        f: op.f,
        value: op.f === 'read' || op.f === 'get' || op.f === 'dequeue' ? null : op.value,
        ...keyField(op),
      });
    } else if (client.stage === 'invoked') {
      const op = client.op!;
      const crashes = random() < options.crashRate;
      if (crashes && random() < 0.5) {
        client.result = { type: 'info' }; // crashed before taking effect
      } else {
        const result = object.apply({ ...op, process: client.process });
        client.result = crashes ? { type: 'info' } : result;
      }
      client.stage = 'applied';
    } else {
      const op = client.op!;
      const result = client.result!;
      const lastOp = invoked >= options.ops;
      if (result.type === 'info' && lastOp && random() < 0.5) {
        // Never completes: leave the client out of the rest of the run.
        clients.splice(clients.indexOf(client), 1);
        continue;
      }
      const invokeValue = op.f === 'read' || op.f === 'get' || op.f === 'dequeue' ? null : op.value;
      emit({
        type: result.type,
        process: client.process,
        f: op.f,
        value: result.type === 'ok' ? result.value : invokeValue,
        ...keyField(op),
      });
      client.stage = 'idle';
      if (result.type === 'info') client.process = nextProcess++;
    }
  }
  return history;
}

/** A cas register holding small integers (like Jepsen's etcd test: values 0–4). */
export function casRegisterObject(initial: Json = 0, values = 5): SimObject {
  let state: Json = initial;
  return {
    nextOp(random) {
      const r = random();
      if (r < 0.4) return { f: 'read', value: null };
      if (r < 0.7) return { f: 'write', value: Math.floor(random() * values) };
      return { f: 'cas', value: [Math.floor(random() * values), Math.floor(random() * values)] };
    },
    apply(op) {
      if (op.f === 'read') return { type: 'ok', value: state };
      if (op.f === 'write') {
        state = op.value;
        return { type: 'ok', value: op.value };
      }
      const [from, to] = op.value as [Json, Json];
      if (state !== from) return { type: 'fail' };
      state = to;
      return { type: 'ok', value: op.value };
    },
  };
}

/** A key-value store with put/get/append over `keys` keys (k0, k1, ...). */
export function kvObject(keys: number): SimObject {
  const store = new Map<string, Json>();
  let counter = 0;
  return {
    nextOp(random) {
      const key = `k${Math.floor(random() * keys)}`;
      const r = random();
      if (r < 0.5) return { f: 'get', key, value: null };
      if (r < 0.8) return { f: 'put', key, value: `v${counter++}` };
      return { f: 'append', key, value: `+${counter++}` };
    },
    apply(op) {
      const key = op.key as string;
      const current = store.get(key) ?? null;
      if (op.f === 'get') return { type: 'ok', value: current };
      const next = op.f === 'put' ? op.value : `${(current as string | null) ?? ''}${op.value as string}`;
      store.set(key, next);
      return { type: 'ok', value: op.value };
    },
  };
}

/** A FIFO queue of unique integers. */
export function fifoQueueObject(): SimObject {
  const queue: Json[] = [];
  let counter = 0;
  return {
    nextOp: (random) => (random() < 0.5 ? { f: 'enqueue', value: counter++ } : { f: 'dequeue', value: null }),
    apply(op) {
      if (op.f === 'enqueue') {
        queue.push(op.value);
        return { type: 'ok', value: op.value };
      }
      return { type: 'ok', value: queue.length > 0 ? queue.shift()! : null };
    },
  };
}

/** A grow-only set of small integers, read whole. */
export function setObject(): SimObject {
  const elements = new Set<number>();
  return {
    nextOp: (random) => (random() < 0.5 ? { f: 'add', value: Math.floor(random() * 6) } : { f: 'read', value: null }),
    apply(op) {
      if (op.f === 'add') {
        elements.add(op.value as number);
        return { type: 'ok', value: op.value };
      }
      return { type: 'ok', value: [...elements].sort((a, b) => b - a) };
    },
  };
}

/** A lock; acquiring a held lock or releasing one you do not hold fails. */
export function mutexObject(): SimObject {
  let holder: number | undefined;
  return {
    nextOp: (random) => (random() < 0.5 ? { f: 'acquire', value: null } : { f: 'release', value: null }),
    apply(op) {
      if (op.f === 'acquire') {
        if (holder !== undefined) return { type: 'fail' };
        holder = op.process;
        return { type: 'ok', value: null };
      }
      if (holder !== op.process) return { type: 'fail' };
      holder = undefined;
      return { type: 'ok', value: null };
    },
  };
}
