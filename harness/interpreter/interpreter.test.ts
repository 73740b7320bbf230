import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Generator } from '../generator/generator.js';
import * as g from '../generator/index.js';
import { seededRng } from '../generator/rng.js';
import type { Op } from '../history/op.js';
import { type HistoryWriter, openHistoryWriter } from '../history/writer.js';
import { silentLogger } from '../log.js';
import { fakeClientFactory } from './fake-client.js';
import { type InterpreterOptions, type NemesisInvoker, runInterpreter } from './interpreter.js';
import { testGenerator } from './test-generator.js';
import { wellFormedProblems } from './well-formed.js';

let dir: string;
let n = 0;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'faultline-interp-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(generator: Generator, extra: Partial<InterpreterOptions> = {}) {
  const clients = fakeClientFactory();
  const writer: HistoryWriter = await openHistoryWriter(join(dir, `h${n++}.jsonl`));
  try {
    const result = await runInterpreter({
      generator,
      concurrency: 3,
      makeClient: clients.make,
      nodeFor: (t) => ({ name: `n${(t % 3) + 1}`, address: '127.0.0.1' }),
      writer,
      rng: seededRng(1),
      opTimeoutMs: 200,
      log: silentLogger,
      ...extra,
    });
    return { result, history: writer.history() as Op[], clients: clients.log, writer };
  } finally {
    await writer.close();
  }
}

const parseFile = async (path: string) =>
  (await readFile(path, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Op);

describe('runInterpreter', () => {
  it('records a well-formed history of ok, fail, info, throw, garbage and timeouts; file equals memory', async () => {
    const fs = ['ok', 'fail', 'info', 'throw', 'garbage', 'hang', 'hang-hard', 'read', 'write'];
    const gen = g.clients(g.limit(60, (_ctx, rng) => ({ f: fs[rng.int(fs.length)]!, value: rng.int(10) })));
    const { result, history, clients, writer } = await run(gen);
    expect(wellFormedProblems(history)).toEqual([]);
    expect(result.client.invoke).toBe(60);
    expect(result.client.ok + result.client.fail + result.client.info).toBe(60);
    expect(result.ops).toBe(120);
    expect(result.unfinished).toBe(0);
    expect(result.aborted).toBe(false);

    const open = new Map<unknown, Op>();
    for (const c of history) {
      if (c.type === 'invoke') {
        open.set(c.process, c);
        continue;
      }
      const invocation = open.get(c.process)!;
      const f = invocation.f;
      const expected = { ok: 'ok', write: 'ok', read: 'ok', fail: 'fail' }[f] ?? 'info';
      expect(c.type, `${f} -> ${c.type}`).toBe(expected);
      expect(c.node).toMatch(/^n[123]$/);
      if (f === 'read') expect(c.value).toBe(42);
      if (f === 'hang' || f === 'hang-hard') expect(c.error).toBe('timed out after 200 ms');
      if (f === 'throw') expect(c.error).toBe('client threw: boom');
      if (f === 'info') expect(c.value).toBe(invocation.value); // keeps the invoked value
    }
    const timeouts = history.filter((o) => typeof o.error === 'string' && o.error.startsWith('timed out')).length;
    expect(result.timeouts).toBe(timeouts);

    // info retires the process: thread + k * concurrency, never reused
    const infos = history.filter((o) => o.type === 'info');
    expect(infos.length).toBeGreaterThan(0);
    for (const info of infos) {
      const later = history.filter((o) => o.index > info.index && o.process === info.process);
      expect(later).toEqual([]);
    }
    const processes = new Set(history.map((o) => o.process as number));
    for (const p of processes) expect([0, 1, 2]).toContain(p % 3);
    // each info made the worker close its client, and open a new one before its thread's next op
    const reopenedAfter = infos.filter((info) =>
      history.some(
        (o) =>
          o.type === 'invoke' && o.index > info.index && (o.process as number) % 3 === (info.process as number) % 3,
      ),
    );
    expect(clients.made).toBe(3 + reopenedAfter.length);
    expect(clients.closed).toBe(clients.opened);

    expect(await parseFile(writer.path)).toEqual(history);
    // times are ns since start, non-decreasing
    expect(history.every((o, i) => i === 0 || o.time >= history[i - 1]!.time)).toBe(true);
  });

  it('records nemesis ops as info / info with the value the nemesis returned', async () => {
    const calls: string[] = [];
    const nemesis: NemesisInvoker = {
      async invoke(op) {
        calls.push(op.f);
        if (op.f === 'explode') throw new Error('iptables failed');
        return { value: { partitioned: ['n1'], asked: op.value ?? null } };
      },
    };
    const gen = g.any(
      g.clients(g.limit(10, () => ({ f: 'ok' }))),
      g.nemesis([{ f: 'start-partition', value: 'majority' }, { f: 'explode' }, { f: 'stop-partition' }]),
    );
    const { history, result } = await run(gen, { nemesis });
    expect(wellFormedProblems(history)).toEqual([]);
    expect(calls).toEqual(['start-partition', 'explode', 'stop-partition']);
    expect(result.nemesisOps).toBe(3);
    const nem = history.filter((o) => o.process === 'nemesis');
    expect(nem.map((o) => o.type)).toEqual(['info', 'info', 'info', 'info', 'info', 'info']);
    expect(nem[0]).toMatchObject({ f: 'start-partition', value: 'majority' });
    expect(nem[1]).toMatchObject({ f: 'start-partition', value: { partitioned: ['n1'], asked: 'majority' } });
    expect(nem[3]).toMatchObject({ f: 'explode', error: 'nemesis threw: iptables failed' });
  });

  it('without a nemesis, nemesis generators are done at once', async () => {
    const { history } = await run(g.sequence(g.nemesis({ f: 'kill' }), g.clients({ f: 'ok' })));
    expect(history.map((o) => o.f)).toEqual(['ok', 'ok']);
  });

  it('a client that cannot open: ops fail with "no client", opening is retried and then works', async () => {
    const clients = fakeClientFactory({ opened: 0, closed: 0, made: 0, failOpens: 2 });
    const writer = await openHistoryWriter(join(dir, 'open.jsonl'));
    const result = await runInterpreter({
      generator: g.clients(
        g.limit(
          6,
          g.delay(0.02, () => ({ f: 'ok' })),
        ),
      ),
      concurrency: 1,
      makeClient: clients.make,
      nodeFor: () => ({ name: 'n1', address: '127.0.0.1' }),
      writer,
      rng: seededRng(2),
      opTimeoutMs: 200,
      reopenBackoffMs: 30,
      log: silentLogger,
    });
    await writer.close();
    const completions = writer.history().filter((o) => o.type !== 'invoke');
    expect(wellFormedProblems(writer.history())).toEqual([]);
    // the initial open failed, then the first retry failed: one op failed; then it opened
    expect(completions[0]).toMatchObject({
      type: 'fail',
      error: 'no client: opening on n1 failed: connection refused',
    });
    expect(completions.slice(1).every((o) => o.type === 'ok')).toBe(true);
    expect(result.client.fail).toBe(1);
    expect(clients.log.opened).toBe(1);
    expect(clients.log.closed).toBe(1);
  });

  it('waits for ops scheduled in the future', async () => {
    const { history } = await run(
      g.clients(
        g.limit(
          4,
          g.delay(0.03, () => ({ f: 'ok' })),
        ),
      ),
    );
    const times = history.filter((o) => o.type === 'invoke').map((o) => o.time);
    // op i is planned 30 ms * i after the first ask (which is after the run started), and never runs early
    expect(times).toHaveLength(4);
    times.forEach((t, i) => {
      expect(t).toBeGreaterThanOrEqual(i * 30e6);
    });
  });

  it('an abort stops new ops, lets running ones finish, and returns aborted', async () => {
    const controller = new AbortController();
    let seen = 0;
    const { result, history, clients } = await run(
      g.clients(
        g.mix(
          () => ({ f: 'slow', value: 2 }),
          () => ({ f: 'hang' }),
        ),
      ),
      {
        signal: controller.signal,
        onOp: () => {
          if (++seen === 40) controller.abort();
        },
      },
    );
    expect(result.aborted).toBe(true);
    expect(result.unfinished).toBe(0);
    expect(wellFormedProblems(history)).toEqual([]);
    // every invocation has its completion
    expect(history.filter((o) => o.type === 'invoke').length).toBe(history.filter((o) => o.type !== 'invoke').length);
    expect(history.length).toBeLessThanOrEqual(40 + 3);
    expect(clients.closed).toBe(clients.opened);
  });

  it('an abort while a nemesis op hangs gives up on it after the op timeout', async () => {
    const controller = new AbortController();
    const nemesis: NemesisInvoker = { invoke: () => new Promise(() => {}) };
    const gen = g.nemesis({ f: 'start-kill' });
    setTimeout(() => controller.abort(), 20);
    const { result, history } = await run(gen, { nemesis, signal: controller.signal, opTimeoutMs: 50 });
    expect(result.aborted).toBe(true);
    expect(history[1]).toMatchObject({ type: 'info', process: 'nemesis', error: expect.stringMatching(/^aborted/) });
  });

  it('a broken generator rejects after cleaning up', async () => {
    const bad: Generator = {
      op: (ctx) => ({ kind: 'op', op: { type: 'invoke', process: 99, time: ctx.time, f: 'ok' }, next: bad }),
      update: () => bad,
    };
    const clients = fakeClientFactory();
    const writer = await openHistoryWriter(join(dir, 'bad.jsonl'));
    await expect(
      runInterpreter({
        generator: bad,
        concurrency: 2,
        makeClient: clients.make,
        nodeFor: () => ({ name: 'n1', address: '127.0.0.1' }),
        writer,
        rng: seededRng(3),
        opTimeoutMs: 100,
        log: silentLogger,
      }),
    ).rejects.toThrow(/generator bug.*process 99/);
    await writer.close();
    expect(clients.log.closed).toBe(2);
  });
});

describe('testGenerator', () => {
  it('main phase with faults, then heal, then a quiet recovery, then final reads', () => {
    const gen = testGenerator({
      client: g.stagger(0.01, () => ({ f: 'write', value: 1 })),
      nemesis: g.cycle(g.sleep(0.3), { f: 'start' }, g.sleep(0.3), { f: 'stop' }),
      timeLimitSeconds: 2,
      nemesisFinal: { f: 'heal' },
      recoverySeconds: 1,
      clientFinal: g.eachThread({ f: 'read' }),
    });
    const r = g.simulate(gen, { concurrency: 3, nemesis: true, seed: 5, latencyNs: 5e6 });
    expect(r.stopped).toBe('done');
    expect(wellFormedProblems(r.history)).toEqual([]);
    const inv = r.invocations;
    const heal = inv.find((o) => o.f === 'heal')!;
    const lastMain = r.history.filter((o) => o.f === 'write' || o.f === 'start' || o.f === 'stop');
    expect(Math.max(...lastMain.map((o) => o.time))).toBeLessThanOrEqual(heal.time);
    expect(Math.max(...inv.filter((o) => o.f === 'write').map((o) => o.time))).toBeLessThan(2e9);
    expect(inv.filter((o) => o.f === 'start').length).toBeGreaterThanOrEqual(3);
    const reads = inv.filter((o) => o.f === 'read');
    expect(reads).toHaveLength(3);
    const healDone = r.history.find((o) => o.f === 'heal' && o.index > heal.index)!;
    expect(Math.min(...reads.map((o) => o.time))).toBe(healDone.time + 1e9);
  });

  it('runs for real under the interpreter: main phase, heal, recovery, final reads', async () => {
    const nemesis: NemesisInvoker = { invoke: async (op) => ({ value: op.f }) };
    const gen = testGenerator({
      client: g.stagger(0.005, () => ({ f: 'write', value: 1 })),
      nemesis: g.cycle(g.sleep(0.05), { f: 'start' }, g.sleep(0.05), { f: 'stop' }),
      timeLimitSeconds: 0.4,
      nemesisFinal: { f: 'heal' },
      recoverySeconds: 0.1,
      clientFinal: g.eachThread({ f: 'read' }),
    });
    const { history, result } = await run(gen, { nemesis });
    expect(wellFormedProblems(history)).toEqual([]);
    const firstOf = (f: string) => history.find((o) => o.f === f)!;
    const lastOf = (f: string) => history.filter((o) => o.f === f).at(-1)!;
    expect(result.client.invoke).toBeGreaterThan(10);
    expect(history.filter((o) => o.f === 'start').length).toBeGreaterThanOrEqual(2); // invocation + completion
    // heal after every main op; reads at least 0.1 s after the heal completed
    expect(lastOf('write').time).toBeLessThan(firstOf('heal').time);
    expect(firstOf('read').time - lastOf('heal').time).toBeGreaterThanOrEqual(0.1e9);
    expect(history.filter((o) => o.f === 'read' && o.type === 'ok')).toHaveLength(3);
  });

  it('works without a nemesis and without final generators', () => {
    const r = g.simulate(
      testGenerator({ client: g.delay(0.1, () => ({ f: 'w' })), timeLimitSeconds: 1, recoverySeconds: 0 }),
      {
        concurrency: 2,
        nemesis: true,
      },
    );
    expect(r.invocations).toHaveLength(10);
    expect(r.stopped).toBe('done');
  });
});
