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
 *
 * members, addMember and removeMember (and join, optional) make it
 * Reconfigurable: the membership fault (./membership.ts).
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

/** The commands the membership fault needs (Reconfigurable): all three, or none. */
const MEMBERSHIP_KEYS = ['members', 'addMember', 'removeMember'] as const;

export const processOptionsSchema = z
  .strictObject({
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
    members: command('members')
      .optional()
      .describe(
        "shell command on a node that prints the cluster's members (node names or addresses); with addMember and removeMember it allows the membership fault",
      ),
    addMember: command('addMember')
      .optional()
      .describe(
        'shell command run on a member to add {member} (at {memberAddress}) to the cluster; faultline then starts it with empty data (join)',
      ),
    removeMember: command('removeMember')
      .optional()
      .describe(
        'shell command run on another member to remove {member} from the cluster; faultline then stops it and wipes its data',
      ),
    join: command('join')
      .optional()
      .describe(
        'shell command that runs a member added back, with empty data, in the foreground; {members} are the members after the add (default: start)',
      ),
  })
  .superRefine((options, ctx) => {
    // The membership commands come together: a fault that can remove members must be able to list and add them back.
    const given = MEMBERSHIP_KEYS.filter((key) => options[key] !== undefined);
    if (given.length === 0 && options.join === undefined) return;
    for (const key of MEMBERSHIP_KEYS) {
      if (options[key] !== undefined) continue;
      const because = given.length > 0 ? given.join(' and ') : 'join';
      ctx.addIssue({
        code: 'custom',
        path: [key],
        message: `expected a shell command: the membership commands members, addMember and removeMember come together (${because} given)`,
      });
    }
  });

export type ProcessOptions = z.output<typeof processOptionsSchema>;
