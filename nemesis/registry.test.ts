import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../harness/errors.js';
import { simulate } from '../harness/generator/index.js';
import { seededRng } from '../harness/generator/rng.js';
import type { Op } from '../harness/history/op.js';
import { randomSkewMs } from './clock/index.js';
import { composeNemeses, composePackages, serialized } from './compose.js';
import type { Nemesis } from './nemesis.js';
import { noopPackage } from './noop.js';
import { feasibleShapes } from './partition/index.js';
import { nemesisPackage, parseNemesisNames } from './registry.js';
import { echoTarget } from './testing/echo-target.js';

const SECOND = 1e9;

/** The nemesis ops a package's generator emits in `seconds` of simulated time. */
function schedule(names: string[], seed: number, seconds = 600, interval = 10) {
  const pkg = nemesisPackage(names, { intervalSeconds: interval }, { nodeCount: 5, target: echoTarget() });
  const sim = simulate(pkg.generator, { concurrency: 2, nemesis: true, seed, maxTimeNs: seconds * SECOND });
  return { pkg, ops: sim.invocations.filter((o) => o.process === 'nemesis') };
}

const fs = (ops: Op[]) => ops.map((o) => o.f);

describe('nemesis names', () => {
  it('parses lists, ignores none, names the option and the known names on a typo', () => {
    expect(parseNemesisNames('partition, kill,partition')).toEqual(['partition', 'kill']);
    expect(parseNemesisNames(['clock', 'pause'])).toEqual(['clock', 'pause']);
    expect(parseNemesisNames('none')).toEqual([]);
    expect(() => parseNemesisNames('partition,parition')).toThrow(UserError);
    expect(() => parseNemesisNames('parition')).toThrow(
      /--nemesis: unknown nemesis "parition"; known: partition, packet, kill, pause, clock/,
    );
  });
});

describe('package schedules (simulated clock)', () => {
  for (const [name, start, stop] of [
    ['partition', 'start-partition', 'stop-partition'],
    ['packet', 'start-packet', 'stop-packet'],
    ['kill', 'kill', 'start'],
    ['pause', 'pause', 'resume'],
  ] as const) {
    it(`${name}: ${start} and ${stop} alternate, about one every interval, all on the nemesis`, () => {
      const { pkg, ops } = schedule([name], 3);
      expect(ops.length).toBeGreaterThan(30); // 600 s at a mean gap of 10 s: ~60
      expect(ops.length).toBeLessThan(100);
      ops.forEach((op, i) => {
        expect(op.f).toBe(i % 2 === 0 ? start : stop);
      });
      expect(ops[0]!.time).toBeGreaterThanOrEqual(10 * SECOND); // a quiet first interval
      expect(pkg.windows).toEqual([expect.objectContaining({ start, stop })]);
      const final = simulate(pkg.finalGenerator, { concurrency: 1, nemesis: true });
      expect(fs(final.invocations)).toEqual([stop]);
    });
  }

  it('is deterministic for a seed and differs across seeds', () => {
    const a = schedule(['partition', 'kill'], 11).ops.map((o) => [o.time, o.f, o.value]);
    expect(schedule(['partition', 'kill'], 11).ops.map((o) => [o.time, o.f, o.value])).toEqual(a);
    expect(schedule(['partition', 'kill'], 12).ops.map((o) => [o.time, o.f, o.value])).not.toEqual(a);
  });

  it('partition picks shapes that fit the cluster; explicit ones that do not are refused', () => {
    const shapes = new Set(
      schedule(['partition'], 5)
        .ops.filter((o) => o.f === 'start-partition')
        .map((o) => (o.value as { shape: string }).shape),
    );
    expect([...shapes].sort()).toEqual(['bridge', 'halves', 'majorities-ring', 'one', 'random-halves']);
    expect(feasibleShapes(3, undefined)).not.toContain('majorities-ring');
    expect(feasibleShapes(5, echoTarget({ primaries: ['n1'] }))).toContain('primaries');
    expect(() =>
      nemesisPackage(
        ['partition'],
        { intervalSeconds: 1, partition: { shapes: ['primaries'] } },
        { target: echoTarget() },
      ),
    ).toThrow(/^test\.nemesisOptions\.partition\.shapes: partition shape\(s\) primaries do not fit/);
  });

  it('clock mixes bumps (within ±max), strobes and resets; final resets', () => {
    const { pkg, ops } = schedule(['clock'], 9);
    expect(new Set(fs(ops))).toEqual(new Set(['bump-clock', 'strobe-clock', 'reset-clock']));
    for (const op of ops.filter((o) => o.f === 'bump-clock')) {
      const ms = (op.value as { ms: number }).ms;
      expect(Math.abs(ms)).toBeGreaterThanOrEqual(10);
      expect(Math.abs(ms)).toBeLessThanOrEqual(5000);
    }
    expect(fs(simulate(pkg.finalGenerator, { concurrency: 1, nemesis: true }).invocations)).toEqual(['reset-clock']);
  });

  it('randomSkewMs stays within ±[10, max]', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 1e6 }), fc.integer(), (max, seed) => {
        const ms = randomSkewMs(max, seededRng(seed));
        expect(Math.abs(ms)).toBeGreaterThanOrEqual(10);
        expect(Math.abs(ms)).toBeLessThanOrEqual(max);
      }),
    );
  });

  it('combined packages interleave every fault, and the final generator heals each in turn', () => {
    const { pkg, ops } = schedule(['partition', 'packet', 'kill', 'pause', 'clock'], 1, 3600);
    for (const f of ['start-partition', 'start-packet', 'kill', 'pause', 'bump-clock']) expect(fs(ops)).toContain(f);
    expect(pkg.windows.map((w: { label: string }) => w.label)).toEqual([
      'partition',
      'packet loss',
      'kill',
      'pause',
      'clock skew', // bump-clock until reset-clock
      'clock skew', // strobe-clock until reset-clock
    ]);
    expect(fs(simulate(pkg.finalGenerator, { concurrency: 1, nemesis: true }).invocations)).toEqual([
      'stop-partition',
      'stop-packet',
      'start',
      'resume',
      'reset-clock',
    ]);
    expect([...pkg.nemesis.fs].sort()).toEqual(
      [
        'start-partition',
        'stop-partition',
        'start-packet',
        'stop-packet',
        'kill',
        'start',
        'pause',
        'resume',
        'bump-clock',
        'strobe-clock',
        'reset-clock',
      ].sort(),
    );
  });

  it('no names gives the noop package: no ops at all', () => {
    const pkg = nemesisPackage([], { intervalSeconds: 5 });
    expect(pkg).toBe(noopPackage);
    expect(simulate(pkg.generator, { concurrency: 1, nemesis: true }).invocations).toEqual([]);
  });

  it('refuses bad options naming them', () => {
    expect(() => nemesisPackage(['packet'], { intervalSeconds: 1, packet: { probability: 1.5 } })).toThrow(
      /^test\.nemesisOptions\.packet\.probability: expected a loss probability in \(0, 1\], got 1\.5$/,
    );
    expect(() => nemesisPackage(['packet'], { intervalSeconds: 1, packet: { latencyMs: 20 } })).toThrow(
      /^test\.nemesisOptions\.packet: latency .*no netem/,
    );
    expect(() => nemesisPackage(['kill'], { intervalSeconds: 0 })).toThrow(/--nemesis-interval/);
    const plain = { ...echoTarget(), kill: undefined } as never;
    expect(() => nemesisPackage(['kill'], { intervalSeconds: 1 }, { target: plain })).toThrow(/cannot be killed/);
  });
});

describe('nemesis options from the config', () => {
  /** The message nemesisPackage throws for options that came from the config as unchecked JSON. */
  const refusal = (names: string[], nemesisOptions: unknown) => {
    try {
      nemesisPackage(
        names,
        { intervalSeconds: 1, ...(nemesisOptions as object) },
        { nodeCount: 5, target: echoTarget() },
      );
    } catch (err) {
      expect(err).toBeInstanceOf(UserError);
      return (err as Error).message;
    }
    throw new Error('expected a UserError');
  };

  it('names the path under test.nemesisOptions for every kind of mistake', () => {
    expect(refusal(['partition'], { partition: { shapes: ['halves', 'triangle'] } })).toBe(
      'test.nemesisOptions.partition.shapes[1]: unknown partition shape "triangle"; known: halves, random-halves, one, majorities-ring, bridge, primaries',
    );
    expect(refusal(['partition'], { partition: { shapes: 'halves' } })).toMatch(
      /^test\.nemesisOptions\.partition\.shapes: expected a list of shapes/,
    );
    expect(refusal(['partition'], { partition: { shape: ['halves'] } })).toBe(
      'test.nemesisOptions.partition.shape: unknown key (known keys here: shapes)',
    );
    expect(refusal(['packet'], { packet: { probability: 0 } })).toMatch(
      /^test\.nemesisOptions\.packet\.probability: expected a loss probability in \(0, 1\], got 0$/,
    );
    expect(refusal(['packet'], { packet: { probability: '0.2' } })).toMatch(
      /^test\.nemesisOptions\.packet\.probability: .*got "0\.2"$/,
    );
    expect(refusal(['packet'], { packet: { rate: 5 } })).toMatch(
      /^test\.nemesisOptions\.packet\.rate: expected a tc rate/,
    );
    expect(refusal(['kill'], { kill: { nodes: ['one', 'n1;rm'] } })).toMatch(
      /^test\.nemesisOptions\.kill\.nodes\[1\]: "n1;rm" is not a node spec/,
    );
    expect(refusal(['pause'], { pause: { nodes: 'one' } })).toMatch(
      /^test\.nemesisOptions\.pause\.nodes: expected a non-empty list of node specs/,
    );
    expect(refusal(['clock'], { clock: { maxSkewMs: 5 } })).toBe(
      'test.nemesisOptions.clock.maxSkewMs: expected at least 10 ms, got 5',
    );
    expect(refusal(['clock'], { clock: { strobe: { deltaMs: 100, periodMs: 0, durationMs: 10 } } })).toMatch(
      /^test\.nemesisOptions\.clock\.strobe\.periodMs: expected a positive number/,
    );
    expect(refusal(['clock'], { clock: { strobe: { deltaMs: 100 } } })).toMatch(
      /^test\.nemesisOptions\.clock\.strobe\.periodMs: is required$/,
    );
    expect(refusal(['kill'], { kil: {} })).toMatch(
      /^test\.nemesisOptions\.kil: unknown key \(known keys here: partition, packet, kill, pause, clock, delay, membership\)$/,
    );
    expect(refusal(['kill'], { intervalSeconds: 'often' })).toMatch(
      /^--nemesis-interval: expected a positive number of seconds, got "often"$/,
    );
  });

  it('parses node specs written as strings, so the schedule uses them', () => {
    const pkg = nemesisPackage(
      ['kill'],
      { intervalSeconds: 1, kill: { nodes: ['n1,n3'] as never } },
      { nodeCount: 5, target: echoTarget() },
    );
    const ops = simulate(pkg.generator, { concurrency: 1, nemesis: true, seed: 1, maxTimeNs: 20 * SECOND }).invocations;
    const kills = ops.filter((o) => o.f === 'kill');
    expect(kills.length).toBeGreaterThan(0);
    for (const op of kills) expect(op.value).toEqual({ nodes: 'n1,n3' });
  });
});

describe('composeNemeses', () => {
  const fake = (name: string, fsList: string[], log: string[], failHeal = false): Nemesis => ({
    name,
    fs: fsList,
    async setup() {},
    async invoke(_c, op) {
      log.push(`${name}:${op.f}`);
      return { value: name };
    },
    async heal() {
      log.push(`${name}:heal`);
      if (failHeal) throw new Error(`${name} heal broke`);
    },
    async teardown() {},
  });

  it('routes by f, heals every nemesis even when one fails, and reports the failure', async () => {
    const log: string[] = [];
    const n = composeNemeses([fake('a', ['x'], log, true), fake('b', ['y'], log)]);
    const ctx = {} as never;
    expect(await n.invoke(ctx, { f: 'y' })).toEqual({ value: 'b' });
    expect((await n.invoke(ctx, { f: 'z' })).error).toMatch(/no nemesis handles "z"/);
    await expect(n.heal(ctx)).rejects.toThrow(/heal failed for a: a heal broke/);
    expect(log).toEqual(['b:y', 'a:heal', 'b:heal']);
  });

  it('serialized: a heal that arrives during an invoke waits for it, then runs', async () => {
    const log: string[] = [];
    let release!: () => void;
    const slow: Nemesis = {
      ...fake('s', ['x'], log),
      async invoke() {
        log.push('invoke:start');
        await new Promise<void>((r) => (release = r));
        log.push('invoke:end');
        return { value: null };
      },
    };
    const n = serialized(slow);
    const ctx = {} as never;
    const invoking = n.invoke(ctx, { f: 'x' });
    const healing = n.heal(ctx);
    await new Promise((r) => setTimeout(r, 5));
    expect(log).toEqual(['invoke:start']);
    release();
    await Promise.all([invoking, healing]);
    expect(log).toEqual(['invoke:start', 'invoke:end', 's:heal']);
    // A failed call does not block the queue.
    const failing = serialized({ ...fake('f', ['x'], log, true) });
    await expect(failing.heal(ctx)).rejects.toThrow(/heal broke/);
    await expect(failing.invoke(ctx, { f: 'x' })).resolves.toEqual({ value: 'f' });
  });

  it('refuses two nemeses claiming one f', () => {
    expect(() => composeNemeses([fake('a', ['x'], []), fake('b', ['x'], [])])).toThrow(/both handle "x"/);
    expect(composePackages([])).toBe(noopPackage);
  });
});
