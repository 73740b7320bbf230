/**
 * The shape of faultline.config.yaml / .json, as one zod schema: the types
 * below come from it, and so does validation (harness/config/load.ts). Example:
 *
 *   runtime:
 *     kind: netns                 # netns (default) | docker | ssh
 *     netns: { name: faultline, nodes: 5, subnet: 10.213.0.0/24 }
 *     ssh:
 *       user: admin               # sudo -n is used when the user is not root
 *       privateKeyFile: ~/.ssh/id_ed25519
 *       nodes: [db1.example, { host: db2.example, port: 2222 }]
 *   test:
 *     target: etcd
 *     workload: register
 *     nemesis: [partition, kill]
 *     concurrency: 10
 *     timeLimitSeconds: 60
 *     seed: 42
 *
 * `runtime: ssh` is short for `runtime: { kind: ssh }`. Each runtime owns
 * its section's schema (harness/runtime/<kind>/schema.ts); test.targetOptions
 * are judged by the target's schema and test.nemesisOptions by the faults'
 * (nemesis/registry.ts), when the run is planned.
 */
import { z } from 'zod';
import type { Json } from '../history/op.js';
import { dockerOptionsSchema } from '../runtime/docker/schema.js';
import { netnsOptionsSchema } from '../runtime/netns/schema.js';
import { sshOptionsSchema } from '../runtime/ssh/schema.js';
import { int, moduleSpec, name, path } from './fields.js';

export const RUNTIME_KINDS = ['netns', 'docker', 'ssh'] as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

const runtimeKind = z.enum(RUNTIME_KINDS);

const runtimeSchema = z.union([
  runtimeKind,
  z
    .strictObject({
      kind: runtimeKind,
      netns: netnsOptionsSchema,
      docker: dockerOptionsSchema,
      ssh: sshOptionsSchema,
    })
    .partial(),
]);

/** Any JSON value (options judged later by the schema of whatever they are for). */
const json = z.json() as unknown as z.ZodType<Json>;
const optionsRecord = z.record(z.string(), json);

/** What to run. Everything is optional here; the test command fills in its defaults. */
export const testSchema = z
  .strictObject({
    /** Name of the test (the results folder); default derived from target and workload. */
    name,
    /** A built-in name, a module path (relative to the config file) or a package. */
    target: moduleSpec,
    workload: moduleSpec,
    /** Nemesis package names, e.g. ["partition", "kill"]. */
    nemesis: z.array(name, { error: 'expected a list' }),
    /** Number of worker processes. */
    concurrency: int(1, 10_000),
    timeLimitSeconds: z.number({ error: 'expected a number' }).min(0),
    seed: int(),
    /** Upper bound on ops per second across all workers. */
    rate: z.number({ error: 'expected a number' }).min(0),
    /** Seconds between nemesis operations. */
    nemesisIntervalSeconds: z.number({ error: 'expected a number' }).min(0),
    /** Where runs are stored (default results/). */
    resultsDir: path,
    targetOptions: optionsRecord,
    workloadOptions: optionsRecord,
    nemesisOptions: optionsRecord,
  })
  .partial();

export const configSchema = z.strictObject({ runtime: runtimeSchema, test: testSchema }).partial();

export type TestConfig = z.output<typeof testSchema>;

export interface RuntimeConfig {
  kind: RuntimeKind;
  netns: z.input<typeof netnsOptionsSchema>;
  docker: z.input<typeof dockerOptionsSchema>;
  /** Required when kind is ssh. */
  ssh: z.input<typeof sshOptionsSchema> | undefined;
}

export interface FaultlineConfig {
  /** The file it came from; undefined when there was none (defaults only). */
  source: string | undefined;
  /** The folder relative paths in it are taken from (the config file's); undefined: the working directory. */
  baseDir?: string | undefined;
  runtime: RuntimeConfig;
  test: TestConfig;
}
