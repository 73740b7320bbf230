/**
 * Fault packages with their schedules (Jepsen's nemesis/combined): each
 * package is a nemesis, a generator that starts and stops its fault at random
 * (seeded) intervals, and a final generator that heals it.
 *
 *   const pkg = nemesisPackage(parseNemesisNames('partition,kill'), { intervalSeconds: 10 }, { target, nodeCount: 5 });
 *   // pkg.generator and pkg.finalGenerator are already routed to the nemesis thread.
 */

import { UserError } from '../harness/errors.js';
import type { Generator, Rng } from '../harness/generator/index.js';
import * as gen from '../harness/generator/index.js';
import type { Json } from '../harness/history/op.js';
import { hasPrimaries, isKillable, isPausable, type Target } from '../targets/target.js';
import { clockNemesis } from './clock.js';
import { composePackages, serialized } from './compose.js';
import { type DelayPackageOptions, delayPackage, validateDelayPackageOptions } from './delay/package.js';
import { PARTITION_SHAPES, type PartitionShape } from './grudge.js';
import { killNemesis } from './kill.js';
import type { NemesisPackage } from './nemesis.js';
import { describeNodeSpec, type NodeSpec, parseNodeSpec } from './node-spec.js';
import { noopPackage } from './noop.js';
import { packetNemesis, validatePacketOptions } from './packet.js';
import { partitionNemesis } from './partition.js';
import { pauseNemesis } from './pause.js';

export const NEMESIS_NAMES = ['partition', 'packet', 'kill', 'pause', 'clock', 'delay'] as const;
export type NemesisName = (typeof NEMESIS_NAMES)[number];

/**
 * Parses "partition,kill" (or a list of such strings). "none", "noop" and ""
 * mean no faults. Throws UserError naming `where` and the known names for an unknown one.
 */
export function parseNemesisNames(value: string | readonly string[], where = '--nemesis'): NemesisName[] {
  const parts = (typeof value === 'string' ? [value] : value)
    .flatMap((v) => v.split(','))
    .map((s) => s.trim())
    .filter((s) => s !== '' && s !== 'none' && s !== 'noop');
  for (const p of parts) {
    if (!(NEMESIS_NAMES as readonly string[]).includes(p)) {
      throw new UserError(`unknown nemesis "${p}"; known: ${NEMESIS_NAMES.join(', ')} (or none)`, { where });
    }
  }
  return [...new Set(parts)] as NemesisName[];
}

export interface PackageOptions {
  /** Mean seconds between fault ops (each gap is random in [0, 2 * interval), seeded). */
  intervalSeconds: number;
  partition?: { shapes?: PartitionShape[] };
  packet?: { probability?: number; rate?: string; latencyMs?: number; nodes?: NodeSpec[] };
  kill?: { nodes?: NodeSpec[] };
  pause?: { nodes?: NodeSpec[] };
  /** Bumps are random in ±[10 ms, maxSkewMs] (log-uniform magnitude); strobes flip by deltaMs. */
  clock?: {
    nodes?: NodeSpec[];
    maxSkewMs?: number;
    strobe?: { deltaMs: number; periodMs: number; durationMs: number };
  };
  /** See nemesis/delay/package.ts. */
  delay?: DelayPackageOptions;
}

const WHERE = 'test.nemesisOptions';

type Fields = Record<string, unknown>;

/** `value` as an object with only `known` keys; UserError naming `where` (or the unknown key) otherwise. */
function fields(value: unknown, where: string, known: readonly string[]): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new UserError(`expected an object with ${known.join(', ')}, got ${JSON.stringify(value)}`, { where });
  }
  for (const key of Object.keys(value)) {
    if (!known.includes(key))
      throw new UserError(`unknown option; known: ${known.join(', ')}`, { where: `${where}.${key}` });
  }
  return value as Fields;
}

function number(value: unknown, where: string, ok: (n: number) => boolean, expected: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || !ok(value)) {
    throw new UserError(`expected ${expected}, got ${JSON.stringify(value)}`, { where });
  }
  return value;
}

/** A list of node specs: strings ("minority", "n1,n3") or { nodes: [names] }. */
function nodeSpecs(value: unknown, where: string): NodeSpec[] {
  if (!Array.isArray(value) || value.length === 0) {
    throw new UserError(
      `expected a non-empty list of node specs like ["one", "majority", "n1,n3"], got ${JSON.stringify(value)}`,
      { where },
    );
  }
  return value.map((item: unknown, i) => {
    const at = `${where}[${i}]`;
    if (typeof item === 'string') return parseNodeSpec(item, at);
    const { nodes } = fields(item, at, ['nodes']);
    if (!Array.isArray(nodes) || nodes.length === 0 || !nodes.every((n) => typeof n === 'string')) {
      throw new UserError(`expected a non-empty list of node names, got ${JSON.stringify(nodes)}`, {
        where: `${at}.nodes`,
      });
    }
    return parseNodeSpec(nodes.join(','), `${at}.nodes`);
  });
}

/**
 * Validates package options as they come from the config (unchecked JSON)
 * and returns them typed, node specs parsed. Throws UserError naming
 * `test.nemesisOptions.<path>` (or --nemesis-interval for the interval).
 */
export function validatePackageOptions(raw: unknown): PackageOptions {
  const o = fields(raw, WHERE, ['intervalSeconds', 'partition', 'packet', 'kill', 'pause', 'clock', 'delay']);
  const opts: PackageOptions = {
    intervalSeconds: number(o.intervalSeconds, '--nemesis-interval', (n) => n > 0, 'a positive number of seconds'),
  };
  if (o.partition !== undefined) {
    const p = fields(o.partition, `${WHERE}.partition`, ['shapes']);
    opts.partition = {};
    if (p.shapes !== undefined) {
      const where = `${WHERE}.partition.shapes`;
      if (!Array.isArray(p.shapes))
        throw new UserError(`expected a list of shapes (${PARTITION_SHAPES.join(', ')})`, { where });
      opts.partition.shapes = p.shapes.map((shape: unknown, i) => {
        if (!(PARTITION_SHAPES as readonly unknown[]).includes(shape)) {
          throw new UserError(
            `unknown partition shape ${JSON.stringify(shape)}; known: ${PARTITION_SHAPES.join(', ')}`,
            { where: `${where}[${i}]` },
          );
        }
        return shape as PartitionShape;
      });
    }
  }
  if (o.packet !== undefined) {
    const where = `${WHERE}.packet`;
    const p = fields(o.packet, where, ['probability', 'rate', 'latencyMs', 'nodes']);
    opts.packet = {};
    if (p.probability !== undefined) {
      opts.packet.probability = number(
        p.probability,
        `${where}.probability`,
        (n) => n > 0 && n <= 1,
        'a loss probability in (0, 1]',
      );
    }
    if (p.rate !== undefined) {
      if (typeof p.rate !== 'string')
        throw new UserError(`expected a tc rate like "1mbit", got ${JSON.stringify(p.rate)}`, {
          where: `${where}.rate`,
        });
      opts.packet.rate = p.rate;
    }
    if (p.latencyMs !== undefined)
      opts.packet.latencyMs = number(p.latencyMs, `${where}.latencyMs`, (n) => n >= 0, 'milliseconds');
    if (p.nodes !== undefined) opts.packet.nodes = nodeSpecs(p.nodes, `${where}.nodes`);
  }
  for (const name of ['kill', 'pause'] as const) {
    if (o[name] === undefined) continue;
    const k = fields(o[name], `${WHERE}.${name}`, ['nodes']);
    opts[name] = k.nodes === undefined ? {} : { nodes: nodeSpecs(k.nodes, `${WHERE}.${name}.nodes`) };
  }
  if (o.clock !== undefined) {
    const where = `${WHERE}.clock`;
    const c = fields(o.clock, where, ['nodes', 'maxSkewMs', 'strobe']);
    opts.clock = {};
    if (c.nodes !== undefined) opts.clock.nodes = nodeSpecs(c.nodes, `${where}.nodes`);
    if (c.maxSkewMs !== undefined)
      opts.clock.maxSkewMs = number(c.maxSkewMs, `${where}.maxSkewMs`, (n) => n >= 10, 'at least 10 ms');
    if (c.strobe !== undefined) {
      const s = fields(c.strobe, `${where}.strobe`, ['deltaMs', 'periodMs', 'durationMs']);
      opts.clock.strobe = {
        deltaMs: number(s.deltaMs, `${where}.strobe.deltaMs`, () => true, 'a number of milliseconds'),
        periodMs: number(s.periodMs, `${where}.strobe.periodMs`, (n) => n > 0, 'a positive number of milliseconds'),
        durationMs: number(
          s.durationMs,
          `${where}.strobe.durationMs`,
          (n) => n >= 0 && n <= 600_000,
          'from 0 to 600000 milliseconds',
        ),
      };
    }
  }
  if (o.delay !== undefined) opts.delay = validateDelayPackageOptions(o.delay, `${WHERE}.delay`);
  return opts;
}

/** What the packages may check up front: the target's capabilities, the cluster size. */
export interface PackageContext {
  target?: Target;
  nodeCount?: number;
}

const DEFAULT_SPECS: NodeSpec[] = ['one', 'minority', 'majority'];

function pick<T>(items: readonly T[], rng: Rng): T {
  return items[rng.int(items.length)]!;
}

/**
 * After a first quiet `interval` (let the clients get going), ops from `ops`
 * staggered by `interval`, on the nemesis thread.
 */
function scheduled(interval: number, ops: gen.GenLike): Generator {
  return gen.nemesis([gen.sleep(interval), gen.stagger(interval, ops)]);
}

/** start/stop alternating (see `scheduled`). */
function startStop(interval: number, start: gen.OpFn, stop: gen.OpTemplate): Generator {
  return scheduled(interval, gen.flipFlop(start, gen.repeat(stop)));
}

/** The shapes a cluster of `nodeCount` nodes and `target` support. */
export function feasibleShapes(nodeCount: number | undefined, target: Target | undefined): PartitionShape[] {
  return PARTITION_SHAPES.filter((s) => {
    if (s === 'primaries') return target !== undefined && hasPrimaries(target);
    if (s === 'majorities-ring') return nodeCount === undefined || nodeCount >= 4;
    if (s === 'bridge') return nodeCount === undefined || nodeCount >= 3;
    return true;
  });
}

export function partitionPackage(opts: PackageOptions, ctx: PackageContext = {}): NemesisPackage {
  const feasible = feasibleShapes(ctx.nodeCount, ctx.target);
  const shapes = opts.partition?.shapes ?? feasible;
  const bad = shapes.filter((s) => !feasible.includes(s));
  if (bad.length > 0 || shapes.length === 0) {
    throw new UserError(
      `partition shape(s) ${bad.join(', ') || '(none)'} do not fit this cluster and target; possible: ${feasible.join(', ')}`,
      {
        where: `${WHERE}.partition.shapes`,
      },
    );
  }
  return {
    name: 'partition',
    nemesis: partitionNemesis(),
    generator: startStop(
      opts.intervalSeconds,
      (_c, rng) => ({ f: 'start-partition', value: { shape: pick(shapes, rng) } }),
      { f: 'stop-partition' },
    ),
    finalGenerator: gen.nemesis({ f: 'stop-partition' }),
    windows: [{ start: 'start-partition', stop: 'stop-partition', label: 'partition' }],
  };
}

export function packetPackage(opts: PackageOptions, _ctx: PackageContext = {}): NemesisPackage {
  const p = opts.packet ?? {};
  const base = validatePacketOptions(
    {
      probability: p.probability ?? 0.2,
      ...(p.rate !== undefined ? { rate: p.rate } : {}),
      ...(p.latencyMs !== undefined ? { latencyMs: p.latencyMs } : {}),
    },
    `${WHERE}.packet`,
  );
  const specs = p.nodes ?? DEFAULT_SPECS;
  return {
    name: 'packet',
    nemesis: packetNemesis(base),
    generator: startStop(
      opts.intervalSeconds,
      (_c, rng) => {
        const value: Record<string, Json> = {
          nodes: describeNodeSpec(pick(specs, rng)),
          probability: base.probability,
        };
        if (base.rate !== undefined) value.rate = base.rate;
        return { f: 'start-packet', value };
      },
      { f: 'stop-packet' },
    ),
    finalGenerator: gen.nemesis({ f: 'stop-packet' }),
    windows: [{ start: 'start-packet', stop: 'stop-packet', label: 'packet loss' }],
  };
}

export function killPackage(opts: PackageOptions, ctx: PackageContext = {}): NemesisPackage {
  if (ctx.target && !isKillable(ctx.target))
    throw new UserError(`target ${ctx.target.name} cannot be killed`, { where: '--nemesis kill' });
  const specs = opts.kill?.nodes ?? DEFAULT_SPECS;
  return {
    name: 'kill',
    nemesis: killNemesis(),
    generator: startStop(
      opts.intervalSeconds,
      (_c, rng) => ({ f: 'kill', value: { nodes: describeNodeSpec(pick(specs, rng)) } }),
      { f: 'start' },
    ),
    finalGenerator: gen.nemesis({ f: 'start' }),
    windows: [{ start: 'kill', stop: 'start', label: 'kill' }],
  };
}

export function pausePackage(opts: PackageOptions, ctx: PackageContext = {}): NemesisPackage {
  if (ctx.target && !isPausable(ctx.target))
    throw new UserError(`target ${ctx.target.name} cannot be paused`, { where: '--nemesis pause' });
  const specs = opts.pause?.nodes ?? DEFAULT_SPECS;
  return {
    name: 'pause',
    nemesis: pauseNemesis(),
    generator: startStop(
      opts.intervalSeconds,
      (_c, rng) => ({ f: 'pause', value: { nodes: describeNodeSpec(pick(specs, rng)) } }),
      { f: 'resume' },
    ),
    finalGenerator: gen.nemesis({ f: 'resume' }),
    windows: [{ start: 'pause', stop: 'resume', label: 'pause' }],
  };
}

/** A bump in ±[10, max] ms, log-uniform in magnitude (small and large skews both happen). */
export function randomSkewMs(maxSkewMs: number, rng: Rng): number {
  const magnitude = Math.round(10 * Math.max(1, maxSkewMs / 10) ** rng.next());
  return rng.next() < 0.5 ? -magnitude : magnitude;
}

export function clockPackage(opts: PackageOptions, _ctx: PackageContext = {}): NemesisPackage {
  const c = opts.clock ?? {};
  const specs = c.nodes ?? DEFAULT_SPECS;
  const maxSkewMs = c.maxSkewMs ?? 5_000;
  if (!(maxSkewMs >= 10))
    throw new UserError(`expected at least 10 ms, got ${maxSkewMs}`, { where: `${WHERE}.clock.maxSkewMs` });
  const strobe = c.strobe ?? { deltaMs: 200, periodMs: 10, durationMs: Math.min(2_000, opts.intervalSeconds * 500) };
  const bump: gen.OpFn = (_c, rng) => ({
    f: 'bump-clock',
    value: { nodes: describeNodeSpec(pick(specs, rng)), ms: randomSkewMs(maxSkewMs, rng) },
  });
  const strobeOp: gen.OpFn = (_c, rng) => ({
    f: 'strobe-clock',
    value: { nodes: describeNodeSpec(pick(specs, rng)), ...strobe },
  });
  const reset: gen.OpFn = () => ({ f: 'reset-clock' });
  return {
    name: 'clock',
    nemesis: clockNemesis(),
    generator: scheduled(opts.intervalSeconds, gen.mix(bump, strobeOp, reset)),
    finalGenerator: gen.nemesis({ f: 'reset-clock' }),
    windows: [{ start: 'bump-clock', stop: 'reset-clock', label: 'clock skew' }],
  };
}

const BUILDERS: Record<NemesisName, (opts: PackageOptions, ctx: PackageContext) => NemesisPackage> = {
  partition: partitionPackage,
  packet: packetPackage,
  kill: killPackage,
  pause: pausePackage,
  clock: clockPackage,
  delay: delayPackage,
};

/**
 * The combined package for `names` (the noop package when empty). Its
 * nemesis runs one call at a time (see `serialized`). `options` may come
 * straight from the config: they are validated first. Throws UserError for an
 * unknown name, a bad option (see `validatePackageOptions`), or a fault the
 * target cannot take.
 */
export function nemesisPackage(
  names: readonly string[],
  options: PackageOptions,
  ctx: PackageContext = {},
): NemesisPackage {
  const opts = validatePackageOptions(options);
  const parsed = parseNemesisNames(names);
  if (parsed.length === 0) return noopPackage;
  const pkg = composePackages(parsed.map((name) => BUILDERS[name](opts, ctx)));
  return { ...pkg, nemesis: serialized(pkg.nemesis) };
}
