/**
 * Reaching the nodes of an existing cluster again, for `faultline heal`
 * after the controller died: a runtime made from what the runtime recorded
 * (Runtime.attachment, kept in the heal state's runtime.json), WITHOUT
 * bringing the cluster up (see RuntimeKind.attach in ./registry.ts).
 */
import { UserError } from '../errors.js';
import type { Json } from '../history/op.js';
import type { Logger } from '../log.js';
import { type AttachedRuntime, runtimeKind } from './registry.js';
import type { NodeInfo } from './runtime.js';

export type { AttachedRuntime } from './registry.js';

/** What a runtime records so that `faultline heal` can reach its nodes again. */
export interface RuntimeRecord {
  kind: string;
  /** Runtime.attachment().options: enough to attach to the existing nodes (no secrets). */
  options: Json;
  nodes: NodeInfo[];
  controllerAddress: string;
  /** The pid of the controller that recorded the faults (absent in records of older versions). */
  ownerPid?: number;
  /** The target the run tested and its options, so `faultline heal` can restart or re-add its members. */
  target?: { name: string; options: Json };
}

type JsonObject = { [key: string]: Json };
const isObject = (x: Json | undefined): x is JsonObject =>
  x !== null && x !== undefined && typeof x === 'object' && !Array.isArray(x);

/**
 * The runtime's own options from a record: either the options themselves, or
 * (records of older versions) a whole config section `{ kind, netns: {...}, docker: {...} }`,
 * then the part for the recorded kind. Undefined when there are none.
 */
export function runtimeOptions(record: RuntimeRecord): JsonObject | undefined {
  const options = record.options;
  if (!isObject(options)) return undefined;
  const section = options[record.kind];
  return isObject(section) ? section : options;
}

/**
 * Attaches to the recorded cluster. `extra` fills in options the
 * record leaves out on purpose (secrets, e.g. an ssh key's passphrase from
 * the config). Throws UserError when the record has no options or names an
 * unknown runtime kind.
 */
export async function attachRuntime(
  record: RuntimeRecord,
  log: Logger,
  where: string,
  extra: JsonObject = {},
): Promise<AttachedRuntime> {
  const options = runtimeOptions(record);
  if (options === undefined) {
    throw new UserError(
      `the heal state does not record the ${record.kind} runtime's options, so its nodes cannot be reached`,
      { where },
    );
  }
  const kind = runtimeKind(record.kind);
  if (!kind) throw new UserError(`unknown runtime kind ${JSON.stringify(record.kind)}`, { where });
  return kind.attach({ ...options, ...extra }, log);
}
