/**
 * The iptables rules that hand a node's outgoing packets to its helper: our
 * own chain, FAULTLINE-DELAY, in the mangle table, jumped to from the top of
 * OUTPUT. In the mangle table, so a packet released after its delay goes on
 * through the filter table (an NF_ACCEPT verdict skips only the rest of the
 * table that queued it): the node's own filter rules, and our partitions,
 * still see every delayed packet.
 *
 *   -A FAULTLINE-DELAY -m mark --mark <DUP_MARK> -j RETURN      the helper's duplicates pass
 *   -A FAULTLINE-DELAY -d <peer>/32 -j NFQUEUE --queue-num <Q> --queue-bypass
 *
 * --queue-bypass: should the helper die, packets flow undelayed rather than
 * being dropped (a dead helper must never turn into a partition).
 */
import { type NodeExec, sh } from '../node-shell.js';

export const DELAY_CHAIN = 'FAULTLINE-DELAY';
/** The NFQUEUE number (queues are per network namespace, so every node uses the same one). */
export const DELAY_QUEUE = 23063;
/** The mark of the packets the helper sends itself (duplicates): the chain lets them pass. */
export const DUP_MARK = 0x5a17de1a;

// $1 = queue, $2 = mark, then the destination addresses. Creates or empties the chain, jumps to it first.
const INSTALL = `chain=${DELAY_CHAIN} q=$1 mark=$2; shift 2
ipt() { iptables -w -t mangle "$@"; }
ipt -N "$chain" 2>/dev/null || ipt -F "$chain" || exit 1
ipt -C OUTPUT -j "$chain" 2>/dev/null || ipt -I OUTPUT 1 -j "$chain" || exit 1
ipt -A "$chain" -m mark --mark "$mark" -j RETURN || exit 1
for d in "$@"; do ipt -A "$chain" -d "$d" -j NFQUEUE --queue-num "$q" --queue-bypass || exit 1; done
ipt -S "$chain"`;

// Removes every jump to the chain, flushes and deletes it; fine when it does not exist.
const REMOVE = `chain=${DELAY_CHAIN}
ipt() { iptables -w -t mangle "$@"; }
while ipt -C OUTPUT -j "$chain" 2>/dev/null; do ipt -D OUTPUT -j "$chain" || exit 1; done
if ipt -S "$chain" >/dev/null 2>&1; then ipt -F "$chain" && ipt -X "$chain" || exit 1; fi
! ipt -S | grep -q -- "$chain"`;

/**
 * Replaces the delay rules of `node` with one NFQUEUE rule per address in
 * `destinations` and checks they are listed. Resolves with the chain's
 * listing; rejects with RuntimeCommandError when iptables fails, or an Error
 * when the listing does not hold every rule.
 */
export async function installDelayRules(runtime: NodeExec, node: string, destinations: readonly string[]) {
  const { stdout } = await sh(runtime, node, INSTALL, [
    String(DELAY_QUEUE),
    `0x${DUP_MARK.toString(16)}`,
    ...destinations,
  ]);
  const queued = stdout.split('\n').filter((l) => l.startsWith(`-A ${DELAY_CHAIN} `) && l.includes('NFQUEUE'));
  if (queued.length !== destinations.length) {
    throw new Error(`on ${node}: expected ${destinations.length} NFQUEUE rule(s) in ${DELAY_CHAIN}, got:\n${stdout}`);
  }
  return stdout;
}

/** Removes the delay chain and the jump to it from `node`. Idempotent; rejects when a trace of it remains. */
export async function removeDelayRules(runtime: NodeExec, node: string): Promise<void> {
  await sh(runtime, node, REMOVE);
}

/** The node's mangle table (`iptables -t mangle -S`), e.g. to check nothing of ours is left. */
export async function listMangleRules(runtime: NodeExec, node: string): Promise<string> {
  return (await sh(runtime, node, 'iptables -w -t mangle -S')).stdout;
}
