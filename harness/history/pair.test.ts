import { describe, expect, it } from 'vitest';
import { MalformedHistoryError } from './errors.js';
import type { Op } from './op.js';
import { pairHistory } from './pair.js';

let time = 0;
function op(type: Op['type'], process: Op['process'], f: string, value?: Op['value'], extra: Partial<Op> = {}): Op {
  time += 10;
  return { index: 0, time, type, process, f, value, ...extra } as Op;
}
const indexed = (ops: Op[]): Op[] => ops.map((o, index) => ({ ...o, index }));

describe('pairHistory', () => {
  it('pairs invocations with completions and takes a read value from its ok completion', () => {
    const paired = pairHistory(
      indexed([
        op('invoke', 0, 'write', 1),
        op('invoke', 1, 'read', null),
        op('ok', 0, 'write', 1),
        op('ok', 1, 'read', 1),
      ]),
    );
    expect(paired).toHaveLength(2);
    expect(paired[0]).toMatchObject({ id: 0, f: 'write', value: 1, outcome: 'ok', invokeIndex: 0, completeIndex: 2 });
    expect(paired[1]).toMatchObject({ id: 1, f: 'read', value: 1, outcome: 'ok', invokeIndex: 1, completeIndex: 3 });
  });

  it('keeps the invocation value when an ok completion carries null, and a read of null stays null', () => {
    const paired = pairHistory(
      indexed([
        op('invoke', 0, 'write', 3),
        op('ok', 0, 'write', null),
        op('invoke', 0, 'read', null),
        op('ok', 0, 'read', null),
      ]),
    );
    expect(paired.map((p) => p.value)).toEqual([3, null]);
  });

  it('drops fail ops and keeps info and never-completed ops open', () => {
    const paired = pairHistory(
      indexed([
        op('invoke', 0, 'cas', [0, 1]),
        op('fail', 0, 'cas', [0, 1]),
        op('invoke', 1, 'write', 2),
        op('info', 1, 'write', 2),
        op('invoke', 2, 'write', 3),
      ]),
    );
    expect(paired.map((p) => [p.f, p.value, p.outcome, p.completeIndex])).toEqual([
      ['write', 2, 'info', undefined],
      ['write', 3, 'info', undefined],
    ]);
  });

  it('skips nemesis ops and keeps the key', () => {
    const paired = pairHistory(
      indexed([
        op('info', 'nemesis', 'start-partition', null),
        op('invoke', 0, 'put', 1, { key: 'k' }),
        op('ok', 0, 'put', 1),
      ]),
    );
    expect(paired).toHaveLength(1);
    expect(paired[0]!.key).toBe('k');
  });

  it('lets a process invoke again after an info completion', () => {
    const paired = pairHistory(
      indexed([
        op('invoke', 0, 'write', 1),
        op('info', 0, 'write', 1),
        op('invoke', 0, 'write', 2),
        op('ok', 0, 'write', 2),
      ]),
    );
    expect(paired.map((p) => p.outcome)).toEqual(['info', 'ok']);
  });

  const malformed: [string, Op[], number, RegExp][] = [
    ['a completion with no invocation', [op('ok', 0, 'read', 1)], 0, /no pending invocation/],
    ['a double invocation', [op('invoke', 0, 'read', null), op('invoke', 0, 'write', 1)], 1, /still pending/],
    ['a completion with another f', [op('invoke', 0, 'read', null), op('ok', 0, 'write', 1)], 1, /invoked "read"/],
    [
      'an unknown type',
      [op('invoke', 0, 'read', null), { ...op('ok', 0, 'read', 1), type: 'okk' } as unknown as Op],
      1,
      /unknown op type "okk"/,
    ],
  ];
  for (const [name, ops, at, message] of malformed) {
    it(`throws MalformedHistoryError with the op index for ${name}`, () => {
      let error: unknown;
      try {
        pairHistory(indexed(ops));
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(MalformedHistoryError);
      expect((error as MalformedHistoryError).opIndex).toBe(at);
      expect((error as Error).message).toMatch(message);
    });
  }
});
