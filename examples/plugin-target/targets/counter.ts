/**
 * A faultline target for the counter service (../server.mjs), written in
 * this project, against faultline's published types:
 *
 *   faultline test --target ./targets/counter.ts --workload ./workloads/counter.ts --nemesis partition,kill
 *
 * Each node runs `node server.mjs` as a daemon through the runtime, so the
 * kill and pause faults work; the option counterPort is also the flag
 * --counter-port. The server runs with this controller's node binary, which
 * netns nodes (the default runtime) share.
 */
import { fileURLToPath } from 'node:url';
import { defineTarget, type TargetContext } from 'faultline';
import { z } from 'zod';
import { CounterClient } from './counter-client.js';

const SERVER = fileURLToPath(new URL('../server.mjs', import.meta.url));
const DAEMON = 'counter';

const options = z.strictObject({
  counterPort: z.number().int().min(1).max(65_535).default(8200).describe('the port the counter serves on'),
});
type Ctx = TargetContext<z.output<typeof options>>;

function logFile(ctx: Ctx, node: string): string {
  return `${ctx.runtime.nodeDir(node)}/counter.log`;
}

async function startServer(ctx: Ctx, node: string): Promise<void> {
  const port = ctx.options.counterPort;
  const home = ctx.nodes[0]!;
  await ctx.runtime.startDaemon(node, {
    name: DAEMON,
    argv: [process.execPath, SERVER, `${ctx.runtime.node(node).address}:${port}`, `${home.address}:${port}`],
    logFile: logFile(ctx, node),
  });
}

async function healthy(ctx: Ctx, node: string): Promise<boolean> {
  try {
    const answer = await fetch(`http://${ctx.runtime.node(node).address}:${ctx.options.counterPort}/health`, {
      signal: AbortSignal.timeout(1_000),
    });
    return answer.ok;
  } catch {
    return false;
  }
}

async function waitUntil(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what}: not after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

export default defineTarget({
  name: 'counter',
  description: 'the counter service of examples/plugin-target (node server.mjs on each node)',
  options,
  packages: [],
  clients: { counter: (ctx: Ctx) => new CounterClient(ctx.options.counterPort) },

  async install() {
    // Nothing to install: the nodes run this controller's node (netns nodes share its files).
  },
  async setup(ctx: Ctx, node: string) {
    await ctx.runtime.stopDaemon(node, DAEMON);
    await startServer(ctx, node);
  },
  async start(ctx: Ctx, node: string) {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) await startServer(ctx, node);
  },
  async teardown(ctx: Ctx, node: string) {
    await ctx.runtime.stopDaemon(node, DAEMON, 2_000);
  },
  async awaitReady(ctx: Ctx, timeoutMs: number) {
    await waitUntil('every counter node answers', timeoutMs, async () => {
      const answers = await Promise.all(ctx.nodes.map((n) => healthy(ctx, n.name)));
      return answers.every(Boolean);
    });
  },
  logFiles(ctx: Ctx, node: string) {
    return [logFile(ctx, node)];
  },

  // Killable and Pausable: the kill and pause faults find these.
  async kill(ctx: Ctx, node: string) {
    if (!(await ctx.runtime.daemonRunning(node, DAEMON))) return;
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGKILL');
    await waitUntil(`${node} exits`, 10_000, async () => !(await ctx.runtime.daemonRunning(node, DAEMON)));
  },
  async pause(ctx: Ctx, node: string) {
    await ctx.runtime.signalDaemon(node, DAEMON, 'SIGSTOP');
  },
  async resume(ctx: Ctx, node: string) {
    if (await ctx.runtime.daemonRunning(node, DAEMON)) await ctx.runtime.signalDaemon(node, DAEMON, 'SIGCONT');
  },
});
