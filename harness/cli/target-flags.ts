/**
 * The flags of the targets' options on `faultline test` (readMode ->
 * --read-mode): every registered target's, each once, as text; the chosen
 * target's schema reads them (targets/options.ts), so a flag of another
 * target is refused there with a message naming it.
 */
import type { Options } from 'yargs';
import { allTargets } from '../../targets/index.js';
import { type TargetFlag, targetFlags } from '../../targets/options.js';

const GROUP = 'Target options:';

function flags(): TargetFlag[] {
  const seen = new Map<string, TargetFlag & { targets: string[] }>();
  for (const target of allTargets()) {
    for (const flag of targetFlags(target)) {
      const known = seen.get(flag.key);
      if (known) known.targets.push(target.name);
      else seen.set(flag.key, { ...flag, targets: [target.name] });
    }
  }
  return [...seen.values()].map((f) => ({
    ...f,
    description:
      `${f.targets.join(', ')}: ${f.description}` +
      (f.choices ? ` [${f.choices.join(' | ')}]` : '') +
      (f.default === undefined ? '' : ` (default ${String(f.default)})`),
  }));
}

/** yargs options for every target option flag (text; the target's schema judges the value). */
export function targetFlagOptions(): Record<string, Options> {
  return Object.fromEntries(
    flags().map((f) => [f.flag.slice(2), { describe: f.description, type: 'string', group: GROUP }]),
  );
}

/** The target option flags given on the command line, by option key. */
export function givenTargetFlags(args: Record<string, unknown>): Record<string, string> {
  const given: Record<string, string> = {};
  for (const f of flags()) {
    const value = args[f.key];
    if (value !== undefined) given[f.key] = String(value);
  }
  return given;
}
