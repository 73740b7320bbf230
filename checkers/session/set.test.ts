import { describe, expect, it } from 'vitest';
import { checkSession, type Guarantee, type SessionResult } from './index.js';
import { SessionHistory } from './testing/builder.js';

const check = (h: SessionHistory) => checkSession(h.ops, { datatype: 'set' });
const rung = (r: SessionResult, g: Guarantee) => r.ladder.find((x) => x.guarantee === g)!;
const kinds = (r: SessionResult) => r.violations.map((v) => v.guarantee);

describe('session checker on sets: read-your-writes', () => {
  it('reports a read without the session’s own acknowledged add', () => {
    const r = check(new SessionHistory().add(0, 1, 5, 'n1').read(0, 1, [], 'n2'));
    expect(r.valid).toBe(false);
    expect(kinds(r)).toEqual(['read-your-writes']);
    expect(r.violations[0]).toMatchObject({ process: 0, earlier: { value: 5 }, read: { value: [] }, missing: [5] });
    expect(r.violations[0]!.explanation).toBe(
      'process 0 added 5 to key 1 (ok at 0.1 s via n1), then read it from n2 at 0.3 s without 5',
    );
  });

  it('lists every own add missing, and names the latest', () => {
    const r = check(new SessionHistory().add(0, 1, 4).add(0, 1, 5).add(0, 1, 6).read(0, 1, [5]));
    expect(r.violations[0]).toMatchObject({ earlier: { value: 6 }, missing: [4, 6] });
    expect(r.violations[0]!.explanation).toMatch(/without 6, nor 1 more of its own adds$/);
  });

  it('accepts reads with the own adds, and asks nothing of failed or indeterminate adds', () => {
    const h = new SessionHistory().add(0, 1, 5).read(0, 1, [5, 7]).invoke(0, 'add', 1, 6).fail(0).read(0, 1, [5]);
    const r = check(h);
    expect(r.violations).toEqual([]);
    expect(rung(r, 'read-your-writes')).toMatchObject({ status: 'held', judged: 2 });
    // A worker that goes on after an info (without a fresh process id) is still not held to that add.
    const info = new SessionHistory().invoke(0, 'add', 1, 5).info(0).read(0, 1, []);
    expect(check(info).violations).toEqual([]);
  });
});

describe('session checker on sets: monotonic reads', () => {
  it('reports a read without an element an earlier read of the session had', () => {
    // 5 and 6 come from different sessions, so the read of [6] breaks no monotonic-writes.
    const r = check(new SessionHistory().add(1, 1, 5).add(2, 1, 6).read(0, 1, [5, 6], 'n1').read(0, 1, [6], 'n2'));
    expect(kinds(r)).toEqual(['monotonic-reads']);
    expect(r.violations[0]).toMatchObject({ process: 0, earlier: { value: [5, 6] }, missing: [5] });
    expect(r.violations[0]!.explanation).toBe(
      'process 0 read key 1 from n1 at 0.5 s and saw 5, then read it from n2 at 0.7 s without 5',
    );
  });

  it('remembers everything seen, not only the last read', () => {
    const r = check(new SessionHistory().add(1, 1, 5).add(2, 1, 6).read(0, 1, [5]).read(0, 1, [5, 6]).read(0, 1, [6]));
    expect(r.violations.map((v) => [v.guarantee, v.missing])).toEqual([['monotonic-reads', [5]]]);
    expect(rung(r, 'monotonic-reads')).toMatchObject({ judged: 2, violations: 1 });
  });

  it('is not broken by an element nobody added disappearing (that is reported as unexpected)', () => {
    const r = check(new SessionHistory().read(0, 1, [9]).read(0, 1, []));
    expect(r.violations).toEqual([]);
    expect(r.setAnomalies).toEqual([{ key: 1, lost: [], unexpected: [9] }]);
    expect(r.valid).toBe(false);
  });
});

describe('session checker on sets: monotonic writes', () => {
  it('reports a read, by any session, with a later add of a session but without its earlier one', () => {
    const r = check(new SessionHistory().add(0, 1, 5, 'n1').add(0, 1, 6, 'n1').read(1, 1, [6], 'n2'));
    expect(kinds(r)).toEqual(['monotonic-writes']);
    expect(r.violations[0]).toMatchObject({
      process: 0,
      earlier: { value: 5 },
      write: { value: 6 },
      read: { process: 1, value: [6] },
      missing: [5],
    });
    expect(r.violations[0]!.explanation).toBe(
      'process 0 added 5 to key 1 (ok at 0.1 s via n1), then 6 (ok at 0.3 s via n1); ' +
        'process 1 read it from n2 at 0.5 s and saw 6 but not 5',
    );
    expect(rung(r, 'writes-follow-reads').status).toBe('not-exercised');
  });

  it('counts an indeterminate later add once a read shows it; never requires an indeterminate one', () => {
    const later = new SessionHistory().add(0, 1, 5).invoke(0, 'add', 1, 6).info(0).read(1, 1, [6]);
    expect(kinds(check(later))).toEqual(['monotonic-writes']);
    expect(check(later).violations[0]!.explanation).toContain('then 6 (outcome unknown, invoked at 0.2 s)');
    const earlier = new SessionHistory().invoke(0, 'add', 1, 5).info(0).add(0, 1, 6).read(1, 1, [6]);
    expect(check(earlier).violations).toEqual([]);
  });

  it('accepts reads with a prefix of each session’s adds', () => {
    const h = new SessionHistory().add(0, 1, 5).add(0, 1, 6).add(0, 1, 7).read(1, 1, [5]).read(1, 1, [5, 6, 7]);
    const r = check(h);
    expect(r.violations).toEqual([]);
    expect(rung(r, 'monotonic-writes')).toMatchObject({ status: 'held', judged: 1 });
  });
});

describe('session checker on sets: writes-follow-reads', () => {
  it('reports a read with a session’s add but without what that session had read before adding it', () => {
    const h = new SessionHistory().add(2, 1, 5).read(0, 1, [5], 'n1').add(0, 1, 6, 'n1').read(1, 1, [6], 'n3');
    const r = check(h);
    expect(kinds(r)).toEqual(['writes-follow-reads']);
    expect(r.violations[0]).toMatchObject({
      process: 0,
      earlier: { f: 'read', value: [5] },
      write: { value: 6 },
      read: { process: 1 },
      missing: [5],
    });
    expect(r.violations[0]!.explanation).toBe(
      'process 0 read key 1 from n1 at 0.3 s and saw 5, then added 6 (ok at 0.5 s via n1); ' +
        'process 1 read it from n3 at 0.7 s and saw 6 but not 5',
    );
  });

  it('only what was read before the add counts', () => {
    const h = new SessionHistory().add(2, 1, 5).add(0, 1, 6).read(0, 1, [5, 6]).read(1, 1, [6]);
    const r = check(h);
    expect(r.violations).toEqual([]);
    expect(rung(r, 'writes-follow-reads').status).toBe('not-exercised');
  });

  it('the writer’s own later read shows it too (as monotonic reads as well)', () => {
    const h = new SessionHistory().add(2, 1, 5).read(0, 1, [5]).add(0, 1, 6).read(0, 1, [6]);
    expect(kinds(check(h)).sort()).toEqual(['monotonic-reads', 'writes-follow-reads']);
  });
});

describe('session checker on sets: lost and unexpected elements (checkers/set)', () => {
  it('reports an acknowledged add that later reads lost, key by key', () => {
    const h = new SessionHistory().add(2, 'a', 1).add(3, 'a', 2).read(0, 'a', [1, 2]).read(1, 'a', [2]).add(2, 'b', 1);
    h.read(1, 'b', [1]);
    const r = check(h);
    expect(r.violations).toEqual([]);
    expect(r.setAnomalies).toEqual([{ key: 'a', lost: [1], unexpected: [] }]);
    expect(r).toMatchObject({ valid: false, lostCount: 1, unexpectedCount: 0 });
    expect(r.error).toMatch(/1 acknowledged add\(s\) lost/);
  });

  it('counts an element read twice once', () => {
    const r = check(new SessionHistory().add(0, 1, 5).add(0, 1, 6).read(1, 1, [6, 6, 5]).read(1, 1, [6, 6]));
    expect(kinds(r)).toEqual(['monotonic-reads', 'monotonic-writes']);
    expect(r.violations.every((v) => v.read.invokeIndex === 6)).toBe(true);
  });

  it('rejects a read that is not an array', () => {
    expect(() => check(new SessionHistory().read(0, 1, 5))).toThrow(/array of elements/);
  });

  it('names the set when the history has no keys', () => {
    const r = check(new SessionHistory().add(0, undefined, 5).read(0, undefined, []));
    expect(r.violations[0]!.explanation).toMatch(/^process 0 added 5 to the set/);
  });
});
