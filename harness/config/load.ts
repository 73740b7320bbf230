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
import { type Document, LineCounter, parseDocument } from 'yaml';
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
import { type KeyPath, parseSchema, SchemaError } from './zod.js';

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
  const lineCounter = new LineCounter();
  // logLevel error: what yaml would print as a process warning (a key that is a list) is judged below instead.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, logLevel: 'error' });
  const syntax = doc.errors[0];
  if (syntax) {
    const line = lineCounter.linePos(syntax.pos[0]).line;
    // The YAML parser is recursive: it gives up (with this message) on structures nested thousands deep.
    const message = /Maximum call stack/.test(syntax.message)
      ? `nests too deeply to read (at most ${MAX_CONFIG_DEPTH} levels are allowed)`
      : `syntax error: ${syntax.message.split('\n')[0]}`;
    throw new UserError(message, { where: line ? `${where}:${line}` : where });
  }
  if (where.endsWith('.json')) {
    try {
      JSON.parse(text);
    } catch (err) {
      throw new UserError(`not valid JSON: ${(err as Error).message}`, { where });
    }
  }
  let js: unknown;
  try {
    js = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    // An alias to an anchor not yet set, or an alias "bomb" (aliases of aliases, past 100 copies).
    throw new UserError(`cannot read: ${(err as Error).message}`, { where, cause: err });
  }
  let parsed: RawConfig;
  try {
    const raw = plainConfig(js ?? {});
    parsed = parseSchema(configSchema, raw);
    // Each fault's options, by the faults' own schemas (the target's wait for the run: they depend on --target).
    parseSchema(nemesisOptionsSchema(), parsed.test?.nemesisOptions ?? {}, ['test', 'nemesisOptions']);
  } catch (err) {
    if (!(err instanceof SchemaError)) throw err;
    throw new UserError(err.message, { where: withLine(where, doc, lineCounter, err.path), cause: err });
  }
  const config = normalize(parsed, baseDir);
  config.source = where;
  checkSelectedRuntime(config, where);
  return config;
}

type RawConfig = z.output<typeof configSchema>;

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

/** `file:line` of the value at `keyPath` (or of its nearest existing parent); `file` when unknown. */
function withLine(where: string, doc: Document, lines: LineCounter, keyPath: KeyPath): string {
  for (let depth = keyPath.length; depth >= 0; depth--) {
    const node = depth === 0 ? doc.contents : doc.getIn(keyPath.slice(0, depth), true);
    const offset = (node as { range?: [number, number, number] } | null | undefined)?.range?.[0];
    if (offset !== undefined) return `${where}:${lines.linePos(offset).line}`;
  }
  return where;
}

/** How deeply a config may nest (real ones nest 4 or 5 levels; target and fault options a few more). */
const MAX_CONFIG_DEPTH = 32;

/** Keys no option has, that JavaScript objects treat specially (zod's records drop `__proto__` silently). */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * A copy of the parsed config with keys whose value is null (YAML's empty
 * value) dropped, so they read as absent. Throws SchemaError at the key path
 * of a value that contains itself (a YAML alias inside its own anchor, which
 * toJS turns into a cycle), of one nested deeper than MAX_CONFIG_DEPTH, of a
 * value a YAML tag made into something else than JSON (a Set, a Date, bytes),
 * and of a reserved key (never an option: reported as unknown).
 */
function plainConfig(value: unknown, at: Array<string | number> = [], ancestors = new Set<object>()): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (ancestors.has(value)) throw new SchemaError(at, 'refers to itself (a YAML alias used inside its own anchor)');
  if (at.length >= MAX_CONFIG_DEPTH) throw new SchemaError(at, `nests more than ${MAX_CONFIG_DEPTH} levels deep`);
  const proto = Object.getPrototypeOf(value) as unknown;
  if (!Array.isArray(value) && proto !== Object.prototype && proto !== null) {
    // A YAML tag such as !!set, !!binary or !!timestamp: faultline's options are mappings, lists and scalars.
    const kind = (value as object).constructor?.name ?? 'object';
    throw new SchemaError(at, `expected a mapping, a list or a plain value, got a ${kind} (a YAML !! tag)`);
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) return value.map((v, i) => plainConfig(v, [...at, i], ancestors));
    const copy: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
      if (RESERVED_KEYS.has(key)) throw new SchemaError([...at, key], 'unknown key (no option has this name)');
      if (v !== null && v !== undefined) copy[key] = plainConfig(v, [...at, key], ancestors);
    }
    return copy;
  } finally {
    ancestors.delete(value);
  }
}
