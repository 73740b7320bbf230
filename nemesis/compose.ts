/**
 * Combining nemeses and packages (Jepsen's nemesis/compose and
 * combined/compose-packages): ops are routed by f to the nemesis that
 * handles it; heal and teardown reach every nemesis even when one fails.
 */
import { mix, sequence } from '../harness/generator/index.js';
import type { Nemesis, NemesisContext, NemesisPackage } from './nemesis.js';
import { noopNemesis, noopPackage } from './noop.js';
import { errorMessage } from './util.js';

/**
 * One nemesis handling the fs of all of `nemeses`. Throws an Error when two
 * nemeses claim the same f. An op with an f no one handles yields a result with an error.
 */
export function composeNemeses(nemeses: readonly Nemesis[]): Nemesis {
  if (nemeses.length === 0) return noopNemesis;
  if (nemeses.length === 1) return nemeses[0]!;
  const byF = new Map<string, Nemesis>();
  for (const n of nemeses) {
    for (const f of n.fs) {
      const other = byF.get(f);
      if (other) throw new Error(`nemeses ${other.name} and ${n.name} both handle "${f}"`);
      byF.set(f, n);
    }
  }
  const all = async (what: string, fn: (n: Nemesis) => Promise<void>) => {
    const failures: string[] = [];
    let first: unknown;
    for (const n of nemeses) {
      try {
        await fn(n);
      } catch (err) {
        failures.push(`${n.name}: ${errorMessage(err)}`);
        first ??= err;
      }
    }
    if (failures.length > 0) throw new Error(`${what} failed for ${failures.join('; ')}`, { cause: first });
  };
  return {
    name: nemeses.map((n) => n.name).join('+'),
    fs: [...byF.keys()],
    setup: (ctx: NemesisContext) => all('nemesis setup', (n) => n.setup(ctx)),
    async invoke(ctx, op) {
      const n = byF.get(op.f);
      if (!n) return { value: null, error: `no nemesis handles "${op.f}" (known: ${[...byF.keys()].join(', ')})` };
      return n.invoke(ctx, op);
    },
    heal: (ctx) => all('heal', (n) => n.heal(ctx)),
    teardown: (ctx) => all('nemesis teardown', (n) => n.teardown(ctx)),
    warnings: () => nemeses.flatMap((n) => n.warnings?.() ?? []),
    nodeEnv: (runtime, node) => Object.assign({}, ...nemeses.map((n) => n.nodeEnv?.(runtime, node) ?? {})),
  };
}

/**
 * One package from several: ops from a random package's generator each time
 * (Jepsen's mix), then every package's final (healing) generator in turn.
 */
export function composePackages(pkgs: readonly NemesisPackage[]): NemesisPackage {
  if (pkgs.length === 0) return noopPackage;
  if (pkgs.length === 1) return pkgs[0]!;
  return {
    name: pkgs.map((p) => p.name).join(','),
    nemesis: composeNemeses(pkgs.map((p) => p.nemesis)),
    generator: mix(...pkgs.map((p) => p.generator)),
    finalGenerator: sequence(...pkgs.map((p) => p.finalGenerator)),
    windows: pkgs.flatMap((p) => p.windows),
  };
}

/**
 * The same nemesis with every call (setup, invoke, heal, teardown) run one at
 * a time, in call order. So a heal that arrives while a fault is being applied
 * (a signal mid-op) waits for it and then undoes it, instead of running first
 * and leaving the fault behind.
 */
export function serialized(nemesis: Nemesis): Nemesis {
  let tail: Promise<unknown> = Promise.resolve();
  const queue = <T>(fn: () => Promise<T>): Promise<T> => {
    const result = tail.then(fn, fn);
    tail = result.catch(() => undefined);
    return result;
  };
  const wrapped: Nemesis = {
    name: nemesis.name,
    fs: nemesis.fs,
    setup: (ctx) => queue(() => nemesis.setup(ctx)),
    invoke: (ctx, op) => queue(() => nemesis.invoke(ctx, op)),
    heal: (ctx) => queue(() => nemesis.heal(ctx)),
    teardown: (ctx) => queue(() => nemesis.teardown(ctx)),
  };
  if (nemesis.warnings) wrapped.warnings = () => nemesis.warnings!();
  if (nemesis.nodeEnv) wrapped.nodeEnv = (runtime, node) => nemesis.nodeEnv!(runtime, node);
  return wrapped;
}
