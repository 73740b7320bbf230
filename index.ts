/**
 * faultline as a library: the package's root, `import { ... } from 'faultline'`.
 *
 * Everything a user needs to test their own system from their own
 * repository: the history (types, readers, writer), the checkers and models,
 * the generator combinators, the contracts a target, workload, client, model
 * or checker is written against (with `define…` helpers that type them), and
 * `runTest`, the programmatic `faultline test`.
 *
 * - histories: Op and its parts, readHistoryFile / parseHistory (JSONL,
 *   Jepsen EDN, history.txt), openHistoryWriter, pairHistory;
 * - checkers: checkLinearizable (+ explainLinearizable, linearizableChecker),
 *   checkSet / setChecker, checkStats, composeCheckers, safeCheck; the
 *   transactional checkers (after Elle): checkListAppend / listAppendChecker,
 *   checkRwRegister / rwRegisterChecker, checkBank / bankChecker; session
 *   guarantees: checkSession / sessionChecker; results are
 *   a union on `kind` (CheckResult), extended by declaration merging of
 *   CheckResultKinds; ResultView / defineView / registerView draw a result;
 * - models: Model (a record of pure functions), defineModel, registerModel;
 * - generators: the `gen` namespace (mix, stagger, timeLimit, clients, ...);
 * - contracts: Target (and its capabilities Killable, Pausable, HasPrimaries,
 *   Reconfigurable, ...), Workload, Client, Checker, Runtime, with defineTarget,
 *   defineWorkload, defineClient, defineChecker (a target's options are a
 *   zod 4 object schema: `import { z } from 'zod'`);
 * - runTest: the programmatic `faultline test`, resolving with RunResults.
 *
 * This file only re-exports: each name is documented where it is defined.
 * What is not exported here is internal and may change between versions.
 *
 * @example Check a history
 * import { checkLinearizable, readHistoryFile } from 'faultline';
 * const { history } = await readHistoryFile('history.jsonl');
 * const result = await checkLinearizable(history, { model: 'cas-register' });
 * if (result.valid === false) console.log(result.failure.explanation);
 *
 * @example A target of your own, run with `faultline test --target ./targets/mydb.ts`
 * import { defineTarget } from 'faultline';
 * import { z } from 'zod';
 * export default defineTarget({ name: 'mydb', options: z.object({}), ... });
 *
 * @packageDocumentation
 */

export {
  BANK_ERROR_TYPES,
  type BankError,
  type BankErrorGroup,
  type BankErrorType,
  type BankOp,
  type BankOptions,
  type BankResult,
  bankChecker,
  checkBank,
} from './checkers/bank/index.js';
export type { Checker, CheckOptions, CheckResult, CheckResultKinds, ResultBase, Validity } from './checkers/checker.js';
export { defineChecker, mergeValidity, safeCheck } from './checkers/checker.js';
export { composeCheckers } from './checkers/compose.js';
export {
  checkLinearizable,
  explainLinearizable,
  type LinearizableOptions,
  linearizableChecker,
} from './checkers/linearizable/index.js';
export type {
  KeyFailure,
  LinearizableResult,
  LinearizationStep,
  OpSummary,
  PartialLinearization,
} from './checkers/linearizable/result.js';
export {
  checkListAppend,
  type ListAppendOptions,
  type ListAppendResult,
  listAppendChecker,
} from './checkers/list-append/index.js';
export {
  defineModel,
  ILLEGAL,
  type Illegal,
  type Model,
  type ModelFactory,
  type ModelOp,
  type ModelOptions,
  type StateKey,
} from './checkers/models/model.js';
export { getModel, modelNames, registerModel } from './checkers/models/registry.js';
export { noopChecker } from './checkers/noop.js';
export {
  checkRwRegister,
  type RwRegisterOptions,
  type RwRegisterResult,
  rwRegisterChecker,
} from './checkers/rw-register/index.js';
export {
  checkSession,
  type Datatype,
  GUARANTEES,
  type Guarantee,
  type GuaranteeStatus,
  type GuaranteeVerdict,
  type SessionCheckerOptions,
  type SessionOp,
  type SessionResult,
  type SessionViolation,
  sessionChecker,
} from './checkers/session/index.js';
export { checkSet, type SetCheckerOptions, type SetCheckResult, setChecker } from './checkers/set/index.js';
export { checkStats, type StatsResult, statsChecker } from './checkers/stats/index.js';
export type { TxnCheckOptions } from './checkers/txn/plan.js';
export type {
  AnomalyCase,
  AnomalyGroup,
  CycleStep,
  NamedTxn,
  TxnResultFields,
  TxnStats,
} from './checkers/txn/result.js';
export type { Block, ReportSection, ResultView, ViewContext } from './checkers/view.js';
export { defineView } from './checkers/view.js';
export { registerView, summarize } from './checkers/views.js';
export { MalformedHistoryError, UserError } from './harness/errors.js';
export type { GenContext, Generator, GenOp, GenStep, Rng, Thread } from './harness/generator/index.js';
/**
 * The generator combinators (Jepsen's generator DSL): `gen.mix`, `gen.stagger`,
 * `gen.timeLimit`, `gen.clients`, `gen.nemesis`, `gen.independentConcurrent`, ...
 * See harness/generator/index.ts for the whole vocabulary.
 */
export * as gen from './harness/generator/index.js';
export type {
  CompletionOp,
  FailOp,
  History,
  InfoOp,
  InvokeOp,
  Json,
  OkOp,
  Op,
  OpRequest,
  OpType,
  ProcessId,
} from './harness/history/op.js';
export { type PairedOp, pairHistory } from './harness/history/pair.js';
export {
  HISTORY_FORMATS,
  type HistoryFormat,
  type LoadedHistory,
  parseHistory,
  type ReadOptions,
  readHistoryFile,
} from './harness/history/read.js';
export { type HistoryWriter, type HistoryWriterOptions, openHistoryWriter } from './harness/history/writer.js';
export { consoleLogger, type Logger, silentLogger } from './harness/log.js';
export type { FaultWindow, RunOutcome, RunResults, TestRecord } from './harness/results/results.js';
export { type RunTestOptions, runTest } from './harness/run/library.js';
export type {
  DaemonSpec,
  ExecOptions,
  ExecResult,
  NodeInfo,
  Runtime,
  Signal,
} from './harness/runtime/runtime.js';
export { ensurePackages } from './targets/install.js';
export {
  type AnyTarget,
  type ClientFactory,
  type ClockSensitivity,
  defineTarget,
  type HasPrimaries,
  hasNodeCountLimits,
  hasPrimaries,
  hasReadConsistency,
  isKillable,
  isPausable,
  isReconfigurable,
  type Killable,
  type NodeCountLimits,
  type OptionsSchema,
  type Pausable,
  type ReadConsistency,
  type Reconfigurable,
  type Target,
  type TargetContext,
  type TargetOptions,
  whyNotReconfigurable,
} from './targets/target.js';
export { type Client, type ClientOp, type Completion, defineClient } from './workloads/client.js';
export { defineWorkload, type Workload, type WorkloadOptions } from './workloads/workload.js';
