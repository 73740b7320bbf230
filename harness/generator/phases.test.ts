import { describe, expect, it } from 'vitest';
import { limit } from './limits.js';
import { phases, synchronize } from './phases.js';
import { simulate } from './simulate.js';
import { clients, eachThread, nemesis } from './threads.js';

describe('phases', () => {
  it('each phase starts only after every op of the previous one completed', () => {
    const r = simulate(
      phases(
        limit(7, () => ({ f: 'one' })),
        eachThread({ f: 'two' }),
        { f: 'three' },
      ),
      { concurrency: 3, seed: 2, respond: (_op, rng) => ({ latencyNs: 1e6 + rng.int(5e6) }) },
    );
    for (const [before, after] of [
      ['one', 'two'],
      ['two', 'three'],
    ] as const) {
      const lastDone = Math.max(...r.history.filter((o) => o.type !== 'invoke' && o.f === before).map((o) => o.time));
      const firstStart = Math.min(...r.invocations.filter((o) => o.f === after).map((o) => o.time));
      expect(firstStart).toBeGreaterThanOrEqual(lastDone);
    }
    expect(r.invocations.filter((o) => o.f === 'two')).toHaveLength(3);
  });

  it('inside clients(), a running nemesis op is not waited for', () => {
    const r = simulate([nemesis({ f: 'slow-fault' }), clients(phases({ f: 'a' }, { f: 'b' }))], {
      concurrency: 1,
      nemesis: true,
      respond: (op) => ({ latencyNs: op.f === 'slow-fault' ? 100e9 : 1e6 }),
    });
    const b = r.invocations.find((o) => o.f === 'b')!;
    expect(b.time).toBe(1e6);
  });

  it('synchronize waits for all threads before the first op', () => {
    const r = simulate([limit(2, () => ({ f: 'x' })), synchronize({ f: 'y' })], { concurrency: 2, latencyNs: 5 });
    expect(r.invocations.map((o) => [o.f, o.time])).toEqual([
      ['x', 0],
      ['x', 0],
      ['y', 5],
    ]);
  });
});
