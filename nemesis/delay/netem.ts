/**
 * The delay through the kernel's netem qdisc, on nodes whose kernel has it
 * (this machine's has not: CONFIG_NET_SCH_NETEM is off, so this path is
 * exercised here only up to detection; see netem.test.ts).
 *
 * Per outgoing device: a prio root qdisc (handle 5a18:) whose three usual
 * bands keep the default priomap, a fourth band holding netem, and one u32
 * filter per delayed destination sending its packets to that band. Every
 * other packet takes the usual bands, undelayed. netem's options map one to
 * one: delay MEAN JITTER [distribution normal] reorder P duplicate P rate R
 * limit N (netem's jitter without a distribution is uniform, as ours).
 */
import { type NodeExec, sh } from '../node-shell.js';
import type { DelayOptions } from './options.js';

export const NETEM_HANDLE = '5a18:';

/**
 * Probes `node` for netem: adds a netem root qdisc to its loopback and takes
 * it away again. Resolves 'yes', 'no' (the kernel does not know the qdisc),
 * or 'unknown' (tc missing, or lo already has a root qdisc we must not touch).
 */
export async function probeNetem(runtime: NodeExec, node: string): Promise<'yes' | 'no' | 'unknown'> {
  const { stdout } = await sh(
    runtime,
    node,
    `command -v tc >/dev/null 2>&1 || { echo unknown; exit 0; }
if out=$(tc qdisc add dev lo root handle ${NETEM_HANDLE} netem delay 0ms 2>&1); then
  tc qdisc del dev lo root handle ${NETEM_HANDLE} 2>/dev/null; echo yes
elif printf '%s' "$out" | grep -qi 'unknown'; then echo no
else echo unknown; fi`,
  );
  const answer = stdout.trim();
  return answer === 'yes' || answer === 'no' ? answer : 'unknown';
}

/** The words after `netem` for `opts` (pure; exported for tests). */
export function netemArgs(opts: DelayOptions): string[] {
  const args = ['delay', `${opts.delayMs}ms`];
  if (opts.jitterMs > 0) {
    args.push(`${opts.jitterMs}ms`);
    if (opts.distribution === 'normal') args.push('distribution', 'normal');
  }
  if (opts.reorder > 0) args.push('reorder', `${opts.reorder * 100}%`);
  if (opts.duplicate > 0) args.push('duplicate', `${opts.duplicate * 100}%`);
  if (opts.rate !== undefined) args.push('rate', opts.rate);
  args.push('limit', String(opts.limit));
  return args;
}

// $1 = the netem words (space-separated), then the destinations. For each device a destination is routed
// through, replaces the root qdisc with ours and adds the destination's filter.
const INSTALL = `netem=$1; shift
devs=""
for d in "$@"; do
  dev=$(ip -o -4 route get "$d" | sed -n 's/.* dev \\([^ ]*\\).*/\\1/p')
  [ -n "$dev" ] || { echo "no route to $d" >&2; exit 1; }
  case " $devs " in *" $dev "*) ;; *)
    devs="$devs $dev"
    tc qdisc replace dev "$dev" root handle ${NETEM_HANDLE} prio bands 4 priomap 1 2 2 2 1 2 0 0 1 1 1 1 1 1 1 1 || exit 1
    tc qdisc add dev "$dev" parent ${NETEM_HANDLE}4 handle 5a19: netem $netem || exit 1 ;;
  esac
  tc filter add dev "$dev" parent ${NETEM_HANDLE} protocol ip prio 1 u32 match ip dst "$d/32" flowid ${NETEM_HANDLE}4 || exit 1
done
echo $devs`;

// Removes our root qdisc (and with it netem and the filters) from every device; fine without tc.
const REMOVE = `command -v tc >/dev/null 2>&1 || exit 0
for path in /sys/class/net/*; do
  dev=\${path##*/}
  if tc qdisc show dev "$dev" 2>/dev/null | grep -q "qdisc prio ${NETEM_HANDLE} root"; then
    tc qdisc del dev "$dev" root || exit 1
  fi
done; true`;

/** Delays `node`'s packets to `destinations` with netem. Resolves with the devices changed. */
export async function installNetem(
  runtime: NodeExec,
  node: string,
  opts: DelayOptions,
  destinations: readonly string[],
): Promise<string[]> {
  const { stdout } = await sh(runtime, node, INSTALL, [netemArgs(opts).join(' '), ...destinations]);
  return stdout.trim().split(/\s+/).filter(Boolean);
}

/** Removes our netem qdiscs from `node`. Idempotent. */
export async function removeNetem(runtime: NodeExec, node: string): Promise<void> {
  await sh(runtime, node, REMOVE);
}
