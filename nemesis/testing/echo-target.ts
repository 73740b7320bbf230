/**
 * A tiny test target: a TCP echo daemon on every node (node's own binary, so
 * only for runtimes sharing the host's filesystem, i.e. netns). Killable,
 * Pausable, and optionally HasPrimaries / ClockSensitivity, for the nemesis tests.
 */

import { z } from 'zod';
import { silentLogger } from '../../harness/log.js';
import type { Runtime } from '../../harness/runtime/runtime.js';
import type { Killable, Pausable, Target, TargetContext } from '../../targets/target.js';

export const ECHO_PORT = 7000;
export const ECHO_DAEMON = 'echo';

const SERVER = `require('node:net').createServer((s) => { s.on('error', () => {}); s.pipe(s); }).listen(${ECHO_PORT}, '0.0.0.0')`;

export type EchoTarget = Target & Killable & Pausable;

export function echoTarget(extra: Partial<{ primaries: string[]; ignoresFaketime: string }> = {}): EchoTarget {
  const start = async (ctx: TargetContext, node: string) => {
    await ctx.runtime.startDaemon(node, {
      name: ECHO_DAEMON,
      argv: [process.execPath, '-e', SERVER],
      env: ctx.nodeEnv(node),
    });
  };
  const target: EchoTarget = {
    name: 'echo',
    description: 'a TCP echo daemon (nemesis tests)',
    options: z.object({}),
    packages: [],
    clients: {},
    async install() {},
    setup: start,
    start,
    async teardown(ctx, node) {
      await ctx.runtime.stopDaemon(node, ECHO_DAEMON, 1000);
    },
    async awaitReady() {},
    logFiles: () => [],
    kill: (ctx, node) => ctx.runtime.signalDaemon(node, ECHO_DAEMON, 'SIGKILL'),
    pause: (ctx, node) => ctx.runtime.signalDaemon(node, ECHO_DAEMON, 'SIGSTOP'),
    resume: (ctx, node) => ctx.runtime.signalDaemon(node, ECHO_DAEMON, 'SIGCONT'),
  };
  if (extra.primaries) Object.assign(target, { primaries: async () => extra.primaries });
  if (extra.ignoresFaketime !== undefined) Object.assign(target, { ignoresFaketime: extra.ignoresFaketime });
  return target;
}

export function targetContext(
  runtime: Runtime,
  nodeEnv: (node: string) => Record<string, string> = () => ({}),
): TargetContext {
  return { runtime, nodes: runtime.nodes(), log: silentLogger, options: {}, nodeEnv };
}
