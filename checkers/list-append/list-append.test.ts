import { describe, expect, it } from 'vitest';
import { MalformedHistoryError, UserError } from '../../harness/history/errors.js';
import type { Json, Op } from '../../harness/history/op.js';
import { parseHistory } from '../../harness/history/read.js';
import { resultSections } from '../../harness/report/sections.js';
import { summarize } from '../views.js';
import { checkListAppend, listAppendChecker } from './index.js';

/** A history from [process, type, micro-ops] rows. */
function h(...rows: [number, Op['type'], Json[]][]): Op[] {
  return rows.map(([process, type, value], index) => ({ index, time: index, type, process, f: 'txn', value }) as Op);
}

describe('list-append checker', () => {
  it('reads Jepsen EDN transactions: keywords become strings, vectors arrays', () => {
    const text = [
      '{:type :invoke, :f :txn, :value [[:append :x 1] [:r :y nil]], :process 0}',
      '{:type :ok, :f :txn, :value [[:append :x 1] [:r :y []]], :process 0}',
      '{:type :invoke, :f :txn, :value [[:append :y 2] [:r :x nil]], :process 1}',
      '{:type :ok, :f :txn, :value [[:append :y 2] [:r :x []]], :process 1}',
    ].join('\n');
    const { history } = parseHistory(text, { path: 'h.edn' });
    expect(history[1]!.value).toEqual([
      ['append', 'x', 1],
      ['r', 'y', []],
    ]);
    const result = checkListAppend(history, { consistencyModels: ['serializable'] });
    expect(result.anomalyTypes).toEqual(['G2-item']);
    expect(result.anomalies['G2-item']!.cases[0]!.steps!.map((s) => [s.kind, s.key])).toEqual([
      ['rw', 'y'],
      ['rw', 'x'],
    ]);
  });

  it('with reportAll lists write skew under snapshot isolation without changing the verdict', () => {
    // Write skew: each reads the key the other appends to, both see it empty.
    const history = h(
      [
        0,
        'invoke',
        [
          ['append', 'x', 1],
          ['r', 'y', null],
        ],
      ],
      [
        1,
        'invoke',
        [
          ['append', 'y', 2],
          ['r', 'x', null],
        ],
      ],
      [
        0,
        'ok',
        [
          ['append', 'x', 1],
          ['r', 'y', []],
        ],
      ],
      [
        1,
        'ok',
        [
          ['append', 'y', 2],
          ['r', 'x', []],
        ],
      ],
    );
    const plain = checkListAppend(history, { consistencyModels: ['snapshot-isolation'] });
    expect(plain).toMatchObject({ valid: true, anomalyTypes: [] });
    const all = checkListAppend(history, { consistencyModels: ['snapshot-isolation'], reportAll: true });
    // Elle's ladder: write skew rules out repeatable-read (Adya's PL-2.99), and so serializable.
    expect(all).toMatchObject({ valid: true, anomalyTypes: ['G2-item'], not: ['repeatable-read'] });
    expect(all.alsoNot).toContain('serializable');
    expect(summarize(all)).toMatch(/snapshot-isolation holds .*; also found G2-item: not repeatable-read/);
    const strict = checkListAppend(history, { consistencyModels: ['serializable'], reportAll: true });
    expect(strict).toMatchObject({ valid: false, anomalyTypes: ['G2-item'] });
  });

  it('finds a future read, an incompatible order and a lost update', () => {
    const future = checkListAppend(
      h(
        [
          0,
          'invoke',
          [
            ['r', 'x', null],
            ['append', 'x', 1],
          ],
        ],
        [
          0,
          'ok',
          [
            ['r', 'x', [1]],
            ['append', 'x', 1],
          ],
        ],
      ),
    );
    expect(future.anomalyTypes).toContain('future-read');
    const incompatible = checkListAppend(
      h(
        [
          0,
          'invoke',
          [
            ['append', 'x', 1],
            ['append', 'x', 2],
          ],
        ],
        [
          0,
          'ok',
          [
            ['append', 'x', 1],
            ['append', 'x', 2],
          ],
        ],
        [1, 'invoke', [['r', 'x', null]]],
        [1, 'ok', [['r', 'x', [1, 2]]]],
        [2, 'invoke', [['r', 'x', null]]],
        [2, 'ok', [['r', 'x', [2, 1]]]],
      ),
    );
    expect(incompatible.anomalyTypes).toContain('incompatible-order');
    expect(incompatible.anomalies['incompatible-order']!.cases[0]!.details).toMatchObject({
      values: [
        [2, 1],
        [1, 2],
      ],
    });
    const lost = checkListAppend(
      h(
        [
          0,
          'invoke',
          [
            ['r', 'x', null],
            ['append', 'x', 1],
          ],
        ],
        [
          1,
          'invoke',
          [
            ['r', 'x', null],
            ['append', 'x', 2],
          ],
        ],
        [
          0,
          'ok',
          [
            ['r', 'x', []],
            ['append', 'x', 1],
          ],
        ],
        [
          1,
          'ok',
          [
            ['r', 'x', []],
            ['append', 'x', 2],
          ],
        ],
      ),
    );
    expect(lost.anomalyTypes).toEqual(expect.arrayContaining(['G2-item', 'lost-update']));
    expect(lost.anomalies['lost-update']!.cases[0]!.explanation).toMatch(
      /T1 and T2 all read x = \[\] and then wrote x/,
    );
  });

  it('treats info transactions as maybe committed: their appends count when read, their reads never', () => {
    const result = checkListAppend(
      h(
        [
          0,
          'invoke',
          [
            ['append', 'x', 1],
            ['r', 'y', null],
          ],
        ],
        [
          0,
          'info',
          [
            ['append', 'x', 1],
            ['r', 'y', null],
          ],
        ],
        [1, 'invoke', [['r', 'x', null]]],
        [1, 'ok', [['r', 'x', [1]]]],
      ),
    );
    expect(result.valid).toBe(true);
    expect(result.stats).toMatchObject({ ok: 1, info: 1, edges: { wr: 1 } });
  });

  it('finds process-order anomalies when a strong-session model is checked', () => {
    // Process 0 appends 1 to x, then reads x without it.
    const history = h(
      [0, 'invoke', [['append', 'x', 1]]],
      [0, 'ok', [['append', 'x', 1]]],
      [0, 'invoke', [['r', 'x', null]]],
      [0, 'ok', [['r', 'x', []]]],
    );
    const result = checkListAppend(history, { consistencyModels: ['strong-session-serializable'] });
    expect(result.anomalyTypes).toEqual(['G-single-item-process']);
    expect(result.not).toEqual(['strong-session-snapshot-isolation']);
    expect(checkListAppend(history, { consistencyModels: ['serializable'] }).valid).toBe(true);
  });

  it('rejects histories it cannot read, naming the op', () => {
    const dup = h(
      [0, 'invoke', [['append', 'x', 1]]],
      [0, 'ok', [['append', 'x', 1]]],
      [1, 'invoke', [['append', 'x', 1]]],
    );
    expect(() => checkListAppend(dup)).toThrow(MalformedHistoryError);
    expect(() => checkListAppend(dup)).toThrow(/1 is appended to x again/);
    expect(() => checkListAppend(h([0, 'invoke', 5 as never]))).toThrow(/must be a list of micro-ops/);
    expect(() => checkListAppend(h([0, 'invoke', [['w', 'x', 1]]]))).toThrow(/f one of append, r/);
    expect(() => checkListAppend(h([0, 'invoke', [['r', 'x', null]]], [0, 'ok', [['r', 'x', 3]]]))).toThrow(
      /an ok read must give the list it read/,
    );
    expect(() => checkListAppend([], { consistencyModels: ['nope'] })).toThrow(UserError);
  });

  it('past its budget answers unknown with what it found so far (false if that is already forbidden)', async () => {
    const g0 = h(
      [
        0,
        'invoke',
        [
          ['append', 'x', 1],
          ['append', 'y', 1],
        ],
      ],
      [
        0,
        'ok',
        [
          ['append', 'x', 1],
          ['append', 'y', 1],
        ],
      ],
      [
        1,
        'invoke',
        [
          ['append', 'x', 2],
          ['append', 'y', 2],
        ],
      ],
      [
        1,
        'ok',
        [
          ['append', 'x', 2],
          ['append', 'y', 2],
        ],
      ],
      [
        2,
        'invoke',
        [
          ['r', 'x', null],
          ['r', 'y', null],
        ],
      ],
      [
        2,
        'ok',
        [
          ['r', 'x', [1, 2]],
          ['r', 'y', [2, 1]],
        ],
      ],
    );
    let now = 0;
    const clock = () => (now += 1000);
    const timedOut = checkListAppend(g0, { timeoutMs: 1500, clock });
    expect(timedOut.valid).toBe('unknown');
    expect(timedOut.anomalyTypes).toEqual(['cycle-search-timeout']);
    expect(timedOut.error).toMatch(/^stopped early \(timed out after 1500 ms\)/);
    const withAbortedRead = [
      ...g0,
      { index: 6, time: 6, type: 'invoke', process: 3, f: 'txn', value: [['append', 'z', 9]] },
      { index: 7, time: 7, type: 'fail', process: 3, f: 'txn', value: [['append', 'z', 9]] },
      { index: 8, time: 8, type: 'invoke', process: 4, f: 'txn', value: [['r', 'z', null]] },
      { index: 9, time: 9, type: 'ok', process: 4, f: 'txn', value: [['r', 'z', [9]]] },
    ] as Op[];
    now = 0;
    const found = checkListAppend(withAbortedRead, { timeoutMs: 1500, clock });
    expect(found.valid).toBe(false);
    expect(found.anomalyTypes).toEqual(['G1a', 'cycle-search-timeout']);
    const controller = new AbortController();
    controller.abort();
    const stopped = await listAppendChecker().check(g0, { signal: controller.signal });
    expect(stopped.valid).toBe('unknown');
    expect(stopped.error).toMatch(/stopped early \(stopped before it finished\)/);
    expect(checkListAppend(g0).anomalyTypes).toEqual(['G0']);
    // The budget is also looked at while keys are inferred (every 1024 keys).
    const manyKeys = h(
      [0, 'invoke', Array.from({ length: 2000 }, (_, k) => ['append', k, 1])],
      [0, 'ok', Array.from({ length: 2000 }, (_, k) => ['append', k, 1])],
    );
    let calls = 0;
    const late = checkListAppend(manyKeys, { timeoutMs: 10, clock: () => (calls++ < 2 ? 0 : 100) });
    expect(late.valid).toBe('unknown');
    expect(late.anomalies['cycle-search-timeout']!.cases[0]!.explanation).toMatch(
      /before the dependency graph was complete/,
    );
  });

  it('summarises in a line and draws each cycle as a graph with its explanation and transactions', () => {
    const history = h(
      [
        0,
        'invoke',
        [
          ['append', 'x', 1],
          ['r', 'y', null],
        ],
      ],
      [
        0,
        'ok',
        [
          ['append', 'x', 1],
          ['r', 'y', []],
        ],
      ],
      [
        1,
        'invoke',
        [
          ['append', 'y', 1],
          ['r', 'x', null],
        ],
      ],
      [
        1,
        'ok',
        [
          ['append', 'y', 1],
          ['r', 'x', []],
        ],
      ],
    );
    const result = checkListAppend(history);
    expect(summarize(result)).toBe(
      'list-append: G-single-item-realtime, G2-item: not repeatable-read, strong-snapshot-isolation',
    );
    const sections = resultSections(result, history, (i) => i * 1e6);
    expect(sections.map((s) => s.kind)).toEqual(['txn-overview', 'G-single-item-realtime', 'G2-item']);
    const g2 = sections[2]!.blocks;
    expect(g2.find((b) => b.type === 'graph')).toMatchObject({
      nodes: [{ id: 'T1', label: 'T1', detail: 'append x 1, r y []' }, { id: 'T2' }],
      edges: [
        { from: 'T1', to: 'T2', label: 'rw y' },
        { from: 'T2', to: 'T1', label: 'rw x' },
      ],
    });
    const explain = g2.find((b) => b.type === 'text' && b.role === 'explain');
    expect(explain).toMatchObject({
      text: expect.stringMatching(/T1 read y = \[\] \(empty\), without T2's append of 1/),
    });
    expect(g2.find((b) => b.type === 'table')).toMatchObject({
      columns: ['', 'process', 'outcome', 'invoked', 'completed', 'ops', 'micro-ops'],
      rows: [['T1', '0', 'ok', { time: 0 }, { time: 1e6 }, '0–1', 'append x 1, r y []'], expect.anything()],
    });
    const valid = h(
      [0, 'invoke', [['append', 'x', 1]]],
      [0, 'ok', [['append', 'x', 1]]],
      [1, 'invoke', [['r', 'x', null]]],
      [1, 'ok', [['r', 'x', [1]]]],
    );
    const ok = checkListAppend(valid);
    expect(summarize(ok)).toBe('list-append: strict-serializable holds (2 transactions)');
    expect(resultSections(ok, valid, (i) => i)).toEqual([]);
  });
});
