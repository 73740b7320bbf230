/**
 * Clock skew without touching the host's clock: the SUT's processes run under
 * libfaketime (LD_PRELOAD), reading a per-node offset file on every clock
 * call (FAKETIME_NO_CACHE=1). The nemesis rewrites that file while they run.
 * Only the wall clock is skewed (FAKETIME_DONT_FAKE_MONOTONIC=1), like a
 * misbehaving NTP, never the monotonic clock.
 *
 * The nemesis's nodeEnv is `clockEnv`, which the run passes to the target
 * (TargetContext.nodeEnv) only when the clock fault runs: with no-cache,
 * every time call of the SUT reads the offset file.
 * The nemesis's setup writes a zero offset file on every node, so run it
 * before the SUT starts: a SUT started under clockEnv then reads offset 0.
 *
 * Programs that bypass libc for time (Go reads it through the vDSO) ignore
 * libfaketime; targets say so with ClockSensitivity.ignoresFaketime, and then
 * this nemesis does nothing but warn, rather than report skew that did not happen.
 *
 * Ops (offsets in milliseconds, relative to the real clock):
 * - bump-clock, value { deltas: { node: ms } } or { nodes: NodeSpec, ms }: adds to the offsets.
 * - strobe-clock, value { nodes: NodeSpec, deltaMs, periodMs, durationMs }: flips each
 *   node between its offset and offset + deltaMs every periodMs for durationMs, then back.
 * - reset-clock: every offset back to 0.
 * Every result holds the offsets set and the offsets measured on the nodes afterwards.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Json } from '../../harness/history/op.js';
import type { Runtime } from '../../harness/runtime/runtime.js';
import { hasClockSensitivity } from '../../targets/target.js';
import { checkStateDir, type FaultKind, HealState, recordFault } from '../heal-state.js';
import type { Nemesis, NemesisContext, NemesisOp } from '../nemesis.js';
import { type NodeExec, sh } from '../node-shell.js';
import { type NodeSpec, resolveSpec, specFromValue } from '../node-spec.js';
import { attempt, forEachNode, names } from '../util.js';

const KIND: FaultKind = 'clock';
const FALLBACK_LIBFAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
let libfaketime: string | undefined;

/** Where libfaketime.so.1 is, from the libfaketime package's file list (else the Debian amd64 path). */
export function libfaketimePath(): string {
  if (libfaketime !== undefined) return libfaketime;
  try {
    const files = execFileSync('dpkg', ['-L', 'libfaketime'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    libfaketime =
      files.split('\n').find((f) => f.endsWith('/libfaketime.so.1') && existsSync(f)) ?? FALLBACK_LIBFAKETIME;
  } catch {
    libfaketime = FALLBACK_LIBFAKETIME;
  }
  return libfaketime;
}

/** The offset file of a node. */
export function offsetFile(runtime: Pick<Runtime, 'nodeDir'>, node: string): string {
  return path.join(runtime.nodeDir(node), 'faketime.offset');
}

/**
 * The environment that puts a process on `node` under the clock nemesis:
 * pass it to the SUT's daemons (TargetContext.nodeEnv).
 */
export function clockEnv(ctx: { runtime: Pick<Runtime, 'nodeDir'> }, node: string): Record<string, string> {
  return {
    LD_PRELOAD: libfaketimePath(),
    FAKETIME_TIMESTAMP_FILE: offsetFile(ctx.runtime, node),
    FAKETIME_NO_CACHE: '1',
    FAKETIME_DONT_FAKE_MONOTONIC: '1',
  };
}

/** A libfaketime relative offset for `ms` milliseconds, e.g. 1500 -> "+1.500", -200 -> "-0.200" (seconds). */
export function faketimeSpec(ms: number): string {
  const sign = ms < 0 ? '-' : '+';
  return `${sign}${(Math.abs(Math.round(ms)) / 1000).toFixed(3)}`;
}

// $1 = spec, $2 = file: write atomically (libfaketime may read it at any moment).
const WRITE_OFFSET = `mkdir -p "$(dirname "$2")" && printf '%s\\n' "$1" > "$2.tmp" && mv -f "$2.tmp" "$2"`;

// $1 = file, $2 = spec a, $3 = spec b, $4 = period (s), $5 = duration (ms).
const STROBE = `file=$1 a=$2 b=$3 period=$4 dur=$5
put() { printf '%s\\n' "$1" > "$file.tmp" && mv -f "$file.tmp" "$file"; }
end=$(( $(date +%s%N) / 1000000 + dur )); flips=0
while [ "$(( $(date +%s%N) / 1000000 ))" -lt "$end" ]; do
  put "$b"; sleep "$period"; put "$a"; sleep "$period"; flips=$((flips + 2))
done
put "$a"; echo "$flips"`;

export async function writeOffset(
  runtime: NodeExec & Pick<Runtime, 'nodeDir'>,
  node: string,
  ms: number,
): Promise<void> {
  await sh(runtime, node, WRITE_OFFSET, [faketimeSpec(ms), offsetFile(runtime, node)]);
}

/**
 * The offset (ms) a libc program on the node sees under clockEnv, against the
 * controller's clock: `date +%s%N` compared with the middle of the call.
 * `uncertaintyMs` is half the call's duration.
 */
export async function measureOffset(
  runtime: Runtime,
  node: string,
): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  const before = Date.now();
  const { stdout } = await runtime.exec(node, ['date', '+%s%N'], {
    env: clockEnv({ runtime }, node),
    timeoutMs: 10_000,
  });
  const after = Date.now();
  const nodeMs = Number(BigInt(stdout.trim()) / 1_000_000n);
  return { offsetMs: nodeMs - (before + after) / 2, uncertaintyMs: (after - before) / 2 };
}

/** Sets every listed node's offset back to 0. Idempotent. */
export async function healClock(runtime: NodeExec & Pick<Runtime, 'nodeDir'>, nodes: readonly string[]): Promise<void> {
  await forEachNode(nodes, (node) => writeOffset(runtime, node, 0));
}

export interface ClockOptions {
  /** Default nodes for bump and strobe (default "one"). */
  nodes?: NodeSpec;
}

export function clockNemesis(opts: ClockOptions = {}): Nemesis {
  const offsets: Record<string, number> = {};
  const warnings: string[] = [];
  const ignored = (ctx: NemesisContext): string | undefined =>
    hasClockSensitivity(ctx.target) && ctx.target.ignoresFaketime !== undefined
      ? `${ctx.target.name} ignores libfaketime (${ctx.target.ignoresFaketime}): clock skew was not applied`
      : undefined;

  const measureAll = async (ctx: NemesisContext, nodes: string[]): Promise<Json> => {
    const measured = await forEachNode(nodes, (node) => measureOffset(ctx.runtime, node));
    return Object.fromEntries(
      Object.entries(measured).map(([node, m]) => [
        node,
        { offsetMs: Math.round(m.offsetMs), uncertaintyMs: Math.ceil(m.uncertaintyMs) },
      ]),
    );
  };

  const setOffsets = async (ctx: NemesisContext, changes: Record<string, number>) => {
    await recordFault(ctx, KIND, { nodes: names(ctx.runtime.nodes()) });
    await forEachNode(Object.keys(changes), async (node) => {
      await writeOffset(ctx.runtime, node, changes[node]!);
      offsets[node] = changes[node]!;
    });
  };

  return {
    name: 'clock',
    fs: ['bump-clock', 'strobe-clock', 'reset-clock'],
    nodeEnv: (runtime, node) => clockEnv({ runtime }, node),
    async setup(ctx) {
      await checkStateDir(ctx.stateDir);
      const reason = ignored(ctx);
      if (reason) {
        ctx.log.warn(`clock nemesis: ${reason}`);
        if (!warnings.includes(reason)) warnings.push(reason);
        return;
      }
      // Every node's offset file says 0 from here on: a SUT started after this
      // setup (as the run does) reads 0 until a bump. A SUT already running reads
      // the file on its next clock call.
      await healClock(ctx.runtime, names(ctx.runtime.nodes()));
    },
    async invoke(ctx: NemesisContext, op: NemesisOp) {
      const reason = ignored(ctx);
      if (reason) {
        ctx.log.warn(`clock nemesis: ${op.f} skipped: ${reason}`);
        return { value: { skipped: true, warning: reason } };
      }
      const all = names(ctx.runtime.nodes());
      const v = op.value !== null && typeof op.value === 'object' && !Array.isArray(op.value) ? op.value : {};
      if (op.f === 'reset-clock') {
        return attempt(async () => {
          await setOffsets(ctx, Object.fromEntries(all.map((n) => [n, 0])));
          const measured = await measureAll(ctx, all);
          await new HealState(ctx.stateDir).clear(KIND);
          return { offsets: { ...offsets }, measured };
        });
      }
      if (op.f === 'bump-clock') {
        return attempt(async () => {
          let deltas: Record<string, number>;
          if (v.deltas !== null && typeof v.deltas === 'object' && !Array.isArray(v.deltas)) {
            deltas = Object.fromEntries(Object.entries(v.deltas).map(([n, ms]) => [n, Number(ms)]));
            const unknown = Object.keys(deltas).filter((n) => !all.includes(n));
            if (unknown.length > 0) throw new Error(`unknown node(s) ${unknown.join(', ')}`);
          } else {
            const nodes = await resolveSpec(ctx, specFromValue(op.value, opts.nodes ?? 'one', 'bump-clock value'));
            deltas = Object.fromEntries(nodes.map((n) => [n, Number(v.ms ?? 0)]));
          }
          if (Object.values(deltas).some((ms) => !Number.isFinite(ms)))
            throw new Error('clock deltas must be numbers of milliseconds');
          await setOffsets(
            ctx,
            Object.fromEntries(Object.entries(deltas).map(([n, ms]) => [n, (offsets[n] ?? 0) + ms])),
          );
          return { deltas, offsets: { ...offsets }, measured: await measureAll(ctx, Object.keys(deltas)) };
        });
      }
      // strobe-clock
      return attempt(async () => {
        const nodes = await resolveSpec(ctx, specFromValue(op.value, opts.nodes ?? 'one', 'strobe-clock value'));
        const deltaMs = Number(v.deltaMs ?? 200);
        const periodMs = Number(v.periodMs ?? 10);
        const durationMs = Number(v.durationMs ?? 1000);
        if (
          ![deltaMs, periodMs, durationMs].every(Number.isFinite) ||
          periodMs <= 0 ||
          durationMs < 0 ||
          durationMs > 600_000
        ) {
          throw new Error('strobe-clock needs finite deltaMs, periodMs > 0 and 0 <= durationMs <= 600000');
        }
        await recordFault(ctx, KIND, { nodes: all });
        const flips = await forEachNode(nodes, async (node) => {
          const base = offsets[node] ?? 0;
          const { stdout } = await sh(
            ctx.runtime,
            node,
            STROBE,
            [
              offsetFile(ctx.runtime, node),
              faketimeSpec(base),
              faketimeSpec(base + deltaMs),
              String(periodMs / 1000),
              String(durationMs),
            ],
            { timeoutMs: durationMs + 30_000 },
          );
          return Number(stdout.trim());
        });
        return {
          strobe: { nodes, deltaMs, periodMs, durationMs },
          flips,
          offsets: { ...offsets },
          measured: await measureAll(ctx, nodes),
        };
      });
    },
    async heal(ctx) {
      if (ignored(ctx)) return;
      await healClock(ctx.runtime, names(ctx.runtime.nodes()));
      for (const k of Object.keys(offsets)) offsets[k] = 0;
      await new HealState(ctx.stateDir).clear(KIND);
    },
    async teardown() {},
    warnings: () => [...warnings],
  };
}
