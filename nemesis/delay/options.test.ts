import { describe, expect, it } from 'vitest';
import { UserError } from '../../harness/errors.js';
import { parseStats } from './helper.js';
import { percentile, summarize } from './measure.js';
import { DELAY_DEFAULTS, helperArgs, parseDelayOptions, rateBytesPerSecond } from './options.js';

describe('delay options', () => {
  it('defaults to 50 ± 10 ms uniform, nothing else, the controller untouched', () => {
    expect(parseDelayOptions({}, 'x')).toEqual(DELAY_DEFAULTS);
    expect(DELAY_DEFAULTS).toMatchObject({ delayMs: 50, jitterMs: 10, distribution: 'uniform', controller: false });
  });

  it('reads every option over a base', () => {
    const o = parseDelayOptions(
      { delayMs: 5, jitterMs: 2, distribution: 'normal', reorder: 0.1, duplicate: 0.2, rate: '2mbit', limit: 10 },
      'x',
    );
    expect(o).toEqual({
      delayMs: 5,
      jitterMs: 2,
      distribution: 'normal',
      reorder: 0.1,
      duplicate: 0.2,
      rate: '2mbit',
      controller: false,
      limit: 10,
      mechanism: 'auto',
    });
    // A rate in the base can be taken away with null.
    expect(parseDelayOptions({ rate: null }, 'x', o).rate).toBeUndefined();
  });

  it.each([
    [{ delayMs: '5' }, /^w\.delayMs: expected milliseconds from 0 to 60000, got "5"$/],
    [{ delayMs: 60_001 }, /^w\.delayMs: /],
    [{ jitterMs: Number.NaN }, /^w\.jitterMs: /],
    [{ reorder: -0.1 }, /^w\.reorder: expected a probability in \[0, 1\]/],
    [{ duplicate: 2 }, /^w\.duplicate: /],
    [{ distribution: 'pareto' }, /^w\.distribution: expected uniform or normal, got "pareto"$/],
    [{ rate: '10' }, /^w\.rate: rate must look like 1mbit/],
    [{ rate: 5 }, /^w\.rate: expected a tc rate/],
    [{ controller: 'yes' }, /^w\.controller: expected true or false/],
    [{ limit: 0 }, /^w\.limit: expected a whole number/],
    [{ mechanism: 'tc' }, /^w\.mechanism: expected auto, nfqueue, netem, got "tc"$/],
    [{ latency: 5 }, /^w\.latency: unknown option; known: delayMs, jitterMs/],
    [{ delayMs: 0, jitterMs: 0 }, /^w: this delay does nothing/],
    [{ delayMs: 0, jitterMs: 0, duplicate: 0.1, reorder: 0.1 }, /^w\.reorder: reorder needs a delay/],
    [[1], /^w: expected an object/],
  ])('%j is a UserError naming the option', (raw, message) => {
    expect(() => parseDelayOptions(raw, 'w')).toThrow(UserError);
    expect(() => parseDelayOptions(raw, 'w')).toThrow(message);
  });

  it('reads rates as tc does: bit units are bits, bps units bytes', () => {
    expect(rateBytesPerSecond('1mbit', 'r')).toBe(125_000);
    expect(rateBytesPerSecond('100kbit', 'r')).toBe(12_500);
    expect(rateBytesPerSecond('2MBps', 'r')).toBe(2_000_000);
    expect(rateBytesPerSecond('1.5gbit', 'r')).toBe(187_500_000);
    expect(() => rateBytesPerSecond('1bit', 'r')).toThrow(/at least 8bit/);
  });

  it('turns options into the helper arguments, microseconds and bytes per second', () => {
    const args = helperArgs({ ...DELAY_DEFAULTS, delayMs: 50.5, rate: '1mbit' }, 7, 0x5a17de1a, 3);
    expect(args.join(' ')).toBe(
      '--queue 7 --delay-us 50500 --jitter-us 10000 --distribution uniform --reorder 0 --duplicate 0 --limit 100000 --mark 0x5a17de1a --seed 3 --rate 125000',
    );
  });
});

describe('helper stats and RTT summaries', () => {
  it('parses the stats line', () => {
    expect(parseStats('stats received=3 released=2 held=1 late_max_us=40 junk=x')).toEqual({
      received: 3,
      released: 2,
      held: 1,
      late_max_us: 40,
    });
  });

  it('takes nearest-rank percentiles', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentile(values, 0.5)).toBe(50);
    expect(percentile(values, 0.99)).toBe(99);
    expect(percentile(values, 1)).toBe(100);
    expect(percentile([], 0.5)).toBeUndefined();
    expect(summarize([1.234, 2.345], 3)).toEqual({ samples: 2, timeouts: 3, medianMs: 1.23, p99Ms: 2.35 });
    expect(summarize([])).toEqual({ samples: 0, timeouts: 0, medianMs: null, p99Ms: null });
  });
});
