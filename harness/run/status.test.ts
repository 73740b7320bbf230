import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { windowSpecs } from '../../nemesis/registry.js';
import type { Op } from '../history/op.js';
import { statusLine } from './status.js';

/** A status line writing to a non-terminal stream, on a clock the test moves. */
function harness() {
  const stream = new PassThrough() as unknown as NodeJS.WriteStream;
  let out = '';
  (stream as unknown as PassThrough).on('data', (d: Buffer) => (out += d.toString()));
  let now = 0;
  const line = statusLine({ timeLimitSeconds: 60, windows: windowSpecs(), stream, intervalMs: 10, now: () => now });
  return { line, advance: (ms: number) => (now += ms), lines: () => out.trim().split('\n'), clear: () => (out = '') };
}

const op = (o: Partial<Op> & Pick<Op, 'index' | 'time' | 'type' | 'process' | 'f'>) => o as Op;

describe('the live status line', () => {
  it('names the phase, the faults in words, and p50 / p99 latency of the last interval', async () => {
    const h = harness();
    h.line.start();
    h.line.phase('workload');
    h.line.record(op({ index: 0, time: 0, type: 'info', process: 'nemesis', f: 'start-partition' }));
    h.line.record(
      op({
        index: 1,
        time: 1,
        type: 'info',
        process: 'nemesis',
        f: 'start-partition',
        value: { grudge: { n1: ['n2', 'n3'], n2: ['n1'], n3: ['n1'] } },
      }),
    );
    for (let i = 0; i < 10; i++) {
      h.line.record(op({ index: 2 + 2 * i, time: 0, type: 'invoke', process: i, f: 'read' }));
      h.line.record(op({ index: 3 + 2 * i, time: (i + 1) * 1e6, type: 'ok', process: i, f: 'read' }));
    }
    h.advance(1000);
    h.clear();
    await new Promise((r) => setTimeout(r, 30));
    const last = h.lines()[0]!;
    expect(last).toMatch(/status workload: 1s elapsed, 59s left \| 10 ops\/s \| p50 6 ms p99 10 ms \| ok 10 /);
    expect(last).toContain('faults: partition: n1 | n2 n3');
    h.line.stop();
  });

  it('says what the run does after the workload instead of "0 ops/s"', async () => {
    const h = harness();
    h.line.start();
    h.line.phase('workload');
    h.line.phase('recovery');
    h.advance(3000);
    h.clear();
    await new Promise((r) => setTimeout(r, 30));
    expect(h.lines().at(-1)).toMatch(/status recovery: 3s \| letting the cluster recover before the final reads \|/);
    h.line.stop();
  });
});
