/**
 * Plugins: targets, workloads and models from the user's own repository or
 * from npm, named where a built-in name goes (see ./spec.ts):
 *
 *   faultline test --target ./targets/mydb.ts --workload ./workloads/queue.ts
 *   faultline check history.jsonl --model ./models/queue.ts
 *   test: { target: faultline-target-redis }          (the config file)
 *
 * A module exports its target, workload or model as the default export or
 * under that name (`export const target = defineTarget({...})`); a model may
 * be a ModelFactory (options -> Model) or a Model. A module may also export
 * `views`: the ResultViews of its checkers' result kinds (checkers/view.ts),
 * registered when it loads. What is exported is checked when it loads
 * (./shapes.ts): a module that lacks something is a UserError naming the
 * file and the missing member.
 */

export { resolveModel } from './resolve-model.js';
export { resolveTarget } from './resolve-target.js';
export { resolveWorkload } from './resolve-workload.js';
export { absoluteSpec, isModulePath, isPackageName, specLabel } from './spec.js';
