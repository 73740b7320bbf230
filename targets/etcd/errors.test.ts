import { describe, expect, it } from 'vitest';
import { completionForError, isDefinite } from './errors.js';
import { type EtcdErrorKind, EtcdRequestError } from './gateway.js';

const err = (kind: EtcdErrorKind, extra: { grpcCode?: number; etcdMessage?: string; code?: string } = {}) =>
  new EtcdRequestError('x', { kind, endpoint: 'http://n1:2379/v3/kv/put', ...extra });

describe('completionForError: definite vs indefinite', () => {
  it('a refused connection is definite', () => {
    expect(isDefinite(err('refused', { code: 'ECONNREFUSED' }))).toBe(true);
    expect(completionForError(err('refused', { code: 'ECONNREFUSED' }), 'write')).toEqual({
      type: 'fail',
      error: 'connect failed: ECONNREFUSED',
    });
  });

  it('a timeout, a reset connection or a bad answer is indefinite for writes', () => {
    for (const kind of ['aborted', 'network', 'protocol'] as const) {
      expect(completionForError(err(kind), 'write').type).toBe('info');
      expect(completionForError(err(kind), 'cas').type).toBe('info');
      expect(completionForError(err(kind), 'add').type).toBe('info');
    }
  });

  it('every failed read is a fail: a read changes nothing', () => {
    for (const kind of ['aborted', 'network', 'protocol', 'refused', 'http'] as const) {
      expect(completionForError(err(kind), 'read').type).toBe('fail');
    }
  });

  it("etcd's own timeouts and leader changes are indefinite", () => {
    for (const etcdMessage of [
      'etcdserver: request timed out',
      'etcdserver: request timed out, possibly due to previous leader failure',
      'etcdserver: leader changed',
    ]) {
      expect(completionForError(err('http', { grpcCode: 14, etcdMessage }), 'write')).toEqual({
        type: 'info',
        error: etcdMessage,
      });
    }
  });

  it('rejections before proposing are definite', () => {
    expect(isDefinite(err('http', { grpcCode: 3, etcdMessage: 'etcdserver: request is too large' }))).toBe(true);
    expect(isDefinite(err('http', { grpcCode: 8, etcdMessage: 'etcdserver: too many requests' }))).toBe(true);
    expect(isDefinite(err('http', { grpcCode: 2, etcdMessage: 'raft proposal dropped' }))).toBe(true);
    expect(isDefinite(err('http', { grpcCode: 14, etcdMessage: 'etcdserver: no leader' }))).toBe(true);
  });

  it('an unrecognised error is indefinite', () => {
    expect(completionForError(new Error('boom'), 'write')).toEqual({ type: 'info', error: 'boom' });
    expect(completionForError('weird', 'cas')).toEqual({ type: 'info', error: 'weird' });
    expect(isDefinite(err('http', { grpcCode: 2, etcdMessage: 'something new' }))).toBe(false);
  });
});
