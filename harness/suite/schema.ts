/**
 * The suite file of `faultline suite FILE` (YAML or JSON), as one zod schema:
 *
 *   name: nightly                  # default: the file's name without extension
 *   runtime:                       # as in faultline.config.yaml
 *     netns: { name: ci1, nodes: 3, subnet: 10.245.1.0/24 }
 *   test:                          # options every run shares: a config file's test
 *     timeLimitSeconds: 30         # section (but name), plus the run settings
 *     concurrency: 2n              # `faultline test` takes as flags
 *     recoveryTimeSeconds: 5
 *   matrix:                        # every combination is run, in this order:
 *     target: [etcd]               #   targets x workloads x nemeses x options
 *     workload: [register, set]
 *     nemesis: [none, partition, [kill, pause]]   # each entry: one combination of faults
 *     options:                     # each entry: test options over `test`
 *       - {}
 *       - { label: stale, targetOptions: { readMode: serializable } }
 *   testCount: 1                   # runs of each combination (seeds derived from the first)
 *   keepGoing: false               # repeat a combination after an invalid run
 *
 * A dimension left out takes the test section's value (or the default:
 * etcd, register, no faults, no extra options). Each run is named
 * TARGET-WORKLOAD-NEMESIS[-LABEL], unless its options entry sets a name.
 */
import { z } from 'zod';
import { bool, int, name } from '../config/fields.js';
import { configSchema, testSchema } from '../config/schema.js';

const seconds = z.number({ error: 'expected a number of seconds' }).positive({ error: 'expected a positive number' });

/** A whole number of client workers, or a multiple of the node count: "3n". */
const PER_NODE_ERROR = 'expected a whole number, or a multiple of the node count like 3n';
export const concurrencySchema = z.union(
  [int(1, 10_000), z.string().regex(/^\s*\d+\s*n\s*$/i, { error: PER_NODE_ERROR })],
  { error: PER_NODE_ERROR },
);

const runSettings = {
  concurrency: concurrencySchema,
  /** --op-timeout. */
  opTimeoutSeconds: seconds,
  /** --recovery-time. */
  recoveryTimeSeconds: seconds,
  /** --check-timeout. */
  checkTimeoutSeconds: seconds,
};

/** The suite's shared test options. */
export const suiteTestSchema = testSchema.omit({ name: true }).extend(runSettings).partial();

/** One entry of matrix.options: test options over the shared ones, with a label for the run's name. */
export const optionsEntrySchema = testSchema.extend(runSettings).extend({ label: name }).partial();

const oneOrMore = <T extends z.ZodType>(item: T) =>
  z.union([item, z.array(item).min(1, { error: 'expected at least one entry' })]);

/** One combination of faults: "partition,kill", [partition, kill], or none. */
const faultsEntry = z.union([z.string({ error: 'expected fault names' }), z.array(name)], {
  error: 'expected fault names: "partition,kill", [partition, kill] or none',
});

export const matrixSchema = z
  .strictObject({
    target: oneOrMore(name),
    workload: oneOrMore(name),
    /** A list of fault combinations (a lone string is one combination). */
    nemesis: z.union([z.string(), z.array(faultsEntry).min(1, { error: 'expected at least one entry' })]),
    options: z.array(optionsEntrySchema).min(1, { error: 'expected at least one entry' }),
  })
  .partial();

export const suiteSchema = z
  .strictObject({
    name,
    runtime: configSchema.shape.runtime,
    test: suiteTestSchema,
    matrix: matrixSchema,
    testCount: int(1, 10_000),
    keepGoing: bool,
  })
  .partial();

export type SuiteFile = z.output<typeof suiteSchema>;
export type SuiteTest = z.output<typeof suiteTestSchema>;
export type OptionsEntry = z.output<typeof optionsEntrySchema>;
export type Matrix = z.output<typeof matrixSchema>;
