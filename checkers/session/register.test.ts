import { describe, expect, it } from 'vitest';
import { MalformedHistoryError } from '../../harness/history/errors.js';
import { checkSession, type Guarantee, type SessionResult, sessionChecker } from './index.js';
import { SessionHistory } from './testing/builder.js';

const rung = (r: SessionResult, g: Guarantee) => r.ladder.find((x) => x.guarantee === g)!;
const kinds = (r: SessionResult) => r.violations.map((v) => v.guarantee);

describe('session checker on registers: read-your-writes', () => {
  it('reports a read of a version older than the session’s own write, in one sentence with the nodes', () => {
    const h = new SessionHistory()
      .write(1, 'k7', 4, 'n1') // 4 acknowledged at 0.1 s
      .write(3, 'k7', 5, 'n1') // 5 invoked at 0.2 s, ok at 0.3 s
      .read(3, 'k7', 4, 'n2'); // read back at 0.5 s
    const r = checkSession(h.ops);
    expect(r.valid).toBe(false);
    expect(kinds(r)).toEqual(['read-your-writes']);
    const [v] = r.violations;
    expect(v).toMatchObject({
      key: 'k7',
      process: 3,
      earlier: { f: 'write', value: 5, node: 'n1', invokeIndex: 2 },
      read: { f: 'read', value: 4, node: 'n2', invokeIndex: 4 },
      missing: [5],
      order: { older: 4, known: { how: 'acknowledged', index: 1 }, newer: 5, newerInvoked: { index: 2 } },
    });
    expect(v!.explanation).toBe(
      'process 3 wrote 5 to key k7 (ok at 0.3 s via n1), then read 4 from n2 at 0.5 s, ' +
        'an older version (4 was acknowledged at 0.1 s, before 5 was written at 0.2 s)',
    );
    expect(rung(r, 'read-your-writes')).toMatchObject({ status: 'violated', violations: 1, judged: 1 });
    expect(rung(r, 'monotonic-reads')).toMatchObject({ status: 'not-exercised', judged: 0 });
  });

  it('reports a read of the initial value after the session’s own write', () => {
    const r = checkSession(new SessionHistory().write(0, 1, 5, 'n1').read(0, 1, null, 'n3').ops);
    expect(kinds(r)).toEqual(['read-your-writes']);
    expect(r.violations[0]!.explanation).toBe(
      'process 0 wrote 5 to key 1 (ok at 0.1 s via n1), then read nothing (the initial value) from n3 at 0.3 s',
    );
  });

  it('reports a read of the session’s own earlier write', () => {
    const r = checkSession(new SessionHistory().write(0, 1, 4).write(0, 1, 5).read(0, 1, 4).ops);
    expect(kinds(r)).toEqual(['read-your-writes']);
    expect(r.violations[0]!.order).toMatchObject({ older: 4, newer: 5 });
  });

  it('accepts the own write or a newer one', () => {
    const h = new SessionHistory().write(0, 1, 5).read(0, 1, 5).write(1, 1, 6).read(0, 1, 6);
    const r = checkSession(h.ops);
    expect(r.valid).toBe(true);
    expect(rung(r, 'read-your-writes')).toMatchObject({ status: 'held', judged: 2, undecided: 0 });
  });

  it('orders by a read too: a value seen before the own write was invoked is older', () => {
    const h = new SessionHistory()
      .invoke(1, 'write', 1, 4) // never acknowledged ...
      .read(2, 1, 4, 'n1') // ... but seen at 0.2 s
      .write(3, 1, 5)
      .read(3, 1, 4, 'n2');
    const r = checkSession(h.ops);
    expect(kinds(r)).toEqual(['read-your-writes']);
    expect(r.violations[0]!.order?.known).toMatchObject({ how: 'read', index: 2 });
    expect(r.violations[0]!.explanation).toContain('4 had been read at 0.2 s, before 5 was written at 0.3 s');
  });

  it('leaves a read of a value whose write overlapped the own write undecided, never a violation', () => {
    const h = new SessionHistory()
      .invoke(1, 'write', 1, 4) // 4 is still pending ...
      .write(0, 1, 5) // ... when 5 is written
      .ok(1)
      .read(0, 1, 4);
    const r = checkSession(h.ops);
    expect(r.violations).toEqual([]);
    expect(rung(r, 'read-your-writes')).toMatchObject({ status: 'not-exercised', judged: 0, undecided: 1 });
    expect(r.valid).toBe('unknown');
  });

  it('asks nothing of a failed or indeterminate write', () => {
    const failed = new SessionHistory().write(1, 1, 4).invoke(0, 'write', 1, 5).fail(0).read(0, 1, 4);
    expect(checkSession(failed.ops).violations).toEqual([]);
    // Process 0's info write ends its session; process 10 (the same worker, a fresh session) owes it nothing.
    const info = new SessionHistory().write(1, 1, 4).invoke(0, 'write', 1, 5).info(0).read(10, 1, 4).read(10, 1, 4);
    const r = checkSession(info.ops);
    expect(r.violations).toEqual([]);
    expect(r.valid).toBe(true);
  });
});

describe('session checker on registers: monotonic reads', () => {
  it('reports a read of a version older than an earlier read', () => {
    const h = new SessionHistory().write(1, 1, 4).write(1, 1, 5).read(0, 1, 5, 'n1').read(0, 1, 4, 'n2');
    const r = checkSession(h.ops);
    expect(kinds(r)).toEqual(['monotonic-reads']);
    expect(r.violations[0]).toMatchObject({ process: 0, earlier: { value: 5, node: 'n1' }, read: { value: 4 } });
    expect(r.violations[0]!.explanation).toBe(
      'process 0 read 5 on key 1 from n1 at 0.5 s, then read 4 from n2 at 0.7 s, ' +
        'an older version (4 was acknowledged at 0.1 s, before 5 was written at 0.2 s)',
    );
    expect(rung(r, 'read-your-writes').status).toBe('not-exercised');
  });

  it('reports the initial value after a written one, and judges against the newest version seen', () => {
    const h = new SessionHistory().write(1, 1, 4).write(1, 1, 5).read(0, 1, 5).read(0, 1, 4);
    const later = new SessionHistory().write(1, 1, 4).write(1, 1, 5).read(0, 1, 5).read(0, 1, null);
    expect(kinds(checkSession(later.ops))).toEqual(['monotonic-reads']);
    // 4 then 5 then 4: the third read goes behind the newest seen (5), not the one before it.
    const r = checkSession(
      new SessionHistory().write(1, 1, 4).write(1, 1, 5).read(0, 1, 4).read(0, 1, 5).read(0, 1, 4).ops,
    );
    expect(r.violations.map((v) => [v.earlier.value, v.read.value])).toEqual([[5, 4]]);
    expect(rung(r, 'monotonic-reads')).toMatchObject({ judged: 2, violations: 1 });
    expect(checkSession(h.ops).valid).toBe(false);
  });

  it('accepts reads that move forward or stay', () => {
    const h = new SessionHistory()
      .write(1, 1, 4)
      .read(0, 1, null)
      .read(0, 1, 4)
      .read(0, 1, 4)
      .write(1, 1, 5)
      .read(0, 1, 5);
    const r = checkSession(h.ops);
    expect(r.valid).toBe(true);
    expect(rung(r, 'monotonic-reads')).toMatchObject({ status: 'held', judged: 3, undecided: 0 });
  });

  it('leaves reads of versions whose writes overlapped undecided', () => {
    const h = new SessionHistory().invoke(1, 'write', 1, 4).write(2, 1, 5).ok(1).read(0, 1, 5).read(0, 1, 4);
    const r = checkSession(h.ops);
    expect(r.violations).toEqual([]);
    expect(rung(r, 'monotonic-reads')).toMatchObject({ judged: 0, undecided: 1 });
  });

  it('keys are independent', () => {
    const h = new SessionHistory().write(1, 'a', 5).write(1, 'b', 4).read(0, 'a', 5).read(0, 'b', 4);
    const r = checkSession(h.ops);
    expect(r.violations).toEqual([]);
    expect(r.keys).toBe(2);
  });
});

describe('session checker on registers: monotonic writes and writes-follow-reads', () => {
  it('are not observable: a reordering shows up as the reader’s monotonic-reads violation', () => {
    // Process 1 writes 4 then 5; process 0 sees 5, then 4. On a register the checker assumes the
    // store orders a session's writes as issued, so it blames the reads, not the writes.
    const h = new SessionHistory().write(1, 1, 4).write(1, 1, 5).read(0, 1, 5).read(0, 1, 4);
    const r = checkSession(h.ops);
    expect(kinds(r)).toEqual(['monotonic-reads']);
    for (const g of ['monotonic-writes', 'writes-follow-reads'] as const) {
      expect(rung(r, g)).toMatchObject({ status: 'not-observable', judged: 0, violations: 0 });
      expect(rung(r, g).note).toMatch(/not observable on a register/);
    }
  });

  it('a read after a read-then-write is judged by the version order, which includes what was read', () => {
    // Process 1 reads 4 (its write still unacknowledged) and writes 5; process 2 reads 5 then 4.
    const h = new SessionHistory()
      .invoke(9, 'write', 1, 4)
      .read(1, 1, 4)
      .write(1, 1, 5)
      .read(2, 1, 5)
      .read(2, 1, 4)
      .ok(9);
    const r = checkSession(h.ops);
    expect(kinds(r)).toEqual(['monotonic-reads']);
    expect(r.violations[0]!.order?.known).toMatchObject({ how: 'read' });
  });
});

describe('session checker on registers: what no guarantee explains', () => {
  it('reports reads of values never written, definitely failed, or written after the read returned', () => {
    const h = new SessionHistory()
      .read(0, 1, 9)
      .invoke(1, 'write', 1, 4)
      .fail(1)
      .read(0, 1, 4)
      .read(0, 1, 6)
      .write(1, 1, 6);
    const r = checkSession(h.ops);
    expect(r.valid).toBe(false);
    expect(r.unexplained.map((u) => u.why)).toEqual([
      '9 was never written',
      'the write of 4 definitely failed',
      '6 was written only after the read returned',
    ]);
    expect(r.violations).toEqual([]);
    expect(r.error).toMatch(/3 read\(s\) no write explains/);
  });

  it('rejects histories it cannot read', () => {
    expect(() => checkSession(new SessionHistory().write(0, 1, 5).write(1, 1, 5).ops)).toThrow(/written twice/);
    expect(() => checkSession(new SessionHistory().write(0, 1, null).ops)).toThrow(MalformedHistoryError);
    expect(() => checkSession(new SessionHistory().invoke(0, 'cas', 1, [1, 2]).ok(0).ops)).toThrow(/not "cas"/);
  });

  it('is unknown on a history where nothing can be judged', () => {
    const r = checkSession(new SessionHistory().write(0, 1, 5).read(1, 1, 5).ops);
    expect(r.valid).toBe('unknown');
    expect(r.error).toMatch(/no read could be judged/);
  });
});

describe('session checker options and budget', () => {
  it('only required guarantees make the verdict false', () => {
    const h = new SessionHistory().write(0, 1, 4).write(0, 1, 5).read(0, 1, 4).read(0, 1, 5);
    expect(checkSession(h.ops, { require: ['monotonic-reads'] })).toMatchObject({ valid: true });
    expect(checkSession(h.ops, { require: ['read-your-writes'] })).toMatchObject({ valid: false });
    expect(() => checkSession(h.ops, { require: ['causal' as Guarantee] })).toThrow(/unknown guarantee/);
    expect(() => sessionChecker({ violationLimit: -1 })).toThrow(/violationLimit/);
  });

  it('counts every violation and keeps violationLimit of each as evidence', () => {
    const h = new SessionHistory().write(1, 1, 4).write(0, 1, 5);
    for (let i = 0; i < 5; i++) h.read(0, 1, 4);
    const r = checkSession(h.ops, { violationLimit: 2 });
    expect(rung(r, 'read-your-writes').violations).toBe(5);
    expect(r.violations.filter((v) => v.guarantee === 'read-your-writes')).toHaveLength(2);
  });

  it('stops when the budget runs out: unknown, or false when a violation was already found', () => {
    const h = new SessionHistory().write(1, 1, 4).write(0, 1, 5).read(0, 1, 4);
    for (let k = 2; k < 600; k++) h.write(0, k, 1).read(0, k, 1);
    // Every look at the clock moves it on 5 ms: the 10 ms budget runs out at the second look.
    let t = 0;
    const clock = () => (t += 5);
    const r = checkSession(h.ops, {}, { timeoutMs: 10, clock });
    expect(r.stoppedEarly).toMatch(/timed out/);
    expect(r.valid).toBe(false);
    const clean = new SessionHistory();
    for (let k = 0; k < 600; k++) clean.write(0, k, 1).read(0, k, 1);
    t = 0;
    expect(checkSession(clean.ops, {}, { timeoutMs: 10, clock })).toMatchObject({ valid: 'unknown' });
  });

  it('as a Checker', async () => {
    const checker = sessionChecker();
    expect(checker.name).toBe('session(register)');
    expect((await checker.check(new SessionHistory().write(0, 1, 5).read(0, 1, 5).ops)).valid).toBe(true);
  });
});
