/**
 * The flags of the targets' options on `faultline test` (readMode ->
 * --read-mode): every registered target's, each once, as text; the chosen
 * target's schema reads them (targets/options.ts), so a flag of another
 * target is refused there with a message naming it. A plugin target's
 * flags are not known before it loads: `faultline test` takes flags it does
 * not declare as target options too (undeclaredFlags), and the target's
 * schema refuses those it does not have, naming the flag.
 */
import type { Options } from 'yargs';
import { allTargets } from '../../targets/index.js';
import { type TargetFlag, targetFlags } from '../../targets/options.js';

const GROUP = 'Target options:';

/**
 * Every target's flags, each once. A flag several targets share (e.g.
 * --read-from) lists each target's own description, choices and default
 * when they differ, and one description when they agree.
 */
function flags(): TargetFlag[] {
  const seen = new Map<string, { flag: TargetFlag; per: { target: string; text: string }[] }>();
  for (const target of allTargets()) {
    for (const flag of targetFlags(target)) {
      const text =
        flag.description +
        (flag.choices ? ` [${flag.choices.join(' | ')}]` : '') +
        (flag.type === 'list' ? ' (comma-separated)' : '') +
        (flag.default === undefined || (Array.isArray(flag.default) && flag.default.length === 0)
          ? ''
          : ` (default ${String(flag.default)})`);
      const known = seen.get(flag.key);
      if (known) known.per.push({ target: target.name, text });
      else seen.set(flag.key, { flag, per: [{ target: target.name, text }] });
    }
  }
  return [...seen.values()].map(({ flag, per }) => {
    const agree = per.every((p) => p.text === per[0]!.text);
    const description = agree
      ? `${per.map((p) => p.target).join(', ')}: ${per[0]!.text}`
      : per.map((p) => `${p.target}: ${p.text}`).join('; ');
    return { ...flag, description };
  });
}

/** yargs options for every target option flag (text; the target's schema judges the value). */
export function targetFlagOptions(): Record<string, Options> {
  return Object.fromEntries(
    flags().map((f) => [f.flag.slice(2), { describe: f.description, type: 'string', group: GROUP }]),
  );
}

/**
 * The flags given that the command does not declare (`declared`: its option
 * names as yargs lists them, kebab-case), as text by camelCase key.
 */
export function undeclaredFlags(args: Record<string, unknown>, declared: readonly string[]): Record<string, string> {
  const known = new Set(
    declared.flatMap((name) => [name, name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())]),
  );
  const given: Record<string, string> = {};
  for (const [key, value] of Object.entries(args)) {
    if (key === '_' || key === '$0' || key.includes('-') || known.has(key) || value === undefined) continue;
    given[key] = String(value);
  }
  return given;
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
