/** The ssh runtime's options (runtime.ssh in the config); options.ts checks what types cannot say. */
import { z } from 'zod';
import { bool, int, name, path, port, secret } from '../../config/fields.js';

/** How to log in: set runtime-wide, or per node (the node's setting wins). */
const credentials = {
  port,
  /** Default root. */
  user: z.string(),
  /** Path of a private key file (OpenSSH or PEM format). */
  privateKeyFile: path,
  /** The private key's passphrase: a Secret, never written anywhere (`faultline heal --config` gives it again). */
  passphrase: secret,
  /** ssh-agent socket path (default $SSH_AUTH_SOCK when no key file is given). */
  agent: path,
  /** Prefix commands with `sudo -n` (default: when the user is not root). */
  sudo: bool,
};

export const sshNodeSchema = z.strictObject({
  /** Address the controller connects to, and that other nodes reach this node at. */
  host: z.string({ error: 'expected a host name or address' }),
  /** Node name (default n1, n2, ... by position). */
  name: name.optional(),
  /** Expected host key fingerprint as `ssh-keygen -l` prints it (SHA256:...); unset accepts any host key. */
  hostKeyFingerprint: z.string().optional(),
  ...z.strictObject(credentials).partial().shape,
});

export const sshOptionsSchema = z.strictObject({
  /** The cluster's name (heal state is filed under it). Default "ssh". */
  name: name.optional(),
  nodes: z
    .array(z.union([z.string().regex(/\S/, { error: 'expected a host name' }), sshNodeSchema]))
    .min(1, { error: 'expected at least 1 item(s)' }),
  /** Node directories are <baseDir>/<node>/ (default /var/lib/faultline). */
  baseDir: path.optional(),
  /** The controller's address as the nodes see it (default: from $SSH_CONNECTION on the first node). */
  controllerAddress: z.string().optional(),
  /** How long to wait for a connection's handshake (default 10000 ms). */
  connectTimeoutMs: int(1).optional(),
  ...z.strictObject(credentials).partial().shape,
});

export type SshCredentials = z.input<z.ZodObject<typeof credentials>>;
export type SshNodeOptions = z.input<typeof sshNodeSchema>;
export type SshRuntimeOptions = z.input<typeof sshOptionsSchema>;
