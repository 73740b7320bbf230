/**
 * Options of the ssh runtime, validated up front: a bad value is a UserError
 * naming the option (`runtime.ssh.nodes[2].port`). Per-node settings override
 * the runtime-wide ones.
 */
import { UserError } from '../../errors.js';
import { Secret } from '../../secret.js';
import type { SshNodeOptions, SshRuntimeOptions } from './schema.js';

export type { SshCredentials, SshNodeOptions, SshRuntimeOptions } from './schema.js';

export interface ResolvedSshNode {
  name: string;
  host: string;
  port: number;
  user: string;
  privateKeyFile: string | undefined;
  passphrase: Secret | undefined;
  agent: string | undefined;
  sudo: boolean;
  hostKeyFingerprint: string | undefined;
  dir: string;
}

export interface ResolvedSshOptions {
  cluster: string;
  nodes: ResolvedSshNode[];
  controllerAddress: string | undefined;
  connectTimeoutMs: number;
}

const asSecret = (v: string | Secret | undefined): Secret | undefined =>
  v === undefined || v instanceof Secret ? v : new Secret(v);

const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const USER = /^[A-Za-z_][A-Za-z0-9_.-]*\$?$/;

/** Fills in defaults; throws UserError naming the option when one is wrong. */
export function resolveSshOptions(
  options: SshRuntimeOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedSshOptions {
  const where = (key: string) => `runtime.ssh.${key}`;
  if (!Array.isArray(options.nodes) || options.nodes.length === 0) {
    throw new UserError('expected a list of at least one node (host names or { host, port, user, ... })', {
      where: where('nodes'),
    });
  }
  const baseDir = options.baseDir ?? '/var/lib/faultline';
  if (!baseDir.startsWith('/') || baseDir === '/') {
    throw new UserError(`expected an absolute directory other than /, got ${JSON.stringify(baseDir)}`, {
      where: where('baseDir'),
    });
  }
  const timeout = options.connectTimeoutMs ?? 10_000;
  if (!Number.isFinite(timeout) || timeout <= 0)
    throw new UserError(`expected a positive number, got ${timeout}`, { where: where('connectTimeoutMs') });

  const seen = new Set<string>();
  const nodes = options.nodes.map((entry, i): ResolvedSshNode => {
    const at = (key: string) => where(`nodes[${i}].${key}`);
    const node: SshNodeOptions = typeof entry === 'string' ? { host: entry } : entry;
    if (typeof node.host !== 'string' || node.host.trim() === '')
      throw new UserError('expected a host name or address', { where: at('host') });
    const name = node.name ?? `n${i + 1}`;
    if (!NODE_NAME.test(name))
      throw new UserError(`expected 1-32 letters, digits, ".", "-" or "_", got ${JSON.stringify(name)}`, {
        where: at('name'),
      });
    if (seen.has(name)) throw new UserError(`node name ${name} appears twice`, { where: at('name') });
    seen.add(name);
    const port = node.port ?? options.port ?? 22;
    if (!Number.isInteger(port) || port < 1 || port > 65_535)
      throw new UserError(`expected a port from 1 to 65535, got ${port}`, { where: at('port') });
    const user = node.user ?? options.user ?? 'root';
    if (!USER.test(user)) throw new UserError(`not a user name: ${JSON.stringify(user)}`, { where: at('user') });
    const privateKeyFile = node.privateKeyFile ?? options.privateKeyFile;
    const agent = node.agent ?? options.agent ?? (privateKeyFile === undefined ? env.SSH_AUTH_SOCK : undefined);
    if (privateKeyFile === undefined && agent === undefined) {
      throw new UserError('no credentials: set privateKeyFile or agent (or run an ssh-agent with SSH_AUTH_SOCK set)', {
        where: at('privateKeyFile'),
      });
    }
    const fingerprint = node.hostKeyFingerprint;
    if (fingerprint !== undefined && !/^SHA256:[A-Za-z0-9+/]{43}$/.test(fingerprint)) {
      throw new UserError(
        `expected SHA256:<43 base64 characters> as ssh-keygen -l prints it, got ${JSON.stringify(fingerprint)}`,
        {
          where: at('hostKeyFingerprint'),
        },
      );
    }
    return {
      name,
      host: node.host.trim(),
      port,
      user,
      privateKeyFile,
      passphrase: asSecret(node.passphrase ?? options.passphrase),
      agent,
      sudo: node.sudo ?? options.sudo ?? user !== 'root',
      hostKeyFingerprint: fingerprint,
      dir: `${baseDir.replace(/\/+$/, '')}/${name}`,
    };
  });
  const cluster = options.name ?? 'ssh';
  if (!NODE_NAME.test(cluster)) {
    throw new UserError(`expected 1-32 letters, digits, ".", "-" or "_", got ${JSON.stringify(cluster)}`, {
      where: where('name'),
    });
  }
  return { cluster, nodes, controllerAddress: options.controllerAddress, connectTimeoutMs: timeout };
}
