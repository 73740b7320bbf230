/**
 * The target registry: every system faultline can test, by name.
 * To add one, write targets/<name>/index.ts exporting a Target and add it here.
 */
import { UserError } from '../harness/errors.js';
import { etcdTarget } from './etcd/index.js';
import type { Target } from './target.js';

const targets: Record<string, Target> = {
  etcd: etcdTarget,
};

export function targetNames(): string[] {
  return Object.keys(targets);
}

/** The target called `name`; throws UserError naming --target and the known names when there is none. */
export function getTarget(name: string): Target {
  const target = Object.hasOwn(targets, name) ? targets[name] : undefined;
  if (!target)
    throw new UserError(`unknown target ${JSON.stringify(name)} (known: ${targetNames().join(', ')})`, {
      where: '--target',
    });
  return target;
}
