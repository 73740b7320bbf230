/**
 * The process target's client against small adapters written in sh: answers
 * pass through; a crash, a malformed line or a timeout becomes `info` with
 * the reason, and the worker's next op runs on a fresh adapter.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Op } from '../../harness/history/op.js';
import { ClientWorker } from '../../harness/interpreter/client-worker.js';
import { silentLogger } from '../../harness/log.js';
import { ProcessClient } from './client.js';

const NODE = { name: 'n2', address: '10.241.0.3' };
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'lib-process-client-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A client whose adapter is `script` (sh), started in the test's folder; each start appends a line to starts.log. */
function client(script: string): ProcessClient {
  return new ProcessClient({
    command: () => `echo started >> starts.log; ${script}`,
    env: (node) => ({ FAULTLINE_NODE: node.name, FAULTLINE_ADDRESS: node.address }),
    cwd: dir,
    workload: 'register',
    log: silentLogger,
  });
}

function worker(script: string, opTimeoutMs = 5_000): ClientWorker {
  return new ClientWorker({
    thread: 0,
    makeClient: () => client(script),
    node: NODE,
    opTimeoutMs,
    reopenBackoffMs: 0,
    log: silentLogger,
    runSignal: new AbortController().signal,
  });
}

function invocation(f: string, value: Op['value'], key?: number): Op {
  return { index: 0, time: 0, type: 'invoke', process: 0, f, value, ...(key === undefined ? {} : { key }) };
}

async function starts(): Promise<number> {
  const text = await readFile(path.join(dir, 'starts.log'), 'utf8').catch(() => '');
  await rm(path.join(dir, 'starts.log'), { force: true });
  return text.split('\n').filter((l) => l !== '').length;
}

// Answers a read with 7, a write with ok, a cas with fail, anything else with info; echoes the request on stderr.
const ECHO = `while IFS= read -r line; do
  echo "got $line" >&2
  case "$line" in
    *'"read"'*) echo '{"type":"ok","value":7}' ;;
    *'"write"'*) echo '{"type":"ok"}' ;;
    *'"cas"'*) echo '{"type":"fail","error":"did not hold 1"}' ;;
    *) echo '{"type":"info","error":{"why":"unsure"}}' ;;
  esac
done`;

describe('the process target client', () => {
  it('passes the adapter’s completions through, one adapter for the ops of a worker', async () => {
    const w = worker(ECHO);
    expect(await w.run(invocation('read', null, 3))).toEqual({ type: 'ok', value: 7, node: 'n2', error: undefined });
    expect(await w.run(invocation('write', 2, 3))).toMatchObject({ type: 'ok', value: 2 });
    expect(await w.run(invocation('cas', [1, 2], 3))).toMatchObject({ type: 'fail', error: 'did not hold 1' });
    expect(await w.run(invocation('noop', null))).toMatchObject({ type: 'info', error: { why: 'unsure' } });
    await w.close();
    expect(await starts()).toBe(1);
  });

  it('gives the adapter the node it talks to, the protocol version and the workload', async () => {
    const c = client(
      `read -r line; printf '{"type":"ok","value":"%s %s %s %s"}\\n' "$FAULTLINE_NODE" "$FAULTLINE_ADDRESS" "$FAULTLINE_PROTOCOL" "$FAULTLINE_WORKLOAD"; cat >/dev/null`,
    );
    await c.open(NODE);
    const completion = await c.invoke({ process: 0, f: 'read', value: null }, new AbortController().signal);
    expect(completion).toEqual({ type: 'ok', value: 'n2 10.241.0.3 1 register' });
    await c.close();
    await starts();
  });

  it('an adapter that dies during an op: info with its exit code and stderr, then a fresh adapter', async () => {
    const w = worker(`read -r line; echo 'lost my connection' >&2; exit 3`);
    const answer = await w.run(invocation('write', 1, 0));
    expect(answer).toMatchObject({ type: 'info', value: 1 });
    expect(answer.error).toBe(
      'client adapter exited with code 3 (stderr: lost my connection) during the op (restarted)',
    );
    expect(await w.run(invocation('write', 2, 0))).toMatchObject({ type: 'info' });
    await w.close();
    expect(await starts()).toBe(2);
  });

  it('an adapter that cannot start: info naming the failure', async () => {
    const w = worker('exec /nonexistent/adapter');
    const answer = await w.run(invocation('read', null, 0));
    expect(answer.type).toBe('info');
    expect(String(answer.error)).toMatch(
      /client adapter exited with code 127 \(stderr: .*nonexistent.*\) during the op/,
    );
    await w.close();
    await starts();
  });

  it('a malformed line: info quoting it, then a fresh adapter', async () => {
    const w = worker(`while IFS= read -r line; do echo 'OK then'; done`);
    const answer = await w.run(invocation('read', null, 0));
    expect(answer.type).toBe('info');
    expect(String(answer.error)).toMatch(/^client adapter wrote a malformed line: not JSON .*: OK then \(restarted\)$/);
    expect((await w.run(invocation('read', null, 0))).type).toBe('info');
    await w.close();
    expect(await starts()).toBe(2);
  });

  it('no answer in time: the interpreter’s info, and the stuck adapter is killed with what it started', async () => {
    const w = worker(`echo $$ > stuck.pid; read -r line; sleep 60.017`, 300);
    const answer = await w.run(invocation('write', 4, 1));
    expect(answer).toMatchObject({ type: 'info', error: 'timed out after 300 ms' });
    await w.close();
    const pid = Number((await readFile(path.join(dir, 'stuck.pid'), 'utf8')).trim());
    await expect.poll(() => alive(pid), { timeout: 5_000 }).toBe(false);
    expect(await sleepers()).toEqual([]);
    await starts();
  });

  it('close: the adapter exits at the end of its input, or is killed', async () => {
    const polite = client(`${ECHO}; echo bye > polite.txt`);
    await polite.open(NODE);
    await polite.close();
    expect(await readFile(path.join(dir, 'polite.txt'), 'utf8')).toBe('bye\n');

    const deaf = client(`echo $$ > deaf.pid; while :; do sleep 0.1; done`);
    await deaf.open(NODE);
    await expect
      .poll(() => readFile(path.join(dir, 'deaf.pid'), 'utf8').catch(() => ''), { timeout: 5_000 })
      .not.toBe('');
    await deaf.close();
    const pid = Number((await readFile(path.join(dir, 'deaf.pid'), 'utf8')).trim());
    expect(alive(pid)).toBe(false);
    await starts();
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** `sleep 60.017` processes still running (the stuck adapter's child). */
async function sleepers(): Promise<string[]> {
  const { execFileSync } = await import('node:child_process');
  const out = execFileSync('sh', ['-c', "pgrep -f '^sleep 60.017$' || true"], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l !== '');
}
