/**
 * Our iptables rules on a node. Each fault kind owns one chain, jumped to
 * from the top of INPUT, so healing flushes and deletes exactly what we added
 * and never touches anyone else's rules.
 */
import type { NodeExec } from './node-shell.js';
import { sh } from './node-shell.js';

export const PARTITION_CHAIN = 'FAULTLINE-PART';
export const PACKET_CHAIN = 'FAULTLINE-PKT';

/** One rule of ours: drop inbound traffic from `source`, with `probability` when given (statistic match). */
export interface DropRule {
  source: string;
  probability?: number;
}

/** `iptables` argument lists appending `rules` to `chain` (pure; exported for tests). */
export function dropRuleArgs(chain: string, rules: readonly DropRule[]): string[][] {
  return rules.map((r) => {
    const args = ['-A', chain, '-s', r.source];
    if (r.probability !== undefined)
      args.push('-m', 'statistic', '--mode', 'random', '--probability', String(r.probability));
    return [...args, '-j', 'DROP'];
  });
}

// $1 = chain; then one rule per argument, its iptables words separated by spaces.
// Creates or empties the chain, makes sure INPUT jumps to it first, appends the rules.
const INSTALL = `chain=$1; shift
iptables -w -N "$chain" 2>/dev/null || iptables -w -F "$chain" || exit 1
iptables -w -C INPUT -j "$chain" 2>/dev/null || iptables -w -I INPUT 1 -j "$chain" || exit 1
for rule in "$@"; do iptables -w $rule || exit 1; done
iptables -w -S "$chain"`;

// $1 = chain. Removes every jump to it, flushes and deletes it; fine when it does not exist.
const REMOVE = `chain=$1
while iptables -w -C INPUT -j "$chain" 2>/dev/null; do iptables -w -D INPUT -j "$chain" || exit 1; done
if iptables -w -S "$chain" >/dev/null 2>&1; then iptables -w -F "$chain" && iptables -w -X "$chain" || exit 1; fi
! iptables -w -S | grep -q -- "$chain"`;

/**
 * Replaces the rules of `chain` on `node` with `rules` and checks they are
 * in place. Resolves with the chain's listing; rejects with
 * RuntimeCommandError when iptables fails, or an Error when a rule is missing
 * from the listing afterwards.
 */
export async function installDropRules(
  runtime: NodeExec,
  node: string,
  chain: string,
  rules: readonly DropRule[],
): Promise<string> {
  const ruleWords = dropRuleArgs(chain, rules).map((args) => args.join(' '));
  const { stdout } = await sh(runtime, node, INSTALL, [chain, ...ruleWords]);
  const listed = stdout.split('\n').filter((l) => l.startsWith(`-A ${chain} `)).length;
  if (listed !== rules.length) {
    throw new Error(`on ${node}: expected ${rules.length} rule(s) in ${chain}, iptables lists ${listed}:\n${stdout}`);
  }
  return stdout;
}

/**
 * Removes `chain` and the jump to it from `node`. Idempotent. Rejects with
 * RuntimeCommandError when iptables fails or a trace of the chain remains.
 */
export async function removeChain(runtime: NodeExec, node: string, chain: string): Promise<void> {
  await sh(runtime, node, REMOVE, [chain]);
}

/** The whole ruleset of a node (`iptables -S`), e.g. to check nothing of ours is left. */
export async function listRules(runtime: NodeExec, node: string): Promise<string> {
  return (await sh(runtime, node, 'iptables -w -S')).stdout;
}
