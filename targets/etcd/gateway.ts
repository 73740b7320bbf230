/**
 * A small client for etcd's v3 gRPC JSON gateway (etcd 3.4 serves it at
 * /v3/...): HTTP POST with JSON bodies, keys and values base64-encoded,
 * 64-bit integers as strings, over node:http with a kept-alive connection
 * per gateway.
 *
 * Every failure is thrown as an EtcdRequestError that records whether the
 * request may have reached the server; errors.ts turns that into fail/info.
 */
import http from 'node:http';

/** A key-value pair as the gateway returns it (already decoded from base64). */
export interface KeyValue {
  key: string;
  value: string;
  modRevision: number;
}

export interface RangeOptions {
  /** Read every key with this prefix instead of one key. */
  prefix?: boolean;
  /** Served by any member from its local state, without quorum (may be stale). */
  serializable?: boolean;
  /** Return keys only (values empty). */
  keysOnly?: boolean;
}

/**
 * How a request to etcd went wrong.
 *
 * - `refused`: the connection was never made (refused, unreachable, or our
 *   signal fired while still connecting): the request was certainly not sent.
 * - `aborted`: the caller's signal fired; the request may have been sent.
 * - `network`: the connection broke after it was made (reset, closed): may have been sent.
 * - `http`: etcd answered with an error; `grpcCode` and `etcdMessage` say which.
 * - `protocol`: the answer was not what the gateway should send (bad JSON, ...).
 */
export type EtcdErrorKind = 'refused' | 'aborted' | 'network' | 'http' | 'protocol';

export class EtcdRequestError extends Error {
  readonly kind: EtcdErrorKind;
  readonly endpoint: string;
  readonly status: number | undefined;
  /** gRPC status code in etcd's error body (3 InvalidArgument, 14 Unavailable, ...). */
  readonly grpcCode: number | undefined;
  /** etcd's message, e.g. "etcdserver: request timed out". */
  readonly etcdMessage: string | undefined;
  /** The system error code of the network failure (ECONNREFUSED, ...), when there is one. */
  readonly code: string | undefined;
  constructor(
    message: string,
    details: {
      kind: EtcdErrorKind;
      endpoint: string;
      status?: number;
      grpcCode?: number;
      etcdMessage?: string;
      code?: string;
      cause?: unknown;
    },
  ) {
    super(message, { cause: details.cause });
    this.name = 'EtcdRequestError';
    this.kind = details.kind;
    this.endpoint = details.endpoint;
    this.status = details.status;
    this.grpcCode = details.grpcCode;
    this.etcdMessage = details.etcdMessage;
    this.code = details.code;
  }
}

/**
 * Keeps a client's connection open between requests. One agent per gateway,
 * so every client (a Jepsen process) has its own connection.
 */
function keepAliveAgent(): http.Agent {
  return new http.Agent({ keepAlive: true, maxSockets: 4 });
}

export class EtcdGateway {
  /** e.g. "http://10.231.3.2:2379" */
  readonly baseUrl: string;
  private readonly url: URL;
  private readonly agent = keepAliveAgent();

  constructor(baseUrl: string) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.url = new URL(this.baseUrl);
  }

  /** Closes the kept-alive connections. The gateway can still be used afterwards (it reconnects). */
  close(): void {
    this.agent.destroy();
  }

  /**
   * POSTs `body` to `/v3/<path>` and returns the parsed JSON answer.
   * Throws EtcdRequestError (see EtcdErrorKind) for every failure.
   */
  async call(path: string, body: unknown, signal?: AbortSignal): Promise<Record<string, unknown>> {
    const endpoint = `${this.baseUrl}/v3/${path}`;
    const { status, text } = await this.post(endpoint, `/v3/${path}`, JSON.stringify(body), signal);
    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch (err) {
      throw new EtcdRequestError(`${endpoint}: HTTP ${status} with a body that is not JSON: ${text.slice(0, 200)}`, {
        kind: status < 300 ? 'protocol' : 'http',
        endpoint,
        status,
        cause: err,
      });
    }
    if (!isObject(parsed)) {
      throw new EtcdRequestError(`${endpoint}: expected a JSON object, got ${text.slice(0, 200)}`, {
        kind: 'protocol',
        endpoint,
        status,
      });
    }
    // The gateway reports gRPC errors as {"error": ..., "message": ..., "code": N}, usually with HTTP 4xx/5xx.
    if (status >= 300 || typeof parsed.error === 'string') {
      const etcdMessage =
        typeof parsed.message === 'string'
          ? parsed.message
          : typeof parsed.error === 'string'
            ? parsed.error
            : undefined;
      const grpcCode = typeof parsed.code === 'number' ? parsed.code : undefined;
      throw new EtcdRequestError(`${endpoint}: HTTP ${status}: ${etcdMessage ?? text.slice(0, 200)}`, {
        kind: 'http',
        endpoint,
        status,
        ...(grpcCode === undefined ? {} : { grpcCode }),
        ...(etcdMessage === undefined ? {} : { etcdMessage }),
      });
    }
    return parsed;
  }

  /**
   * One HTTP POST. Tracks whether the connection was ever established: the
   * request bytes are written only after that, so a failure (or our abort)
   * before it means the request was certainly not sent.
   */
  private post(
    endpoint: string,
    path: string,
    payload: string,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      let connected = false;
      const fail = (err: unknown) => reject(transportError(err, endpoint, connected, signal));
      const req = http.request(
        {
          host: this.url.hostname.replace(/^\[|\]$/g, ''),
          port: this.url.port || 80,
          path,
          method: 'POST',
          agent: this.agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          ...(signal ? { signal } : {}),
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', fail);
          res.on('aborted', () => fail(new Error('response aborted')));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        },
      );
      req.on('socket', (socket) => {
        if (socket.connecting) socket.once('connect', () => (connected = true));
        else connected = true; // a kept-alive connection
      });
      req.on('error', fail);
      req.end(payload);
    });
  }

  /** Reads one key (or a prefix). Returns the pairs found, empty when none. */
  async range(key: string, options: RangeOptions = {}, signal?: AbortSignal): Promise<KeyValue[]> {
    const body: Record<string, unknown> = { key: b64(key) };
    if (options.prefix) body.range_end = prefixEnd(key).toString('base64');
    if (options.serializable) body.serializable = true;
    if (options.keysOnly) body.keys_only = true;
    const answer = await this.call('kv/range', body, signal);
    return decodeKvs(answer.kvs, this.baseUrl);
  }

  /** Writes a key. Returns the revision of the write. */
  async put(key: string, value: string, signal?: AbortSignal): Promise<number> {
    const answer = await this.call('kv/put', { key: b64(key), value: b64(value) }, signal);
    return revisionOf(answer);
  }

  /** Deletes a key. Returns the revision of the delete. */
  async remove(key: string, signal?: AbortSignal): Promise<number> {
    const answer = await this.call('kv/deleterange', { key: b64(key) }, signal);
    return revisionOf(answer);
  }

  /**
   * In one transaction: if `key` currently holds `expected` (with expected
   * null: if it does not exist), sets it to `next` (with next null: deletes
   * it). Returns true when it did, false when the comparison failed.
   */
  async compareAndSet(
    key: string,
    expected: string | null,
    next: string | null,
    signal?: AbortSignal,
  ): Promise<boolean> {
    const compare =
      expected === null
        ? { key: b64(key), target: 'CREATE', result: 'EQUAL', create_revision: '0' }
        : { key: b64(key), target: 'VALUE', result: 'EQUAL', value: b64(expected) };
    const action =
      next === null
        ? { request_delete_range: { key: b64(key) } }
        : { request_put: { key: b64(key), value: b64(next) } };
    const answer = await this.call('kv/txn', { compare: [compare], success: [action] }, signal);
    // proto3 JSON leaves out false booleans.
    return answer.succeeded === true;
  }

  /** The member's status (its id, the leader's id, raft term). */
  async status(signal?: AbortSignal): Promise<{ memberId: string; leaderId: string; raftTerm: number }> {
    const answer = await this.call('maintenance/status', {}, signal);
    const header = isObject(answer.header) ? answer.header : {};
    return {
      memberId: String(header.member_id ?? ''),
      leaderId: String(answer.leader ?? ''),
      raftTerm: Number(answer.raftTerm ?? 0),
    };
  }

  /** The cluster's members: id, name (empty for one added but not started yet), peer and client URLs. */
  async members(signal?: AbortSignal): Promise<Member[]> {
    return decodeMembers((await this.call('cluster/member/list', {}, signal)).members);
  }

  /** Adds a member with this peer URL (it joins once it starts). Resolves with the members after the change. */
  async addMember(peerUrl: string, signal?: AbortSignal): Promise<Member[]> {
    return decodeMembers((await this.call('cluster/member/add', { peerURLs: [peerUrl] }, signal)).members);
  }

  /** Removes the member with this id. Resolves with the members after the change. */
  async removeMember(id: string, signal?: AbortSignal): Promise<Member[]> {
    return decodeMembers((await this.call('cluster/member/remove', { ID: id }, signal)).members);
  }
}

export interface Member {
  id: string;
  name: string;
  peerUrls: string[];
  clientUrls: string[];
}

function decodeMembers(members: unknown): Member[] {
  return (Array.isArray(members) ? members : []).filter(isObject).map((m) => ({
    id: String(m.ID ?? ''),
    name: String(m.name ?? ''),
    peerUrls: Array.isArray(m.peerURLs) ? m.peerURLs.map(String) : [],
    clientUrls: Array.isArray(m.clientURLs) ? m.clientURLs.map(String) : [],
  }));
}

/** Network error codes that, raised before the connection was made, mean nothing was sent. */
function transportError(
  err: unknown,
  endpoint: string,
  connected: boolean,
  signal: AbortSignal | undefined,
): EtcdRequestError {
  const aborted = signal?.aborted === true || (err instanceof Error && err.name === 'AbortError');
  const code = systemCode(err);
  if (!connected) {
    const why = aborted ? 'timed out while connecting' : (code ?? (err instanceof Error ? err.message : String(err)));
    return new EtcdRequestError(`${endpoint}: ${why}`, {
      kind: 'refused',
      endpoint,
      ...(code === undefined ? {} : { code }),
      cause: err,
    });
  }
  if (aborted)
    return new EtcdRequestError(`${endpoint}: aborted (timed out)`, { kind: 'aborted', endpoint, cause: err });
  const why = code ?? (err instanceof Error ? err.message : String(err));
  return new EtcdRequestError(`${endpoint}: ${why}`, {
    kind: 'network',
    endpoint,
    ...(code === undefined ? {} : { code }),
    cause: err,
  });
}

/** The system error code (ECONNREFUSED, ECONNRESET, ...) of an error or its causes. */
function systemCode(err: unknown): string | undefined {
  let current: unknown = err;
  for (let depth = 0; depth < 4 && current instanceof Error; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code !== 'ABORT_ERR') return code;
    current = current.cause;
  }
  return undefined;
}

function decodeKvs(kvs: unknown, where: string): KeyValue[] {
  if (kvs === undefined) return [];
  if (!Array.isArray(kvs))
    throw new EtcdRequestError(`${where}: kvs is not an array`, { kind: 'protocol', endpoint: where });
  return kvs.filter(isObject).map((kv) => ({
    key: unb64(kv.key),
    value: unb64(kv.value),
    modRevision: Number(kv.mod_revision ?? 0),
  }));
}

function revisionOf(answer: Record<string, unknown>): number {
  const header = isObject(answer.header) ? answer.header : {};
  return Number(header.revision ?? 0);
}

export function b64(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64');
}

function unb64(value: unknown): string {
  return typeof value === 'string' ? Buffer.from(value, 'base64').toString('utf8') : '';
}

/** The range end that selects every key starting with `prefix` (etcd's prefix convention). */
export function prefixEnd(prefix: string): Buffer {
  const bytes = Buffer.from(prefix, 'utf8');
  for (let i = bytes.length - 1; i >= 0; i--) {
    if (bytes[i]! < 0xff) {
      const end = Buffer.from(bytes.subarray(0, i + 1));
      end[i] = end[i]! + 1;
      return end;
    }
  }
  return Buffer.from([0]); // every key
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
