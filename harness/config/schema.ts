/**
 * The shape of faultline.config.yaml / .json. Example:
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
 * `runtime: ssh` is short for `runtime: { kind: ssh }`.
 */
import type { Json } from '../history/op.js';
import type { DockerRuntimeOptions } from '../runtime/docker/index.js';
import type { NetnsOptions } from '../runtime/netns/index.js';
import type { SshRuntimeOptions } from '../runtime/ssh/index.js';
import type { Schema } from './validate.js';

export const RUNTIME_KINDS = ['netns', 'docker', 'ssh'] as const;
export type RuntimeKind = (typeof RUNTIME_KINDS)[number];

export interface RuntimeConfig {
  kind: RuntimeKind;
  netns: NetnsOptions;
  docker: DockerRuntimeOptions;
  /** Required when kind is ssh. */
  ssh: SshRuntimeOptions | undefined;
}

/** What to run. Everything is optional here; the test command fills in its defaults. */
export interface TestConfig {
  /** Name of the test (the results folder); default derived from target and workload. */
  name?: string;
  target?: string;
  workload?: string;
  /** Nemesis package names, e.g. ["partition", "kill"]. */
  nemesis?: string[];
  /** Number of worker processes. */
  concurrency?: number;
  timeLimitSeconds?: number;
  seed?: number;
  /** Upper bound on ops per second across all workers. */
  rate?: number;
  /** Seconds between nemesis operations. */
  nemesisIntervalSeconds?: number;
  /** Where runs are stored (default results/). */
  resultsDir?: string;
  targetOptions?: Record<string, Json>;
  workloadOptions?: Record<string, Json>;
  nemesisOptions?: Record<string, Json>;
}

export interface FaultlineConfig {
  /** The file it came from; undefined when there was none (defaults only). */
  source: string | undefined;
  runtime: RuntimeConfig;
  test: TestConfig;
}

const name: Schema = {
  type: 'string',
  pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]*$/,
  patternHint: 'letters, digits, ".", "-" or "_"',
};
const nodeCountOrNames: Schema = {
  type: 'oneOf',
  options: [
    { type: 'number', integer: true, min: 1, max: 250 },
    { type: 'array', items: name, minItems: 1 },
  ],
};
const port: Schema = { type: 'number', integer: true, min: 1, max: 65_535 };
const path: Schema = { type: 'string', pattern: /\S/, patternHint: 'a path' };
const cidr: Schema = {
  type: 'string',
  pattern: /^\d+\.\d+\.\d+\.\d+\/\d+$/,
  patternHint: 'an IPv4 subnet like 10.213.0.0/24',
};

const netnsSchema: Schema = {
  type: 'object',
  properties: {
    name,
    nodes: nodeCountOrNames,
    subnet: cidr,
    baseDir: path,
    removeNodeDirs: { type: 'boolean' },
    stateDir: path,
  },
};

const dockerSchema: Schema = {
  type: 'object',
  properties: {
    name,
    nodes: nodeCountOrNames,
    subnet: cidr,
    socketPath: path,
    nodeDir: path,
    image: {
      type: 'object',
      properties: {
        source: { type: 'string', enum: ['registry', 'debootstrap', 'auto'] },
        tag: { type: 'string' },
        suite: { type: 'string' },
        mirror: { type: 'string' },
        extraPackages: { type: 'array', items: { type: 'string' } },
        cacheDir: path,
      },
    },
  },
};

const sshCredentials = {
  port,
  user: { type: 'string' },
  privateKeyFile: path,
  passphrase: { type: 'string' },
  agent: path,
  sudo: { type: 'boolean' },
} satisfies Record<string, Schema>;

const sshSchema: Schema = {
  type: 'object',
  required: ['nodes'],
  properties: {
    ...sshCredentials,
    nodes: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'oneOf',
        options: [
          { type: 'string', pattern: /\S/, patternHint: 'a host name' },
          {
            type: 'object',
            required: ['host'],
            properties: { host: { type: 'string' }, name, hostKeyFingerprint: { type: 'string' }, ...sshCredentials },
          },
        ],
      },
    },
    baseDir: path,
    controllerAddress: { type: 'string' },
    connectTimeoutMs: { type: 'number', min: 1 },
  },
};

const runtimeSchema: Schema = {
  type: 'oneOf',
  options: [
    { type: 'string', enum: RUNTIME_KINDS },
    {
      type: 'object',
      properties: {
        kind: { type: 'string', enum: RUNTIME_KINDS },
        netns: netnsSchema,
        docker: dockerSchema,
        ssh: sshSchema,
      },
    },
  ],
};

const optionsRecord: Schema = { type: 'record', values: { type: 'json' } };

export const testSchema = {
  name,
  target: name,
  workload: name,
  nemesis: { type: 'array', items: name },
  concurrency: { type: 'number', integer: true, min: 1, max: 10_000 },
  timeLimitSeconds: { type: 'number', min: 0 },
  seed: { type: 'number', integer: true },
  rate: { type: 'number', min: 0 },
  nemesisIntervalSeconds: { type: 'number', min: 0 },
  resultsDir: path,
  targetOptions: optionsRecord,
  workloadOptions: optionsRecord,
  nemesisOptions: optionsRecord,
} satisfies Record<keyof TestConfig, Schema>;

export const configSchema: Schema = {
  type: 'object',
  properties: { runtime: runtimeSchema, test: { type: 'object', properties: testSchema } },
};
