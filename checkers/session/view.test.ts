import { describe, expect, it } from 'vitest';
import type { History } from '../../harness/history/op.js';
import type { Block } from '../view.js';
import { summarize, viewOf } from '../views.js';
import { checkSession } from './index.js';
import { SessionHistory } from './testing/builder.js';
import { sessionView } from './view.js';

const ctxFor = (history: History) => ({
  history,
  timeOf: (i: number) => history[i]!.time,
  summary: () => '',
  sections: () => [],
});
const tables = (blocks: Block[]) => blocks.filter((b) => b.type === 'table');

describe('the session view', () => {
  it('is registered for kind session', () => {
    expect(viewOf('session')).toBe(sessionView);
  });

  it('explains each violated guarantee, draws the ladder and lists the violations', () => {
    const h = new SessionHistory()
      .write(1, 'k7', 4, 'n1')
      .write(3, 'k7', 5, 'n1')
      .read(3, 'k7', 4, 'n2')
      .read(3, 'k7', 5, 'n1')
      .read(3, 'k7', 4, 'n2');
    const r = checkSession(h.ops);
    expect(summarize(r)).toBe(
      'session (register): violated read-your-writes (2), monotonic-reads (1); ' +
        'not observable monotonic-writes, writes-follow-reads',
    );
    const [section, ...others] = sessionView.sections(r, 'session', ctxFor(h.ops));
    expect(others).toEqual([]);
    expect(section).toMatchObject({ kind: 'session', checker: 'session', title: 'Session guarantees violated' });
    const explains = section!.blocks.filter((b) => b.type === 'text' && b.role === 'explain');
    expect(explains.map((b) => b.type === 'text' && b.text)).toEqual([
      'Read-your-writes violated 2 times: Process 3 wrote 5 to key k7 (ok at 0.3 s via n1), then read 4 from n2 ' +
        'at 0.5 s, an older version (4 was acknowledged at 0.1 s, before 5 was written at 0.2 s). Process 3 wrote 5 ' +
        'to key k7 (ok at 0.3 s via n1), then read 4 from n2 at 0.9 s, an older version (4 was acknowledged at ' +
        '0.1 s, before 5 was written at 0.2 s).',
      'Monotonic-reads violated once: Process 3 read 5 on key k7 from n1 at 0.7 s, then read 4 from n2 at 0.9 s, ' +
        'an older version (4 was acknowledged at 0.1 s, before 5 was written at 0.2 s).',
    ]);
    const [ladder, violations] = tables(section!.blocks);
    expect(ladder?.type === 'table' && ladder.rows).toEqual([
      ['read-your-writes', 'violated', 'yes', 3, 0, 2, null],
      ['monotonic-reads', 'violated', 'yes', 2, 0, 1, null],
      ['monotonic-writes', 'not observable', 'yes', 0, 0, 0, expect.stringMatching(/not observable on a register/)],
      ['writes-follow-reads', 'not observable', 'yes', 0, 0, 0, expect.stringMatching(/not observable/)],
      ['every read explained by a write', 'held', 'yes', null, null, 0, null],
    ]);
    expect(violations?.type === 'table' && violations.rows[0]).toEqual([
      'read-your-writes',
      'k7',
      '3',
      'write 5 via n1',
      { time: 300_000_000 },
      null,
      null,
      'read 4 from n2',
      { time: 500_000_000 },
      '5',
    ]);
    expect(violations?.type === 'table' && violations.total).toBe(3);
  });

  it('picks its example sentences from different sessions first', () => {
    const h = new SessionHistory().write(1, 1, 4).write(3, 1, 5);
    for (let i = 0; i < 4; i++) h.read(3, 1, 4);
    h.write(4, 1, 6).read(4, 1, 5);
    const r = checkSession(h.ops);
    const [section] = sessionView.sections(r, 'session', ctxFor(h.ops));
    const text = section!.blocks[0]!.type === 'text' ? section!.blocks[0]!.text : '';
    expect(text.match(/Process \d/g)).toEqual(['Process 3', 'Process 3', 'Process 4']);
    expect(text).toMatch(/^Read-your-writes violated 5 times: .* And 2 more\.$/);
  });

  it('draws the ladder of a valid result (which guarantees held), and nothing for an empty history', () => {
    const h = new SessionHistory().write(0, 1, 5).read(0, 1, 5).read(0, 1, 5);
    const r = checkSession(h.ops);
    expect(summarize(r)).toBe(
      'session (register): held read-your-writes, monotonic-reads; not observable monotonic-writes, writes-follow-reads',
    );
    const [section] = sessionView.sections(r, 'session', ctxFor(h.ops));
    expect(section?.title).toBe('Session guarantees: none violated');
    expect(tables(section!.blocks)).toHaveLength(1);
    expect(section!.blocks.some((b) => b.type === 'text' && b.role === 'explain')).toBe(false);
    expect(sessionView.sections(checkSession([]), 'session', ctxFor([]))).toEqual([]);
    expect(summarize(checkSession([]))).toBe('session (register): no read could be judged for any session guarantee');
  });

  it('shows set anomalies and the set guarantees, third-party reads named', () => {
    const h = new SessionHistory().add(0, 1, 5, 'n1').add(0, 1, 6, 'n1').read(1, 1, [6, 9], 'n2');
    const r = checkSession(h.ops, { datatype: 'set' });
    expect(summarize(r)).toBe(
      'session (set): violated monotonic-writes (1); not exercised read-your-writes, monotonic-reads, ' +
        'writes-follow-reads; 1 acknowledged add(s) lost; 1 unexpected element(s)',
    );
    const [section] = sessionView.sections(r, 'session', ctxFor(h.ops));
    const [ladder, violations, anomalies] = tables(section!.blocks);
    expect(ladder?.type === 'table' && ladder.rows.map((row) => [row[0], row[1]])).toEqual([
      ['read-your-writes', 'not exercised'],
      ['monotonic-reads', 'not exercised'],
      ['monotonic-writes', 'violated'],
      ['writes-follow-reads', 'not exercised'],
      ['no acknowledged add lost (checkers/set)', 'violated'],
      ['no unexpected element (checkers/set)', 'violated'],
    ]);
    expect(violations?.type === 'table' && violations.rows[0]?.slice(3, 8)).toEqual([
      'add 5 via n1',
      { time: 100_000_000 },
      'add 6 via n1',
      { time: 300_000_000 },
      'read [6,9] from n2 by process 1',
    ]);
    // 5 is lost too: acknowledged, and the last read did not have it.
    expect(anomalies?.type === 'table' && anomalies.rows).toEqual([['1', '5', '9']]);
  });
});
