/**
 * The target registry: every system faultline can test, by name.
 * To add one, write targets/<name>/index.ts exporting a Target and add it here.
 */
import { UserError } from '../harness/errors.js';
import { etcdTarget } from './etcd/index.js';
import { galeraTarget } from './galera/index.js';
import { postgresTarget } from './postgres/index.js';
import { processTarget } from './process/index.js';
import { redisTarget } from './redis/index.js';
import type { AnyTarget } from './target.js';
import { zookeeperTarget } from './zookeeper/index.js';

const targets: Record<string, AnyTarget> = {
  etcd: etcdTarget,
  galera: galeraTarget,
  postgres: postgresTarget,
  process: processTarget,
  redis: redisTarget,
  zookeeper: zookeeperTarget,
};

export function targetNames(): string[] {
  return Object.keys(targets);
}

/** Every registered target (e.g. for the flags of their options, and the packages scripts/setup.sh installs). */
export function allTargets(): AnyTarget[] {
  return Object.values(targets);
}

/** The target called `name`; throws UserError naming --target and the known names when there is none. */
export function getTarget(name: string): AnyTarget {
  const target = Object.hasOwn(targets, name) ? targets[name] : undefined;
  if (!target)
    throw new UserError(`unknown target ${JSON.stringify(name)} (known: ${targetNames().join(', ')})`, {
      where: '--target',
    });
  return target;
}
