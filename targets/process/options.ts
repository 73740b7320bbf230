/**
 * The process target's options: the whole target, in the config file's
 * test.targetOptions (or a flag each: --start, --client, ...). Commands are
 * shell commands (sh -c) with placeholders (./placeholders.ts).
 *
 *   test:
 *     target: process
 *     targetOptions:
 *       start: python3 {dir}/kvserver.py --node {node} --listen {address}:{port} --data {dataDir}
 *       client: python3 client.py
 *       port: 8100
 */
import { z } from 'zod';

const command = (what: string) =>
  z
    .string({ error: `expected a shell command (${what})` })
    .regex(/\S/, { error: `expected a shell command (${what})` });

const port = z
  .number({ error: 'expected a port number (1-65535)' })
  .int({ error: 'expected a port number (1-65535)' })
  .min(1, { error: 'expected a port number (1-65535)' })
  .max(65_535, { error: 'expected a port number (1-65535)' });

export const processOptionsSchema = z.strictObject({
  install: command('install')
    .optional()
    .describe('shell command run once on each node before the first start, e.g. to install the system (optional)'),
  start: command('start').describe(
    'shell command that runs the system on a node, in the foreground: faultline runs it as a daemon (required)',
  ),
  stop: command('stop')
    .optional()
    .describe('shell command run on a node to stop the system, before SIGTERM and SIGKILL of the daemon (optional)'),
  port: port.default(8000).describe('the port {port} stands for on every node'),
  readyPort: port
    .optional()
    .describe('a node is ready once this TCP port on it accepts connections (default: port); see readyCommand'),
  readyCommand: command('readyCommand')
    .optional()
    .describe('shell command on a node that exits 0 once the node is ready (instead of the TCP port check)'),
  logFiles: z
    .array(z.string({ error: 'expected a file path' }), { error: 'expected a list of files' })
    .default([])
    .describe("more log files to collect from each node, e.g. {dataDir}/server.log (the daemon's output always is)"),
  primary: command('primary')
    .optional()
    .describe("shell command on a node that prints the current leader's node name or address (optional)"),
  client: command('client').describe(
    'command that starts one client adapter on the controller, speaking JSON Lines on stdin and stdout (required)',
  ),
  linearizableReads: z
    .boolean({ error: 'expected true or false' })
    .default(false)
    .describe('whether the system promises linearizable reads (then a stale read in the set workload is an anomaly)'),
});

export type ProcessOptions = z.output<typeof processOptionsSchema>;
