/**
 * A single etcd on 127.0.0.1 for the client tests (no runtime, no root).
 * The data dir is a fresh temp dir; `stop` SIGKILLs etcd, waits for it to
 * exit and removes the dir.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EtcdGateway } from '../gateway.js';

export interface LocalEtcd {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export async function startLocalEtcd(clientPort: number, peerPort: number): Promise<LocalEtcd> {
  const dir = await mkdtemp(path.join(tmpdir(), 'faultline-etcd-'));
  const client = `http://127.0.0.1:${clientPort}`;
  const peer = `http://127.0.0.1:${peerPort}`;
  const child = spawn(
    'etcd',
    [
      '--name',
      'local',
      '--data-dir',
      path.join(dir, 'data'),
      '--listen-client-urls',
      client,
      '--advertise-client-urls',
      client,
      '--listen-peer-urls',
      peer,
      '--initial-advertise-peer-urls',
      peer,
      '--initial-cluster',
      `local=${peer}`,
      '--logger',
      'zap',
      '--log-outputs',
      'stderr',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    log = (log + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGCONT');
      child.kill('SIGKILL');
      await exited;
    }
    await rm(dir, { recursive: true, force: true });
  };
  const gateway = new EtcdGateway(client);
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await gateway.put('/faultline/ready', 'yes', AbortSignal.timeout(1000));
      gateway.close();
      return { url: client, process: child, stop };
    } catch (err) {
      if (Date.now() > deadline || child.exitCode !== null) {
        gateway.close();
        await stop();
        throw new Error(`local etcd on ${client} did not come up: ${log.slice(-1000)}`, { cause: err });
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}
