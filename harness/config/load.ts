/**
 * Loads faultline.config.yaml / .yml / .json (from the working directory, or
 * the file given with --config), validates it up front, and merges command
 * line flags over it. Every problem is a UserError naming the file, the line
 * when known, and the key path:
 *
 *   faultline.config.yaml:12: runtime.ssh.nodes[2].port: expected a number, got "x"
 */
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { nemesisOptionsSchema } from '../../nemesis/registry.js';
import { UserError } from '../errors.js';
import { decodeUtf8, readRegularFile } from '../history/text-file.js';
import { planLayout } from '../runtime/netns/layout.js';
import { resolveSshOptions } from '../runtime/ssh/options.js';
import {
  configSchema,
  type FaultlineConfig,
  RUNTIME_KINDS,
  type RuntimeKind,
  type TestConfig,
  testSchema,
} from './schema.js';
import { parseYamlSource } from './yaml-source.js';
import { parseSchema, SchemaError } from './zod.js';

export const CONFIG_FILES = ['faultline.config.yaml', 'faultline.config.yml', 'faultline.config.json'] as const;

/** The configuration when there is no file: the netns runtime with its defaults, no test options. */
export function defaultConfig(): FaultlineConfig {
  return { source: undefined, runtime: { kind: 'netns', netns: {}, docker: {}, ssh: undefined }, test: {} };
}

/**
 * Reads and validates the config. With `file`, that file must exist (relative
 * to cwd). Without, the first of CONFIG_FILES in cwd is used, or the defaults
 * when there is none. Throws UserError for a missing --config file, one that
 * is not a regular file (a FIFO would be waited on forever) or not UTF-8, two
 * config files in cwd, a syntax error, an unknown key or a wrong type.
 */
export async function loadConfig(file: string | undefined, cwd: string): Promise<FaultlineConfig> {
  let location: string;
  let bytes: Buffer;
  if (file !== undefined) {
    location = path.resolve(cwd, file);
    try {
      bytes = await readRegularFile(location, 'config file');
    } catch (err) {
      throw new UserError(`cannot read config file: ${(err as Error).message}`, {
        where: `--config ${file}`,
        cause: err,
      });
    }
  } else {
    const found: Array<{ location: string; bytes: Buffer }> = [];
    for (const candidate of CONFIG_FILES) {
      const at = path.join(cwd, candidate);
      try {
        found.push({ location: at, bytes: await readRegularFile(at, 'config file') });
      } catch (err) {
        // Not there is fine; there but unreadable (a directory, a FIFO, no permission) is said.
        if (((err as Error).cause as NodeJS.ErrnoException | undefined)?.code !== 'ENOENT') throw err;
      }
    }
    if (found.length === 0) return defaultConfig();
    if (found.length > 1) {
      throw new UserError(
        `found ${found.map((f) => path.basename(f.location)).join(' and ')} in ${cwd}; keep one, or choose with --config`,
      );
    }
    ({ location, bytes } = found[0]!);
  }
  const where = displayName(location, cwd);
  return parseConfig(decodeUtf8(bytes, where), where, path.dirname(location));
}

/**
 * Parses and validates config text; `where` names the file in messages and
 * relative paths in it (key files) are taken from `baseDir`. Throws UserError.
 */
export function parseConfig(text: string, where: string, baseDir: string = process.cwd()): FaultlineConfig {
  const source = parseYamlSource(text, where);
  let parsed: RawConfig;
  try {
    parsed = parseSchema(configSchema, source.value);
    // Each fault's options, by the faults' own schemas (the target's wait for the run: they depend on --target).
    parseSchema(nemesisOptionsSchema(), parsed.test?.nemesisOptions ?? {}, ['test', 'nemesisOptions']);
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
    throw new UserError(err.message, { where: source.lineOf(err.path), cause: err });
  }
  return configFromSections(parsed, where, baseDir);
}

/**
 * The config of sections already validated by configSchema (a config
 * file's, or a suite file's runtime section): defaults filled in, key file
 * paths taken from `baseDir`, `where` recorded as the source. Throws
 * UserError naming `where` when the chosen runtime's options do not make sense.
 */
export function configFromSections(raw: RawConfig, where: string, baseDir: string): FaultlineConfig {
  const config = normalize(raw, baseDir);
  config.source = where;
  checkSelectedRuntime(config, where);
  return config;
}

export type RawConfig = z.output<typeof configSchema>;

function normalize(raw: RawConfig, baseDir: string): FaultlineConfig {
  const config = defaultConfig();
  config.test = raw.test ?? {};
  if (typeof raw.runtime === 'string') config.runtime.kind = raw.runtime;
  else if (raw.runtime) {
    config.runtime.kind = raw.runtime.kind ?? 'netns';
    config.runtime.netns = raw.runtime.netns ?? {};
    config.runtime.docker = raw.runtime.docker ?? {};
    const ssh = raw.runtime.ssh;
    if (ssh) {
      config.runtime.ssh = {
        ...ssh,
        ...(ssh.privateKeyFile !== undefined ? { privateKeyFile: expandPath(ssh.privateKeyFile, baseDir) } : {}),
        nodes: ssh.nodes.map((n) =>
          typeof n === 'string' || n.privateKeyFile === undefined
            ? n
            : { ...n, privateKeyFile: expandPath(n.privateKeyFile, baseDir) },
        ),
      };
    }
  }
  return config;
}

/** Checks the options of the chosen runtime beyond their types (subnet sizes, credentials, ...). */
function checkSelectedRuntime(config: FaultlineConfig, where: string): void {
  try {
    checkRuntime(config);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(err.message, { where, cause: err });
    throw err;
  }
}

/** Throws UserError (naming the option) when the selected runtime's options do not make sense. */
export function checkRuntime(config: FaultlineConfig): void {
  const { runtime } = config;
  if (runtime.kind === 'netns') planLayout(runtime.netns);
  if (runtime.kind === 'ssh') {
    if (!runtime.ssh)
      throw new UserError('is required when runtime.kind is ssh (at least its nodes)', { where: 'runtime.ssh' });
    resolveSshOptions(runtime.ssh);
  }
}

/** Command-line flags that override the config file (undefined = not given). */
export interface ConfigFlags {
  runtime?: string;
  /** Node count (netns, docker); for ssh, the hosts. A number, or comma-separated host names (ssh). */
  nodes?: number | string | string[];
  /** Cluster name of the netns / docker runtime. */
  cluster?: string;
  subnet?: string;
  sshUser?: string;
  sshKey?: string;
  name?: string;
  target?: string;
  workload?: string;
  /** Comma-separated or repeated. */
  nemesis?: string | string[];
  /** Numbers may arrive as typed (a string); mergeFlags validates them and names the flag. */
  concurrency?: number | string;
  timeLimit?: number | string;
  seed?: number | string;
  rate?: number | string;
  nemesisInterval?: number | string;
  resultsDir?: string;
}

/**
 * Returns a copy of config with the given flags applied over it.
 * Throws UserError naming the flag (e.g. `--concurrency`) when a value is wrong.
 */
export function mergeFlags(config: FaultlineConfig, flags: ConfigFlags): FaultlineConfig {
  const merged: FaultlineConfig = structuredClone(config);
  const { runtime, test } = merged;
  const check = (flag: string, value: unknown, schema: z.ZodType) => {
    try {
      parseSchema(schema, value);
    } catch (err) {
      if (err instanceof SchemaError) throw new UserError(err.expected, { where: `--${flag}` });
      throw err;
    }
  };

  if (flags.runtime !== undefined) {
    check('runtime', flags.runtime, z.enum(RUNTIME_KINDS));
    runtime.kind = flags.runtime as RuntimeKind;
  }
  if (flags.nodes !== undefined) {
    const nodes = parseNodes(flags.nodes);
    if (runtime.kind === 'ssh') {
      if (typeof nodes === 'number')
        throw new UserError('with the ssh runtime, name the hosts (comma-separated)', { where: '--nodes' });
      runtime.ssh = { ...runtime.ssh, nodes };
    } else {
      // A count only: a name here is most often a typo (--nodes abc), and would make a one-node cluster named so.
      if (typeof nodes !== 'number') {
        throw new UserError(
          `expected a node count with the ${runtime.kind} runtime, got ${JSON.stringify(String(flags.nodes))}; ` +
            `name the nodes in the config file (runtime.${runtime.kind}.nodes)`,
          { where: '--nodes' },
        );
      }
      runtime.netns.nodes = nodes;
      runtime.docker.nodes = nodes;
    }
  }
  if (flags.cluster !== undefined) {
    runtime.netns.name = flags.cluster;
    runtime.docker.name = flags.cluster;
  }
  if (flags.subnet !== undefined) {
    runtime.netns.subnet = flags.subnet;
    runtime.docker.subnet = flags.subnet;
  }
  if (flags.sshUser !== undefined || flags.sshKey !== undefined) {
    if (!runtime.ssh)
      throw new UserError('needs ssh nodes (runtime.ssh.nodes in the config file, or --nodes)', {
        where: flags.sshUser !== undefined ? '--ssh-user' : '--ssh-key',
      });
    if (flags.sshUser !== undefined) runtime.ssh.user = flags.sshUser;
    if (flags.sshKey !== undefined) runtime.ssh.privateKeyFile = expandPath(flags.sshKey, process.cwd());
  }

  const testFlags: Array<[keyof ConfigFlags, keyof TestConfig, string]> = [
    ['name', 'name', 'name'],
    ['target', 'target', 'target'],
    ['workload', 'workload', 'workload'],
    ['concurrency', 'concurrency', 'concurrency'],
    ['timeLimit', 'timeLimitSeconds', 'time-limit'],
    ['seed', 'seed', 'seed'],
    ['rate', 'rate', 'rate'],
    ['nemesisInterval', 'nemesisIntervalSeconds', 'nemesis-interval'],
    ['resultsDir', 'resultsDir', 'results-dir'],
  ];
  for (const [flag, key, display] of testFlags) {
    const value = flags[flag];
    if (value === undefined) continue;
    check(display, value, testSchema.shape[key]);
    (test as Record<string, unknown>)[key] = value;
  }
  if (flags.nemesis !== undefined) {
    const list = (Array.isArray(flags.nemesis) ? flags.nemesis : [flags.nemesis])
      .flatMap((n) => String(n).split(','))
      .map((n) => n.trim())
      .filter((n) => n !== '' && n !== 'none');
    check('nemesis', list, testSchema.shape.nemesis);
    test.nemesis = list;
  }
  try {
    checkRuntime(merged);
  } catch (err) {
    if (err instanceof UserError) throw new UserError(err.message, { where: merged.source, cause: err });
    throw err;
  }
  return merged;
}

function parseNodes(value: number | string | string[]): number | string[] {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1)
      throw new UserError(`expected a positive whole number or names, got ${value}`, { where: '--nodes' });
    return value;
  }
  const list = (Array.isArray(value) ? value : [value])
    .flatMap((v) => String(v).split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
  if (list.length === 1 && /^\d+$/.test(list[0]!)) return parseNodes(Number(list[0]));
  if (list.length === 0) throw new UserError('expected a node count or comma-separated names', { where: '--nodes' });
  return list;
}

function expandPath(file: string, baseDir: string): string {
  if (file === '~' || file.startsWith('~/')) return path.join(os.homedir(), file.slice(1));
  return path.resolve(baseDir, file);
}

function displayName(location: string, cwd: string): string {
  const relative = path.relative(cwd, location);
  return relative.startsWith('..') ? location : relative;
}
