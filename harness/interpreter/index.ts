/**
 * Running a test's generator against real clients and a nemesis.
 *
 *   const writer = await openHistoryWriter(join(runDir, 'history.jsonl'));
 *   try {
 *     const result = await runInterpreter({
 *       generator: testGenerator({ client, nemesis, timeLimitSeconds, nemesisFinal, recoverySeconds, clientFinal }),
 *       concurrency, makeClient, nodeFor, nemesis: invoker, writer, rng: seededRng(seed),
 *       opTimeoutMs: 5000, signal, onOp, log,
 *     });
 *   } finally {
 *     await writer.close();
 *   }
 *   const history = writer.history();
 */

export { sanitizeJson } from '../history/sanitize.js';
export {
  type InterpreterOptions,
  type InterpreterResult,
  type NemesisInvoker,
  runInterpreter,
} from './interpreter.js';
export { type TestGeneratorOptions, testGenerator } from './test-generator.js';
export { wellFormedProblems } from './well-formed.js';
