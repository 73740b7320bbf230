/**
 * The lifecycle of `faultline test`: stand up the cluster, run the workload
 * under faults, record the history, heal, check, store the results.
 *
 *   up nodes -> nemesis setup -> install + start the SUT -> interpreter
 *   (main phase, heal, recovery, final reads) -> heal -> stop the SUT
 *   -> collect its logs -> tear down -> check -> results.json + report.html
 *
 * Every step that changes the cluster pushes its undo onto a CleanupStack,
 * which runs on normal exit, on error and after Ctrl-C / SIGTERM (the first
 * signal stops the workload, or the setup; healing and teardown then run as usual).
 *
 * With `leaveDbRunning` (Jepsen's --leave-db-running) the SUT is not stopped
 * and the nodes are not torn down, on success or failure, so that a person
 * can look at them; faults are still healed (killed members restarted,
 * paused ones resumed, partitions lifted) and the SUT's logs still copied.
 * The runtime's own record of the cluster stays, so `faultline clean` (or
 * the next run of the same cluster name) removes the nodes later.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { safeCheck } from '../../checkers/checker.js';
import { HealState } from '../../nemesis/heal-state.js';
import {
  faultPackages,
  healStateDir,
  historyFaultWindows,
  nemesisPackage,
  noopPackage,
  parseNemesisNames,
} from '../../nemesis/index.js';
import type { NemesisContext, NemesisPackage } from '../../nemesis/nemesis.js';
import { checkOptionsForNodeCount, parseTargetOptions } from '../../targets/options.js';
import {
  type AnyTarget,
  hasReadConsistency,
  hasTransactionalModels,
  type Target,
  type TargetContext,
  type TargetOptions,
  targetWorkloads,
} from '../../targets/target.js';
import type { Workload, WorkloadOptions } from '../../workloads/workload.js';
import { createCheckPool } from '../check-pool/pool.js';
import type { FaultlineConfig } from '../config/schema.js';
import { InterruptedError, UserError } from '../errors.js';
import type { Generator } from '../generator/generator.js';
import { seededRng } from '../generator/rng.js';
import type { History, Json } from '../history/op.js';
import { openHistoryWriter } from '../history/writer.js';
import { runInterpreter, testGenerator } from '../interpreter/index.js';
import type { Logger } from '../log.js';
import { resolveTarget, resolveWorkload } from '../plugins/index.js';
import { writeRunReport } from '../report/write.js';
import type { RunOutcome, RunResults, TestRecord } from '../results/results.js';
import { createRunDir, RUN_FILES, writeResults, writeTestRecord } from '../results/store.js';
import { createRuntime } from '../runtime/create.js';
import type { Runtime } from '../runtime/runtime.js';
import { CleanupStack } from './cleanup.js';
import { teeLogger } from './file-logger.js';
import { plannedNodeCount, type TestOptions } from './options.js';
import { countCompletions } from './stats.js';
import { statusLine } from './status.js';

export type { RunOutcome } from '../results/results.js';

/** How a run is carried out, beyond the test itself (not part of test.json: a repro decides afresh). */
export interface RunControls {
  /** Leave the SUT running and the nodes up at the end (see the module comment). Default false. */
  leaveDbRunning?: boolean;
  /**
   * Called once the run folder exists, before any node: where the run is
   * stored and which cluster it uses (for a run that then fails, the folder
   * holds its log; with leaveDbRunning, the cluster is what to clean up).
   */
  onStart?: (started: { runDir: string; runtime: string; cluster: string }) => void;
}

/** Everything a run needs, resolved and validated before anything is created. */
export interface Plan {
  target: AnyTarget;
  /** The target's options, parsed by its schema (defaults filled in). */
  targetOptions: TargetOptions;
  workload: Workload;
  workloadOptions: WorkloadOptions;
  nemesisNames: string[];
}

/** The workload's generators, built up front so that bad workload options fail before any node exists. */
interface WorkloadGenerators {
  client: Generator;
  final: Generator | undefined;
}

function workloadGenerators(p: Plan): WorkloadGenerators {
  return { client: p.workload.generator(p.workloadOptions), final: p.workload.finalGenerator(p.workloadOptions) };
}

/** Target and workload given as values (the library's runTest), instead of by name. */
export interface GivenParts {
  target?: AnyTarget | undefined;
  workload?: Workload | undefined;
}

/**
 * Resolves and validates everything a run needs, touching no node: the target
 * and workload (built-ins by name, or plugins: harness/plugins), the
 * target's options (against `nodeCount`, the nodes the run will bring up,
 * when given), the faults. Throws UserError for anything wrong.
 */
export async function planRun(options: TestOptions, given: GivenParts = {}, nodeCount?: number): Promise<Plan> {
  const target = given.target ?? (await resolveTarget(options.target, options.baseDir));
  const workload = given.workload ?? (await resolveWorkload(options.workload, options.baseDir));
  if (!Object.hasOwn(target.clients, workload.name)) {
    throw new UserError(
      `target ${target.name} has no client for workload ${workload.name} (it has: ${targetWorkloads(target).join(', ')})`,
      { where: '--workload' },
    );
  }
  const targetOptions = parseTargetOptions(target, options.targetOptions, options.targetFlags);
  if (nodeCount !== undefined) checkOptionsForNodeCount(target, targetOptions, nodeCount, options.targetFlags);
  return {
    target,
    targetOptions,
    workload,
    // The run's own settings win over anything of the same name in test.workloadOptions.
    workloadOptions: {
      ...options.workloadOptions,
      concurrency: options.concurrency,
      rate: options.rate,
      linearizableReads: hasReadConsistency(target) && target.linearizableReads(targetOptions),
      consistencyModels: consistencyModelsFor(target, targetOptions, options.workloadOptions),
    },
    nemesisNames: parseNemesisNames(options.nemesis),
  };
}

/**
 * The one place that decides which models a transactional run is checked
 * against: the user's (--consistency-models or test.workloadOptions.consistencyModels)
 * when given, else what the target promises under its options (e.g. PostgreSQL's
 * isolation level), else undefined (the workload's default). Throws
 * UserError for a value that is not a list of names.
 */
export function consistencyModelsFor(
  target: AnyTarget,
  targetOptions: TargetOptions,
  workloadOptions: Record<string, Json>,
): readonly string[] | undefined {
  const given = workloadOptions.consistencyModels;
  if (given !== undefined) {
    if (!Array.isArray(given) || !given.every((m) => typeof m === 'string')) {
      throw new UserError('expected a list of consistency model names', {
        where: 'test.workloadOptions.consistencyModels',
      });
    }
    return given; // the names are judged by the workload's checker (made up front: validateRun, runTest)
  }
  return hasTransactionalModels(target) ? target.consistencyModels(targetOptions) : undefined;
}

/** The nemesis package for a plan (building it touches no node). */
export function buildNemesis(p: Plan, options: TestOptions, nodeCount: number): NemesisPackage {
  if (p.nemesisNames.length === 0) return noopPackage;
  return nemesisPackage(
    p.nemesisNames,
    { intervalSeconds: options.nemesisIntervalSeconds, ...options.nemesisOptions },
    { target: p.target, targetOptions: p.targetOptions, nodeCount },
  );
}

/**
 * Checks what runTest checks before it creates anything (target, workload,
 * their options, the faults and theirs), so that a series or suite can
 * refuse bad options before its first run. Throws the UserError runTest would.
 */
export async function validateRun(
  config: FaultlineConfig,
  options: TestOptions,
  given: GivenParts = {},
): Promise<void> {
  const p = await planRun(options, given, plannedNodeCount(config));
  buildNemesis(p, options, plannedNodeCount(config));
  workloadGenerators(p);
  p.workload.checker(p.workloadOptions); // making the checker judges its options (e.g. consistency models)
}

export async function runTest(
  config: FaultlineConfig,
  options: TestOptions,
  log: Logger,
  given: GivenParts = {},
  controls: RunControls = {},
): Promise<RunOutcome> {
  const leaveRunning = controls.leaveDbRunning ?? false;
  const nodeCount = plannedNodeCount(config);
  const p = await planRun(options, given, nodeCount);
  const pkg = buildNemesis(p, options, nodeCount);
  const generators = workloadGenerators(p);
  p.workload.checker(p.workloadOptions); // its options judged before any node exists (it is made again to check)
  const runtime = await createRuntime(config.runtime, log);

  const record: TestRecord = {
    name: options.name,
    target: p.target.name,
    workload: p.workload.name,
    nemesis: p.nemesisNames,
    runtime: runtime.kind,
    nodes: [],
    concurrency: options.concurrency,
    timeLimitSeconds: options.timeLimitSeconds,
    seed: options.seed,
    startedAt: new Date().toISOString(),
    // Secrets (an ssh key's passphrase) are Secret values: they are written as "(redacted)".
    options: JSON.parse(JSON.stringify({ ...options, runtime: config.runtime })) as Record<string, Json>,
  };
  const runDir = await createRunDir(options.resultsDir, record);
  const runLog = teeLogger(join(runDir, RUN_FILES.log), log);
  runLog.info(`run folder ${runDir}; seed ${options.seed}`);
  controls.onStart?.({ runDir, runtime: runtime.kind, cluster: runtime.cluster });

  const abort = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (abort.signal.aborted) {
      runLog.warn(`${signal} again: still healing and tearing down, please wait`);
      return;
    }
    runLog.warn(`${signal}: stopping the workload; faults will be healed${leaveRunning ? '' : ' and nodes torn down'}`);
    abort.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const cleanup = new CleanupStack(runLog);
  const rng = seededRng(options.seed);
  const status = statusLine({ timeLimitSeconds: options.timeLimitSeconds, windows: pkg.windows });
  let history: History = [];
  let failed = false;
  try {
    // Every fault's tools, not only this run's: the docker node image stays one image per target.
    const nodes = await runtime.up({ packages: [...p.target.packages, ...faultPackages()] });
    if (leaveRunning) {
      cleanup.push('leave the nodes up (--leave-db-running)', async () =>
        runLog.info(`cluster ${runtime.cluster} (${runtime.kind}) is left up; faults were healed`),
      );
    } else cleanup.push('tear down the nodes', () => runtime.down());
    record.nodes = nodes.map((n) => n.name);
    await writeTestRecord(runDir, record);
    runLog.info(`nodes up (${runtime.kind}): ${nodes.map((n) => `${n.name} ${n.address}`).join(', ')}`);

    const targetCtx: TargetContext = {
      runtime,
      nodes,
      log: runLog,
      options: p.targetOptions,
      workDir: options.baseDir ?? process.cwd(),
      // e.g. the clock fault's libfaketime variables, for the SUT's processes
      nodeEnv: (node) => pkg.nemesis.nodeEnv?.(runtime, node) ?? {},
      workloadOptions: p.workloadOptions,
    };
    const nemesisCtx: NemesisContext = {
      runtime,
      target: p.target,
      targetCtx,
      log: runLog,
      stateDir: healStateDir(runtime.cluster),
      rng,
    };
    // Before the SUT starts: e.g. the clock nemesis writes the offset files the SUT's libfaketime reads.
    await pkg.nemesis.setup(nemesisCtx);
    throwIfAborted(abort.signal, leaveRunning);

    await Promise.all(nodes.map((n) => p.target.install(targetCtx, n.name)));
    throwIfAborted(abort.signal, leaveRunning);
    const stopStep = leaveRunning
      ? `collect the logs of ${p.target.name} (left running)`
      : `stop ${p.target.name} and collect its logs`;
    cleanup.push(stopStep, async () => {
      // Stopped first, so the logs end with the shutdown (teardown keeps the log files);
      // the logs are collected even when stopping failed on some node.
      const stopped = leaveRunning
        ? []
        : await Promise.allSettled(nodes.map((n) => p.target.teardown(targetCtx, n.name)));
      await collectLogs(runtime, p.target, targetCtx, runDir, runLog);
      const failed = stopped.flatMap((r, i) =>
        r.status === 'rejected' ? [`${nodes[i]!.name}: ${String(r.reason)}`] : [],
      );
      if (failed.length > 0) throw new Error(`stopping ${p.target.name} failed on ${failed.join('; ')}`);
    });
    await Promise.all(nodes.map((n) => p.target.setup(targetCtx, n.name)));
    throwIfAborted(abort.signal, leaveRunning);
    await p.target.awaitReady(targetCtx, p.target.readyTimeoutMs ?? 60_000);
    throwIfAborted(abort.signal, leaveRunning);
    runLog.info(`${p.target.name} is ready on ${nodes.length} nodes`);
    // Registered after the SUT's stop step so it runs before it: healing may restart killed nodes.
    cleanup.push('heal every fault', async () => {
      await pkg.nemesis.heal(nemesisCtx);
      await pkg.nemesis.teardown(nemesisCtx);
      if (!(await new HealState(nemesisCtx.stateDir).forgetIfHealed())) {
        runLog.warn(`some faults could not be healed; see ${nemesisCtx.stateDir} and run \`faultline heal\``);
      }
    });

    const writer = await openHistoryWriter(join(runDir, RUN_FILES.history));
    cleanup.push('close the history', () => writer.close());
    const generator = testGenerator({
      client: generators.client,
      nemesis: pkg.generator,
      nemesisFinal: pkg.finalGenerator,
      timeLimitSeconds: options.timeLimitSeconds,
      recoverySeconds: options.recoverySeconds,
      clientFinal: generators.final,
      onPhase: (phase) => status.phase(phase),
    });
    status.start();
    const outcome = await runInterpreter({
      generator,
      concurrency: options.concurrency,
      makeClient: () => p.target.clients[p.workload.name]!(targetCtx, p.workload.name),
      nodeFor: (thread) => nodes[thread % nodes.length]!,
      nemesis: { invoke: (op) => pkg.nemesis.invoke(nemesisCtx, op) },
      writer,
      rng,
      opTimeoutMs: options.opTimeoutMs,
      signal: abort.signal,
      onOp: (op) => status.record(op),
      log: runLog,
    });
    status.stop();
    await writer.close();
    history = writer.history();
    runLog.info(
      `workload done: ${outcome.client.ok} ok, ${outcome.client.fail} fail, ${outcome.client.info} info, ` +
        `${outcome.nemesisOps} nemesis ops${outcome.aborted ? ' (aborted)' : ''}`,
    );
  } catch (err) {
    status.stop();
    if (err instanceof InterruptedError) runLog.warn('interrupted before the workload started');
    else runLog.error(`run failed: ${err instanceof Error ? err.message : String(err)}`);
    failed = true;
    throw err;
  } finally {
    await cleanup.run();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    // On failure nothing follows: close the log now so the cleanup lines reach faultline.log.
    if (failed) await runLog.close();
  }

  try {
    // What the faults found, and every teardown step that failed (a daemon that would not stop, a heal that failed).
    const warnings = [...(pkg.nemesis.warnings?.() ?? []), ...cleanup.failures()];
    const results = await checkRun(p, history, options, runLog, warnings);
    await writeResults(runDir, results);
    await writeReportSafely(runDir, { test: record, history, results }, runLog);
    return { runDir, results, aborted: abort.signal.aborted };
  } finally {
    await runLog.close();
  }
}

/** Ctrl-C during setup: stop setting up; the cleanup stack undoes what was done. */
function throwIfAborted(signal: AbortSignal, leaveRunning: boolean): void {
  if (!signal.aborted) return;
  throw new InterruptedError(
    leaveRunning
      ? 'interrupted while setting up the cluster; the nodes are left up (--leave-db-running)'
      : 'interrupted while setting up the cluster; everything set up so far was torn down',
  );
}

/**
 * Checks a history with the workload's checker; a checker that throws gives
 * unknown. `warnings` are what the run itself found (e.g. the clock nemesis:
 * the target ignores libfaketime), carried into the results.
 */
export async function checkRun(
  p: Plan,
  history: History,
  options: TestOptions,
  log: Logger,
  warnings: readonly string[],
): Promise<RunResults> {
  const started = Date.now();
  const checker = p.workload.checker(p.workloadOptions);
  const pool = createCheckPool(); // worker threads for hard parts of the check, started only if needed
  const result = await safeCheck(checker, history, { timeoutMs: options.checkTimeoutSeconds * 1000, pool }).finally(
    () => pool.close(),
  );
  log.info(`checked ${history.length} history entries in ${Date.now() - started} ms: ${String(result.valid)}`);
  const last = history.at(-1);
  return {
    valid: result.valid,
    checker: result,
    stats: {
      ops: history.length,
      counts: countCompletions(history),
      durationSeconds: last ? last.time / 1e9 : 0,
    },
    faults: historyFaultWindows(history),
    warnings: [...warnings],
  };
}

/** Copies the SUT's logs into nodes/<node>/; a missing log is noted, not fatal. */
async function collectLogs(
  runtime: Runtime,
  target: Target,
  ctx: TargetContext,
  runDir: string,
  log: Logger,
): Promise<void> {
  await Promise.all(
    runtime.nodes().map(async (node) => {
      const dir = join(runDir, RUN_FILES.nodes, node.name);
      await mkdir(dir, { recursive: true });
      for (const file of target.logFiles(ctx, node.name)) {
        const local = join(dir, file.split('/').pop() ?? 'log');
        try {
          await runtime.copyFrom(node.name, file, local);
        } catch (err) {
          log.warn(`could not copy ${file} from ${node.name}: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    }),
  );
}

export async function writeReportSafely(
  runDir: string,
  run: Parameters<typeof writeRunReport>[1],
  log: Logger,
): Promise<void> {
  try {
    await writeRunReport(runDir, run);
  } catch (err) {
    log.error(`could not write the report: ${err instanceof Error ? err.message : String(err)}`);
  }
}
