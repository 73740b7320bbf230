/**
 * The process target on real netns nodes (cluster lib-pt, 10.241.3.0/24),
 * with a stand-in system: Python's http.server, started by the target's
 * start command as each node's daemon. Setup, readiness (a TCP port and a
 * command), kill and restart, pause and resume, primaries, teardown, and a
 * start command that fails.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../harness/history/op.js';
import { silentLogger } from '../../harness/log.js';
import { createNetnsRuntime } from '../../harness/runtime/netns/index.js';
import type { NodeInfo, Runtime } from '../../harness/runtime/runtime.js';
import { missing } from '../../harness/testing/requirements.js';
import { parseTargetOptions } from '../options.js';
import type { TargetContext } from '../target.js';
import { processTarget } from './index.js';
import { DAEMON, dataDir, processState } from './node.js';
import type { ProcessOptions } from './options.js';

const needs = missing({ root: true, commands: ['ip', 'python3', 'setsid'] });
const PORT = 8180;

describe.skipIf(needs)('the process target on netns nodes', () => {
  let runtime: Runtime;
  let nodes: NodeInfo[];
  let work: string;
  const base = '/tmp/faultline-lib-pt';

  const context = (options: Record<string, Json>): TargetContext<ProcessOptions> => ({
    runtime,
    nodes,
    log: silentLogger,
    options: parseTargetOptions(processTarget, { port: PORT, client: 'cat', ...options }),
    workDir: work,
    nodeEnv: () => ({}),
  });

  const HTTP = `exec python3 -m http.server {port} --bind {address} --directory {dataDir}`;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'lib-pt-'));
    runtime = createNetnsRuntime(
      {
        name: 'lib-pt',
        nodes: 3,
        subnet: '10.241.3.0/24',
        baseDir: base,
        stateDir: `${base}-state`,
        removeNodeDirs: true,
      },
      silentLogger,
    );
    nodes = [...(await runtime.up())];
  });
  afterAll(async () => {
    await runtime?.down();
    await rm(base, { recursive: true, force: true });
    await rm(`${base}-state`, { recursive: true, force: true });
    await rm(work, { recursive: true, force: true });
  });

  it('installs, starts each node as a daemon, waits on the TCP port, and tears down keeping the log', async () => {
    const ctx = context({ install: 'echo {node} >> {dir}/install.log', start: HTTP, logFiles: ['{dataDir}/x.log'] });
    for (const n of nodes) await processTarget.install(ctx, n.name);
    expect((await readFile(path.join(work, 'install.log'), 'utf8')).split('\n').sort()).toEqual(['', 'n1', 'n2', 'n3']);
    await Promise.all(nodes.map((n) => processTarget.setup(ctx, n.name)));
    await processTarget.awaitReady(ctx, 20_000);
    for (const n of nodes) expect(await runtime.daemonRunning(n.name, DAEMON)).toBe(true);
    expect(processTarget.logFiles(ctx, 'n2')).toEqual([
      `${runtime.nodeDir('n2')}/sut.log`,
      `${runtime.nodeDir('n2')}/sut.data/x.log`,
    ]);
    await Promise.all(nodes.map((n) => processTarget.teardown(ctx, n.name)));
    for (const n of nodes) {
      expect(await runtime.daemonRunning(n.name, DAEMON)).toBe(false);
      expect(existsSync(dataDir(ctx, n.name))).toBe(false);
      expect(existsSync(`${runtime.nodeDir(n.name)}/sut.log`)).toBe(true);
    }
  });

  it('kill and start, pause and resume, through the daemon', async () => {
    const ctx = context({
      start: HTTP,
      readyCommand: 'python3 -c "import socket; socket.create_connection((\'{address}\', {port}), 1)"',
    });
    await Promise.all(nodes.map((n) => processTarget.setup(ctx, n.name)));
    await processTarget.awaitReady(ctx, 20_000);

    await processTarget.kill(ctx, 'n1');
    expect(await runtime.daemonRunning('n1', DAEMON)).toBe(false);
    await processTarget.start(ctx, 'n1');
    await processTarget.awaitReady(ctx, 20_000);

    await processTarget.pause(ctx, 'n2');
    expect(await processState(ctx, 'n2')).toBe('T');
    await processTarget.resume(ctx, 'n2');
    expect(await processState(ctx, 'n2')).not.toBe('T');
    await Promise.all(nodes.map((n) => processTarget.teardown(ctx, n.name)));
  });

  it('runs the stop command before stopping the daemon', async () => {
    const ctx = context({ start: HTTP, stop: 'echo "{node} stopping" >> {dir}/stop.log' });
    await processTarget.setup(ctx, 'n3');
    await processTarget.teardown(ctx, 'n3');
    expect(await readFile(path.join(work, 'stop.log'), 'utf8')).toBe('n3 stopping\n');
  });

  it('names the primaries the primary command prints, by name or address; none without one', async () => {
    expect(await processTarget.primaries(context({ start: HTTP }))).toEqual([]);
    expect(await processTarget.primaries(context({ start: HTTP, primary: 'echo n3' }))).toEqual(['n3']);
    const byAddress = context({
      start: HTTP,
      primary: `echo http://${nodes[1]!.address}:${PORT} ${nodes[0]!.address}`,
    });
    expect(await processTarget.primaries(byAddress)).toEqual(['n2', 'n1']);
    expect(await processTarget.primaries(context({ start: HTTP, primary: 'echo nobody' }))).toEqual([]);
    expect(await processTarget.primaries(context({ start: HTTP, primary: 'exit 1' }))).toEqual([]);
  });

  it('a start command that exits: awaitReady fails at once with the end of its log', async () => {
    const ctx = context({ start: 'echo "no such config file" >&2; exit 1' });
    await Promise.all(nodes.map((n) => processTarget.setup(ctx, n.name)));
    const started = Date.now();
    await expect(processTarget.awaitReady(ctx, 30_000)).rejects.toThrow(/n1: the system exited .*no such config file/);
    expect(Date.now() - started).toBeLessThan(25_000);
    await Promise.all(nodes.map((n) => processTarget.teardown(ctx, n.name)));
  });

  it('a node that never gets ready: awaitReady names it and the check', async () => {
    const ctx = context({ start: 'exec sleep 600', readyPort: 8181 });
    await Promise.all(nodes.map((n) => processTarget.setup(ctx, n.name)));
    await expect(processTarget.awaitReady(ctx, 1_000)).rejects.toThrow(
      /not ready after 1000 ms: n1, n2, n3 \(TCP port 8181\)/,
    );
    await Promise.all(nodes.map((n) => processTarget.teardown(ctx, n.name)));
  });
});
