/**
 * Installing a target's Debian packages on a node through the runtime, when
 * what it needs is missing (the docker node image and a host set up by
 * scripts/setup.sh already have them; an ssh node may not).
 */
import type { TargetContext } from './target.js';

/**
 * Makes sure `probe` (a shell test, e.g. `command -v etcd`) succeeds on the
 * node, installing `packages` with apt-get when it does not. Throws naming
 * the node and apt-get's last words when it still fails afterwards.
 */
export async function ensurePackages(
  ctx: TargetContext<unknown>,
  node: string,
  packages: readonly string[],
  probe: string,
): Promise<void> {
  const present = await ctx.runtime.exec(node, ['sh', '-c', probe], { check: false });
  if (present.exitCode === 0) return;
  const list = packages.join(' ');
  ctx.log.info(`${node}: installing ${list} with apt-get (\`${probe}\` failed)`);
  const script =
    `export DEBIAN_FRONTEND=noninteractive; apt-get install -y -q ${list} || ` +
    `{ apt-get update -q && apt-get install -y -q ${list}; }`;
  const installed = await ctx.runtime.exec(node, ['sh', '-c', script], { check: false, timeoutMs: 600_000 });
  const after = await ctx.runtime.exec(node, ['sh', '-c', probe], { check: false });
  if (after.exitCode !== 0) {
    throw new Error(
      `${node}: cannot install ${list} (apt-get install exited ${installed.exitCode}): ` +
        installed.stderr.trim().slice(-500),
    );
  }
}
