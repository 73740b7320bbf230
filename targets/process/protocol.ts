/**
 * The client protocol of the process target, version 1 (docs/process-protocol.md):
 * JSON Lines between faultline and a client adapter, one op at a time.
 *
 *   faultline -> adapter (stdin):   {"f":"write","key":3,"value":2}
 *   adapter -> faultline (stdout):  {"type":"ok"}
 *
 * A request has f, and key and value when the op has them. A completion has
 * type ok | fail | info, and optionally value (for ok: what was read; absent:
 * the request's value) and error (why, any JSON). Other keys are ignored.
 * Pure: the client (./client.ts) does the I/O.
 */
import type { Json } from '../../harness/history/op.js';
import type { ClientOp, Completion } from '../../workloads/client.js';

export const PROTOCOL_VERSION = 1;

/** The longest completion line read; a longer one is malformed (a runaway adapter must not fill memory). */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/** The request line for an op (without the newline). */
export function encodeRequest(op: ClientOp): string {
  const request: { f: string; key?: Json; value?: Json } = { f: op.f };
  if (op.key !== undefined) request.key = op.key;
  if (op.value !== undefined) request.value = op.value;
  return JSON.stringify(request);
}

/** A completion line read, or why it is malformed. */
export type Decoded = { ok: true; completion: Completion } | { ok: false; reason: string };

/** Reads one completion line (without its newline). Never throws. */
export function decodeCompletion(line: string): Decoded {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch (err) {
    return { ok: false, reason: `not JSON (${(err as Error).message})` };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { ok: false, reason: 'not a JSON object' };
  }
  const fields = parsed as Record<string, unknown>;
  const { type } = fields;
  if (type !== 'ok' && type !== 'fail' && type !== 'info') {
    return { ok: false, reason: `type must be "ok", "fail" or "info", got ${JSON.stringify(type) ?? 'nothing'}` };
  }
  const completion: Completion = { type };
  if (fields.value !== undefined) completion.value = fields.value;
  if (fields.error !== undefined) completion.error = fields.error;
  return { ok: true, completion };
}

/** A line cut to a length that fits in an error message. */
export function excerpt(line: string, max = 200): string {
  return line.length <= max ? line : `${line.slice(0, max)}... (${line.length} characters)`;
}
