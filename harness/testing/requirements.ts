/**
 * Tests that need root or a system package skip with a printed reason when it
 * is absent. In CI (CI=true) nothing may be skipped silently: a missing
 * requirement fails the test instead, so a broken install step cannot hide.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export function isRoot(): boolean {
  return typeof process.getuid === 'function' && process.getuid() === 0;
}

export function hasCommand(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * Returns the reason these requirements are not met, or undefined when they are.
 * Use as `describe.skipIf(missing(...))`; the reason is printed once.
 * In CI it throws, so the suite fails loudly rather than skipping.
 */
export function missing(requirements: { root?: boolean; commands?: string[]; paths?: string[] }): string | undefined {
  const reasons: string[] = [];
  if (requirements.root && !isRoot()) reasons.push('needs root');
  for (const c of requirements.commands ?? []) if (!hasCommand(c)) reasons.push(`needs \`${c}\` (apt)`);
  for (const p of requirements.paths ?? []) if (!existsSync(p)) reasons.push(`needs ${p}`);
  if (reasons.length === 0) return undefined;
  const reason = reasons.join(', ');
  if (process.env.CI === 'true') throw new Error(`CI must run every test, but: ${reason}`);
  console.warn(`skipping: ${reason}`);
  return reason;
}
