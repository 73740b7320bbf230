/**
 * The delay fault's options: what a user writes (test.nemesisOptions.delay or a
 * start-delay op value), checked up front with a UserError naming the option.
 */
import { UserError } from '../../harness/errors.js';

export const DISTRIBUTIONS = ['uniform', 'normal'] as const;
export type Distribution = (typeof DISTRIBUTIONS)[number];
export const MECHANISMS = ['auto', 'nfqueue', 'netem'] as const;
/** auto: netem on a node whose kernel has it, else the userspace scheduler (NFQUEUE and the helper). */
export type Mechanism = (typeof MECHANISMS)[number];

export interface DelayOptions {
  /** Mean delay added to each packet, milliseconds (each direction of a delayed link). */
  delayMs: number;
  /** uniform: each delay is in [delayMs - jitterMs, delayMs + jitterMs]; normal: the standard deviation. */
  jitterMs: number;
  distribution: Distribution;
  /** Probability that a packet goes at once, overtaking the packets held before it (netem's reorder). */
  reorder: number;
  /** Probability that a packet is delivered twice. */
  duplicate: number;
  /** A tc-style rate ("1mbit", "500kbit", "2mbps"): packets leave no faster than this. Absent: no limit. */
  rate?: string;
  /** Also delay what the selected nodes send to the controller (default false: the controller's traffic is untouched). */
  controller: boolean;
  /** At most this many packets are held per node; more are dropped (and counted). */
  limit: number;
  /** How the delay is made (default auto). */
  mechanism: Mechanism;
}

export const DELAY_DEFAULTS: DelayOptions = {
  delayMs: 50,
  jitterMs: 10,
  distribution: 'uniform',
  reorder: 0,
  duplicate: 0,
  controller: false,
  limit: 100_000,
  mechanism: 'auto',
};

export const DELAY_OPTION_KEYS = [
  'delayMs',
  'jitterMs',
  'distribution',
  'reorder',
  'duplicate',
  'rate',
  'controller',
  'limit',
  'mechanism',
] as const;

const MAX_DELAY_MS = 60_000;
const RATE = /^(\d+(?:\.\d+)?)(bit|kbit|mbit|gbit|bps|kbps|mbps|gbps)$/i;
/** Bytes per second of one unit, as tc reads them: "bit" units are bits, "bps" units are bytes (SI prefixes). */
const UNIT_BYTES: Record<string, number> = {
  bit: 1 / 8,
  kbit: 1e3 / 8,
  mbit: 1e6 / 8,
  gbit: 1e9 / 8,
  bps: 1,
  kbps: 1e3,
  mbps: 1e6,
  gbps: 1e9,
};

/** Bytes per second of a tc-style rate ("1mbit" = 125000). Throws UserError naming `where` for anything else. */
export function rateBytesPerSecond(rate: string, where: string): number {
  const m = RATE.exec(rate);
  const bytes = m ? Number(m[1]) * UNIT_BYTES[m[2]!.toLowerCase()]! : 0;
  if (!m || !(bytes >= 1)) {
    throw new UserError(`rate must look like 1mbit, 500kbit or 10mbps (at least 8bit), got ${JSON.stringify(rate)}`, {
      where,
    });
  }
  return Math.round(bytes);
}

function probability(value: unknown, where: string): number {
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new UserError(`expected a probability in [0, 1], got ${JSON.stringify(value)}`, { where });
  }
  return value;
}

function milliseconds(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > MAX_DELAY_MS) {
    throw new UserError(`expected milliseconds from 0 to ${MAX_DELAY_MS}, got ${JSON.stringify(value)}`, { where });
  }
  return value;
}

/**
 * `raw` (unchecked JSON: only the keys of DELAY_OPTION_KEYS, any of them
 * absent) over `base`, checked. Throws UserError naming `where.<option>` for
 * an unknown key or a bad value, and `where` for a combination that does
 * nothing (no delay, jitter, duplication or rate) or a reorder without a delay.
 */
export function parseDelayOptions(raw: unknown, where: string, base: DelayOptions = DELAY_DEFAULTS): DelayOptions {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new UserError(`expected an object with ${DELAY_OPTION_KEYS.join(', ')}, got ${JSON.stringify(raw)}`, {
      where,
    });
  }
  const o = raw as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (!(DELAY_OPTION_KEYS as readonly string[]).includes(key)) {
      throw new UserError(`unknown option; known: ${DELAY_OPTION_KEYS.join(', ')}`, { where: `${where}.${key}` });
    }
  }
  const opts: DelayOptions = { ...base };
  if (o.delayMs !== undefined) opts.delayMs = milliseconds(o.delayMs, `${where}.delayMs`);
  if (o.jitterMs !== undefined) opts.jitterMs = milliseconds(o.jitterMs, `${where}.jitterMs`);
  if (o.distribution !== undefined) {
    if (!(DISTRIBUTIONS as readonly unknown[]).includes(o.distribution)) {
      throw new UserError(`expected ${DISTRIBUTIONS.join(' or ')}, got ${JSON.stringify(o.distribution)}`, {
        where: `${where}.distribution`,
      });
    }
    opts.distribution = o.distribution as Distribution;
  }
  if (o.reorder !== undefined) opts.reorder = probability(o.reorder, `${where}.reorder`);
  if (o.duplicate !== undefined) opts.duplicate = probability(o.duplicate, `${where}.duplicate`);
  if (o.rate !== undefined) {
    if (o.rate === null) delete opts.rate;
    else {
      if (typeof o.rate !== 'string') {
        throw new UserError(`expected a tc rate like "1mbit", got ${JSON.stringify(o.rate)}`, {
          where: `${where}.rate`,
        });
      }
      rateBytesPerSecond(o.rate, `${where}.rate`);
      opts.rate = o.rate;
    }
  }
  if (o.controller !== undefined) {
    if (typeof o.controller !== 'boolean') {
      throw new UserError(`expected true or false, got ${JSON.stringify(o.controller)}`, {
        where: `${where}.controller`,
      });
    }
    opts.controller = o.controller;
  }
  if (o.limit !== undefined) {
    if (typeof o.limit !== 'number' || !Number.isInteger(o.limit) || o.limit < 1 || o.limit > 10_000_000) {
      throw new UserError(`expected a whole number of packets from 1 to 10000000, got ${JSON.stringify(o.limit)}`, {
        where: `${where}.limit`,
      });
    }
    opts.limit = o.limit;
  }
  if (o.mechanism !== undefined) {
    if (!(MECHANISMS as readonly unknown[]).includes(o.mechanism)) {
      throw new UserError(`expected ${MECHANISMS.join(', ')}, got ${JSON.stringify(o.mechanism)}`, {
        where: `${where}.mechanism`,
      });
    }
    opts.mechanism = o.mechanism as Mechanism;
  }
  if (opts.delayMs === 0 && opts.jitterMs === 0 && opts.duplicate === 0 && opts.rate === undefined) {
    throw new UserError('this delay does nothing: set delayMs, jitterMs, duplicate or rate', { where });
  }
  if (opts.reorder > 0 && opts.delayMs === 0 && opts.jitterMs === 0) {
    throw new UserError('reorder needs a delay: a reordered packet is one sent at once, past the delayed ones', {
      where: `${where}.reorder`,
    });
  }
  return opts;
}

/** The helper's command-line arguments for `opts` (pure; exported for tests). */
export function helperArgs(opts: DelayOptions, queue: number, mark: number, seed: number): string[] {
  const args = [
    '--queue',
    String(queue),
    '--delay-us',
    String(Math.round(opts.delayMs * 1000)),
    '--jitter-us',
    String(Math.round(opts.jitterMs * 1000)),
    '--distribution',
    opts.distribution,
    '--reorder',
    String(opts.reorder),
    '--duplicate',
    String(opts.duplicate),
    '--limit',
    String(opts.limit),
    '--mark',
    `0x${mark.toString(16)}`,
    '--seed',
    String(seed),
  ];
  if (opts.rate !== undefined) args.push('--rate', String(rateBytesPerSecond(opts.rate, 'rate')));
  return args;
}
