/**
 * The workload registry, by name. To add one, write workloads/<name>/index.ts
 * exporting a Workload and add it here.
 */
import { UserError } from '../harness/history/errors.js';
import { bankWorkloadDefault } from './bank/index.js';
import { casRegisterWorkload } from './cas-register/index.js';
import { listAppendWorkloadDefault } from './list-append/index.js';
import { noopWorkload } from './noop/index.js';
import { registerWorkload } from './register/index.js';
import { rwRegisterWorkloadDefault } from './rw-register/index.js';
import { sessionWorkload } from './session/index.js';
import { setWorkload } from './set/index.js';
import type { Workload } from './workload.js';

const workloads: Record<string, Workload> = {
  register: registerWorkload,
  'cas-register': casRegisterWorkload,
  set: setWorkload,
  noop: noopWorkload,
  session: sessionWorkload,
  'list-append': listAppendWorkloadDefault,
  'rw-register': rwRegisterWorkloadDefault,
  bank: bankWorkloadDefault,
};

export function workloadNames(): string[] {
  return Object.keys(workloads);
}

/** The workload called `name`; throws UserError naming --workload and the known names when there is none. */
export function getWorkload(name: string): Workload {
  const workload = Object.hasOwn(workloads, name) ? workloads[name] : undefined;
  if (!workload)
    throw new UserError(`unknown workload ${JSON.stringify(name)} (known: ${workloadNames().join(', ')})`, {
      where: '--workload',
    });
  return workload;
}
