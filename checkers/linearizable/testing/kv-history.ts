/**
 * Many-client key-value histories that look like real recorded ones (MIT
 * 6.824-style kv tests, the histories Porcupine is measured on): clients on a
 * few keys doing get / put / append with string values, where an append adds
 * a unique token and a get returns the whole string. Op latencies are long
 * next to the gaps between a client's ops, so most clients are in the middle
 * of an op at any moment (20–40 of 50 overlap). Each op takes effect at a
 * random moment between its invocation and its completion, so the history is
 * linearizable unless `invalid` asks for a stale read.
 *
 * Deterministic from `seed`. Used by bench/checker.ts and the tests.
 */
import type { Json, Op } from '../../../harness/history/op.js';
import { seededRng } from '../../../harness/history/random.js';

export interface KvHistoryOptions {
  seed: number;
  clients: number;
  keys: number;
  /** Ops invoked in all. */
  ops: number;
  /** Share of gets and puts; the rest are appends. Default 0.4 and 0.15. */
  getShare?: number;
  putShare?: number;
  /** Mean op latency and mean gap between a client's ops, in ms. Default 20 and 12 (about 30 of 50 clients busy). */
  latencyMs?: number;
  gapMs?: number;
  /** Chance an op times out (completes as info; it may or may not have taken effect). Default 0. */
  crashRate?: number;
  /** What a get of a key never written returns: "" (the 6.824 convention, the default) or null. */
  missing?: '' | null;
  /** Put values unique (the default) or drawn from a few ("v0".."v4"), so the search cannot rely on uniqueness. */
  uniquePuts?: boolean;
  /** Make one get (on a key with some history) return a value older than a write that completed before it began. */
  invalid?: boolean;
}

interface Planned {
  process: number;
  f: 'get' | 'put' | 'append';
  key: string;
  value: Json;
  invoke: number;
  effect: number;
  complete: number;
  /** 'ok', or 'info' taking effect or not. */
  outcome: 'ok' | 'info-applied' | 'info-lost';
  result?: Json;
}

/** The history, and how many ops were concurrent on average (ok ops' invocations). */
export function kvHistory(options: KvHistoryOptions): Op[] {
  const rng = seededRng(options.seed);
  const exp = (mean: number): number => -Math.log(1 - rng.next()) * mean;
  const getShare = options.getShare ?? 0.4;
  const putShare = options.putShare ?? 0.15;
  const latency = options.latencyMs ?? 20;
  const gap = options.gapMs ?? 12;
  const crashRate = options.crashRate ?? 0;
  const missing = options.missing === undefined ? '' : options.missing;
  const planned: Planned[] = [];
  const clock = Array.from({ length: options.clients }, () => exp(gap));
  const process = Array.from({ length: options.clients }, (_, c) => c);
  let nextProcess = options.clients;
  let token = 0;
  for (let n = 0; n < options.ops; n++) {
    // The client that is free first invokes next: clients run in parallel, as in a real test.
    let c = 0;
    for (let i = 1; i < options.clients; i++) if (clock[i]! < clock[c]!) c = i;
    const invoke = clock[c]!;
    const r = rng.next();
    const f = r < getShare ? 'get' : r < getShare + putShare ? 'put' : 'append';
    const key = String(rng.int(options.keys));
    const value: Json =
      f === 'get'
        ? null
        : f === 'put'
          ? options.uniquePuts === false
            ? `v${rng.int(5)}`
            : `p${process[c]}.${token++};`
          : `x ${process[c]} ${token++} y;`;
    const crashed = rng.next() < crashRate;
    // Latency: mostly around the mean, with a long tail (a slow leader, a retry).
    const duration = latency * (0.3 + rng.next() * 1.2) + (rng.next() < 0.05 ? exp(latency * 3) : 0);
    const complete = invoke + (crashed ? duration * 3 : duration);
    const effect = invoke + rng.next() * (complete - invoke);
    const outcome = !crashed ? 'ok' : rng.next() < 0.5 ? 'info-applied' : 'info-lost';
    planned.push({ process: process[c]!, f, key, value, invoke, effect, complete, outcome });
    clock[c] = complete + exp(gap);
    if (crashed) process[c] = nextProcess++;
  }

  // Apply the effects in time order: what each get returns.
  const store = new Map<string, string>();
  const byEffect = [...planned].sort((a, b) => a.effect - b.effect);
  for (const op of byEffect) {
    if (op.outcome === 'info-lost') continue;
    const current = store.get(op.key);
    if (op.f === 'get') op.result = current ?? missing;
    else if (op.f === 'put') store.set(op.key, op.value as string);
    else store.set(op.key, (current ?? '') + (op.value as string));
  }
  if (options.invalid) makeStale(planned, byEffect, missing, rng.int);

  type Event = { time: number; op: Planned; invoke: boolean };
  const events: Event[] = [];
  for (const op of planned) {
    events.push({ time: op.invoke, op, invoke: true });
    events.push({ time: op.complete, op, invoke: false });
  }
  events.sort((a, b) => a.time - b.time);
  // One object shape for every op, as a history read from a file has (spread copies would give each
  // op a hidden class of its own, and make everything that reads them several times slower).
  return events.map(({ time, op, invoke }, index): Op => {
    const type = invoke ? 'invoke' : op.outcome === 'ok' ? 'ok' : 'info';
    const value = type === 'ok' && op.f === 'get' ? (op.result ?? null) : op.value;
    return { index, time: Math.round(time * 1e6), type, process: op.process, f: op.f, key: op.key, value };
  });
}

/**
 * Makes one ok get stale: it returns the key's value from before the latest
 * write that completed before the get was invoked (so no linearization can
 * explain it). Picks a get late in the history, where keys have histories.
 */
function makeStale(planned: Planned[], byEffect: Planned[], missing: '' | null, int: (n: number) => number): void {
  const gets = planned.filter((op) => op.f === 'get' && op.outcome === 'ok');
  for (let attempt = 0; attempt < 100; attempt++) {
    const get = gets[Math.floor(gets.length / 2) + int(Math.ceil(gets.length / 2))];
    if (!get) return;
    // The writes of this key that took effect, in effect order, with the value before each.
    let value: Json = null;
    let stale: Json | undefined;
    for (const op of byEffect) {
      if (op.key !== get.key || op.f === 'get' || op.outcome === 'info-lost') continue;
      const before = value;
      value = op.f === 'put' ? op.value : `${(value as string | null) ?? ''}${op.value as string}`;
      if (op.outcome === 'ok' && op.complete < get.invoke) stale = before ?? missing;
    }
    if (stale !== undefined && stale !== get.result) {
      get.result = stale;
      return;
    }
  }
}
