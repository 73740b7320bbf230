/**
 * What the targets' runtime tests (targets/<name>/runtimes.test.ts) share: a
 * docker daemon with the node image of the SQL targets, runs through runTest
 * on docker or on an sshd-in-netns cluster, and what to read back from a run.
 *
 * The PostgreSQL and Galera tests name both targets' packages in the image
 * (`SQL_TARGETS_PACKAGES`), so they share one node image: its first
 * debootstrap build took 153 s on this host (postgresql, mariadb-server,
 * galera-4 and the faults' packages), later runs reuse it.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, beforeAll, expect } from 'vitest';
import { type ConfigFlags, defaultConfig, loadConfig, mergeFlags } from '../../harness/config/load.js';
import type { FaultlineConfig } from '../../harness/config/schema.js';
import type { Json, Op } from '../../harness/history/op.js';
import { silentLogger } from '../../harness/log.js';
import type { RunResults } from '../../harness/results/results.js';
import { type RunFlags, resolveTestOptions } from '../../harness/run/options.js';
import { type RunOutcome, runTest } from '../../harness/run/run-test.js';
import { ensureImage, removeDockerCluster } from '../../harness/runtime/docker/index.js';
import { dockerLeftovers } from '../../harness/runtime/docker/leftovers.js';
import { resolveDockerOptions } from '../../harness/runtime/docker/options.js';
import { processesWith } from '../../harness/runtime/netns/leftovers.js';
import type { Runtime } from '../../harness/runtime/runtime.js';
import { type SshdCluster, startSshdCluster } from '../../harness/runtime/ssh/testing/sshd-cluster.js';
import { type DockerdHandle, startDockerd } from '../../harness/testing/dockerd.js';
import { DEFAULT_HEAL_ROOT } from '../../nemesis/heal-from-state.js';
import { faultPackages } from '../../nemesis/registry.js';
import { galeraTarget } from '../galera/index.js';
import { postgresTarget } from '../postgres/index.js';

/** The packages of both SQL targets: their docker tests share one node image. */
export const SQL_TARGETS_PACKAGES: readonly string[] = [...postgresTarget.packages, ...galeraTarget.packages];

export interface DockerForTests {
  docker: Docker;
  /** Removes the clusters' containers and networks (if a failed run left them) and releases dockerd. */
  release(clusters: readonly string[]): Promise<void>;
}

/** Takes a hold on dockerd and makes sure the SQL targets' node image exists (a build the first time). */
export async function dockerWithSqlImage(): Promise<DockerForTests> {
  const dockerd: DockerdHandle = await startDockerd();
  const docker = new Docker({ socketPath: dockerd.socketPath });
  const image = resolveDockerOptions({}).image;
  await ensureImage(docker, { ...image, extraPackages: [...SQL_TARGETS_PACKAGES, ...faultPackages()] }, silentLogger);
  return {
    docker,
    async release(clusters) {
      for (const c of clusters) await removeDockerCluster(docker, c).catch(() => undefined);
      await dockerd.stop();
    },
  };
}

/** A docker run's config from flags (3 nodes), its node image the SQL targets' one. */
export function dockerConfig(flags: ConfigFlags): FaultlineConfig {
  const config = mergeFlags(defaultConfig(), { runtime: 'docker', nodes: 3, ...flags });
  config.runtime.docker = { ...config.runtime.docker, image: { extraPackages: [...SQL_TARGETS_PACKAGES] } };
  return config;
}

/** An ssh run's config over the sshd cluster's nodes (written as a config file, as a user would), with flags. */
export async function sshConfig(sshd: SshdCluster, name: string, flags: ConfigFlags): Promise<FaultlineConfig> {
  const file = path.join(sshd.dir, `${name}.config.yaml`);
  const addresses = sshd.cluster.nodes().map((n) => n.address);
  await writeFile(
    file,
    [
      'runtime:',
      '  kind: ssh',
      '  ssh:',
      '    user: root',
      `    privateKeyFile: ${sshd.clientKeyFile}`,
      `    baseDir: ${sshd.sshBaseDir}`,
      `    nodes: [${addresses.join(', ')}]`,
      'test:',
      `  name: ${name}`,
      '',
    ].join('\n'),
  );
  return mergeFlags(await loadConfig(file, sshd.dir), flags);
}

/** runTest with the CLI's flags resolved (short recovery and op timeout: the tests are short). */
export function run(config: FaultlineConfig, flags: RunFlags = {}): Promise<RunOutcome> {
  return runTest(
    config,
    resolveTestOptions(config, { recoverySeconds: 3, opTimeoutMs: 2_000, ...flags }),
    silentLogger,
  );
}

export async function readHistory(runDir: string): Promise<Op[]> {
  const text = await readFile(path.join(runDir, 'history.jsonl'), 'utf8');
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Op);
}

/** The nemesis's completions (the info op after each invocation) of the given f's, e.g. kill, start-partition. */
export function faultCompletions(history: Op[], fs: readonly string[]): Op[] {
  const open = new Set<string>();
  const done: Op[] = [];
  for (const op of history) {
    if (op.process !== 'nemesis') continue;
    if (!open.has(op.f)) open.add(op.f);
    else {
      open.delete(op.f);
      if (fs.includes(op.f)) done.push(op);
    }
  }
  return done;
}

/** Expects the stored verdict to be valid; otherwise fails with the checker's result and the log's tail. */
export async function expectValidRun(outcome: RunOutcome): Promise<RunResults> {
  const results = JSON.parse(await readFile(path.join(outcome.runDir, 'results.json'), 'utf8')) as RunResults;
  if (results.valid !== true) {
    const log = await readFile(path.join(outcome.runDir, 'faultline.log'), 'utf8').catch(() => '');
    expect.fail(
      `run ${outcome.runDir} is ${String(results.valid)}\nchecker: ${JSON.stringify(results.checker).slice(0, 2_000)}\n` +
        `log:\n${log.split('\n').slice(-40).join('\n')}`,
    );
  }
  return results;
}

/** True when a TCP connection from node `from` to `address:port` opens within 2 s (bash's /dev/tcp, inside the node). */
export async function connects(runtime: Runtime, from: string, address: string, port: number): Promise<boolean> {
  const r = await runtime.exec(from, ['timeout', '2', 'bash', '-c', `exec 3<>/dev/tcp/${address}/${port}`], {
    check: false,
  });
  return r.exitCode === 0;
}

/** The runtime a run's test.json records (netns, docker, ssh). */
export async function recordedRuntime(runDir: string): Promise<string> {
  return (JSON.parse(await readFile(path.join(runDir, 'test.json'), 'utf8')) as { runtime: string }).runtime;
}

/** A SQL target's run: which target, its options, and where its cluster and results go. */
export interface SqlRun {
  target: 'postgres' | 'galera';
  targetOptions?: Record<string, Json>;
  /** The models the verdict must be valid at (the checker's consistencyModels). */
  models: string[];
  resultsDir: string;
}

/**
 * `faultline test` of list-append on 3 docker nodes for 15 s under partitions
 * and kills (every 2 s, so both come whatever the timing): expects a valid
 * verdict at `models`, both faults in the history, and no container, network
 * or heal state left. Returns the results.
 */
export async function expectValidDockerRun(
  docker: Docker,
  o: SqlRun & { cluster: string; subnet: string },
): Promise<RunResults> {
  const config = dockerConfig({
    cluster: o.cluster,
    subnet: o.subnet,
    target: o.target,
    workload: 'list-append',
    nemesis: 'partition,kill',
    nemesisInterval: 2,
    concurrency: 5,
    timeLimit: 15,
    seed: 7,
    resultsDir: o.resultsDir,
  });
  if (o.targetOptions) config.test.targetOptions = o.targetOptions;
  const outcome = await run(config);
  const results = await expectValidRun(outcome);
  expect(await recordedRuntime(outcome.runDir)).toBe('docker');
  expect(results.checker).toMatchObject({ consistencyModels: o.models });
  expect(results.stats.counts.txn?.ok).toBeGreaterThan(50);
  const history = await readHistory(outcome.runDir);
  expect(faultCompletions(history, ['kill']).length).toBeGreaterThan(0);
  expect(faultCompletions(history, ['start-partition']).length).toBeGreaterThan(0);
  expect(await dockerLeftovers(docker, o.cluster)).toEqual([]);
  expect(existsSync(path.join(DEFAULT_HEAL_ROOT, o.cluster))).toBe(false);
  return results;
}

/**
 * `faultline test` of list-append over the sshd cluster's 3 nodes for 10 s
 * under kills (the test's name is `<sshd name>-ssh`): expects a valid verdict
 * at `models`, kills in the history, no process of the run left on the nodes
 * (`leftoverMarkers`: texts of their command lines besides the node
 * directories) and no heal state.
 */
export async function expectValidSshRun(
  sshd: SshdCluster,
  o: SqlRun & { name: string; leftoverMarkers?: string[] },
): Promise<RunResults> {
  const config = await sshConfig(sshd, `${o.name}-ssh`, {
    target: o.target,
    workload: 'list-append',
    nemesis: 'kill',
    nemesisInterval: 3,
    concurrency: 4,
    timeLimit: 10,
    seed: 8,
    resultsDir: o.resultsDir,
  });
  if (o.targetOptions) config.test.targetOptions = o.targetOptions;
  const outcome = await run(config);
  const results = await expectValidRun(outcome);
  expect(await recordedRuntime(outcome.runDir)).toBe('ssh');
  expect(results.checker).toMatchObject({ consistencyModels: o.models });
  expect(faultCompletions(await readHistory(outcome.runDir), ['kill']).length).toBeGreaterThan(0);
  const left = [];
  for (const marker of [sshd.sshBaseDir, ...(o.leftoverMarkers ?? [])]) left.push(...(await processesWith(marker)));
  expect(left).toEqual([]);
  expect(existsSync(path.join(DEFAULT_HEAL_ROOT, `ssh-${o.name}-ssh`))).toBe(false);
  return results;
}

/**
 * In a describe block: an sshd cluster (3 nodes) and a results folder for
 * its runs, made before its tests and removed after (with the run's heal state).
 */
export function useSshdCluster(name: string, subnet: string): () => { sshd: SshdCluster; resultsDir: string } {
  let sshd: SshdCluster | undefined;
  let resultsDir = '';
  beforeAll(async () => {
    resultsDir = await mkdtemp(path.join(os.tmpdir(), `faultline-${name}-`));
    sshd = await startSshdCluster({ name, subnet, nodes: 3 });
  });
  afterAll(async () => {
    await sshd?.stop();
    await rm(resultsDir, { recursive: true, force: true });
    await rm(path.join(DEFAULT_HEAL_ROOT, `ssh-${name}-ssh`), { recursive: true, force: true });
  });
  return () => ({ sshd: sshd!, resultsDir });
}

/**
 * In a describe block: dockerd with the SQL targets' image (built the first
 * time, ~150 s) and a results folder, before its tests; after them the
 * `clusters`' leftovers and heal state are removed and dockerd released.
 */
export function useDockerWithSqlImage(clusters: readonly string[]): () => { docker: Docker; resultsDir: string } {
  let held: DockerForTests | undefined;
  let resultsDir = '';
  beforeAll(async () => {
    resultsDir = await mkdtemp(path.join(os.tmpdir(), 'faultline-sqld-'));
    held = await dockerWithSqlImage();
  }, 600_000);
  afterAll(async () => {
    for (const c of clusters) await rm(path.join(DEFAULT_HEAL_ROOT, c), { recursive: true, force: true });
    await held?.release(clusters);
    await rm(resultsDir, { recursive: true, force: true });
  });
  return () => ({ docker: held!.docker, resultsDir });
}
