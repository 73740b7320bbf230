/**
 * The one place that decides whether a failed etcd request certainly did not
 * happen (`fail`) or may have happened (`info`).
 *
 * - A read changes nothing, so a read that failed in any way is `fail`: even
 *   if etcd served it, leaving it out of the history loses no constraint.
 * - A write (write, cas, add) is `fail` only when etcd certainly never
 *   applied it:
 *   - the connection could not be made (refused, unreachable): nothing was sent;
 *   - etcd rejected it before proposing it to raft: a malformed request
 *     (gRPC InvalidArgument, e.g. request too large), "too many requests"
 *     (ResourceExhausted: the apply index lags), permission / auth errors
 *     (PermissionDenied, Unauthenticated), FailedPrecondition, OutOfRange
 *     (e.g. a future revision), Unimplemented, "no leader" (checked before
 *     proposing), "unhealthy cluster" (refused by a health check before
 *     proposing), or "raft proposal dropped" (raft refused to append it,
 *     e.g. a follower with no leader).
 * - Everything else is `info`: our timeout (the signal fired), a connection
 *   reset after sending, etcd's own "request timed out" (the proposal may
 *   still commit), "leader changed", an unparseable answer, or an error we do
 *   not recognise.
 *
 * A cas whose comparison failed is not an error: the clients return `fail`
 * for it themselves (etcd answered "not succeeded", so certainly not applied).
 */
import type { Completion } from '../../workloads/client.js';
import { EtcdRequestError } from './gateway.js';

/** gRPC codes etcd returns only for requests it rejected without proposing them. */
const DEFINITE_GRPC_CODES = new Set([
  3, // InvalidArgument: malformed, too large, ...
  7, // PermissionDenied
  8, // ResourceExhausted: "etcdserver: too many requests"
  9, // FailedPrecondition
  11, // OutOfRange: e.g. a future revision
  12, // Unimplemented
  16, // Unauthenticated
]);

/** etcd messages that mean the request never entered the raft log. */
const DEFINITE_MESSAGES = [
  'raft proposal dropped',
  'etcdserver: no leader',
  'etcdserver: too many requests',
  'etcdserver: unhealthy cluster',
];

/** The f names whose operations change nothing. */
const READ_ONLY = new Set(['read']);

/**
 * Turns an error thrown while performing `f` into a completion.
 * Returns `fail` (with the reason as `error`) when the op certainly did not
 * happen, `info` when it may have; never throws.
 */
export function completionForError(err: unknown, f: string): Completion {
  const error = describe(err);
  if (READ_ONLY.has(f)) return { type: 'fail', error };
  return { type: isDefinite(err) ? 'fail' : 'info', error };
}

/** True when the failed request certainly was not applied by etcd (see the module comment). */
export function isDefinite(err: unknown): boolean {
  if (!(err instanceof EtcdRequestError)) return false;
  switch (err.kind) {
    case 'refused':
      return true;
    case 'http': {
      if (err.grpcCode !== undefined && DEFINITE_GRPC_CODES.has(err.grpcCode)) return true;
      const message = err.etcdMessage ?? '';
      return DEFINITE_MESSAGES.some((m) => message.includes(m));
    }
    case 'aborted':
    case 'network':
    case 'protocol':
      return false;
  }
}

/** A short reason for the history's `error` field. */
function describe(err: unknown): string {
  if (err instanceof EtcdRequestError) {
    switch (err.kind) {
      case 'refused':
        return `connect failed: ${err.code ?? err.message}`;
      case 'aborted':
        return 'timed out';
      case 'network':
        return `connection broken: ${err.code ?? err.message}`;
      case 'http':
        return err.etcdMessage ?? `HTTP ${err.status ?? '?'}`;
      case 'protocol':
        return `bad answer: ${err.message}`;
    }
  }
  return err instanceof Error ? err.message : String(err);
}
