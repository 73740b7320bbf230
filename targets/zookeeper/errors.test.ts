import zookeeper from 'node-zookeeper-client';
import { describe, expect, it } from 'vitest';
import { completionForError, isDefinite, NotSentError, TimedOutError, zkCode } from './errors.js';
import { syncRequestBytes } from './sync.js';

const createException = (zookeeper.Exception as unknown as { create(code: number): Error }).create;
/** An Exception as node-zookeeper-client raises it (lib/Exception.js create). */
const zk = (code: number): Error => createException(code);
const { Exception } = zookeeper;

describe('ZooKeeper errors: fail or info', () => {
  it('a failed read (or the sync before it) is always fail', () => {
    for (const err of [new TimedOutError(), zk(Exception.CONNECTION_LOSS), zk(Exception.SESSION_EXPIRED)]) {
      expect(completionForError(err, 'read').type).toBe('fail');
    }
  });

  it('a write never sent, or refused by the leader, is fail', () => {
    expect(completionForError(new NotSentError('session expired'), 'write')).toEqual({
      type: 'fail',
      error: 'session expired',
    });
    for (const code of [Exception.NO_NODE, Exception.NODE_EXISTS, Exception.BAD_VERSION, Exception.NOT_EMPTY]) {
      expect(completionForError(zk(code), 'cas').type).toBe('fail');
    }
  });

  it('a write that may have committed is info: connection loss, timeouts, expiry in flight, the unknown', () => {
    for (const code of [Exception.CONNECTION_LOSS, Exception.OPERATION_TIMEOUT, Exception.SESSION_EXPIRED]) {
      expect(isDefinite(zk(code))).toBe(false);
      expect(completionForError(zk(code), 'write').type).toBe('info');
    }
    expect(completionForError(new TimedOutError(), 'cas')).toEqual({ type: 'info', error: 'timed out' });
    expect(completionForError('odd', 'write')).toEqual({ type: 'info', error: 'odd' });
  });

  it("knows a ZooKeeper code only on the client's own exceptions", () => {
    expect(zkCode(zk(Exception.BAD_VERSION))).toBe(-103);
    expect(zkCode(Object.assign(new Error('x'), { code: -103 }))).toBeUndefined();
    expect(zkCode(null)).toBeUndefined();
  });
});

describe('the hand-written sync request', () => {
  it('is a frame of length, xid, opcode 9 and the path as a jute string', () => {
    const bytes = syncRequestBytes(7, '/a/b');
    expect(bytes.readInt32BE(0)).toBe(bytes.length - 4);
    expect([bytes.readInt32BE(4), bytes.readInt32BE(8), bytes.readInt32BE(12)]).toEqual([7, 9, 4]);
    expect(bytes.subarray(16).toString('utf8')).toBe('/a/b');
    expect(syncRequestBytes(1, '/é').readInt32BE(12)).toBe(3);
  });
});
