/**
 * What `faultline heal` needs to undo faults after the controller died: one
 * JSON file per fault kind under the state directory, written BEFORE the fault
 * is applied (and removed once healed), plus `runtime.json` saying how to
 * reach the nodes again.
 *
 *   <stateDir>/runtime.json     { kind, options, nodes, controllerAddress, ownerPid }
 *   <stateDir>/partition.json   nodes that may hold our iptables chain
 *   <stateDir>/packet.json      nodes with loss rules / tbf qdiscs
 *   <stateDir>/pause.json       paused nodes and their stopped pids
 *   <stateDir>/clock.json       nodes whose faketime offset may be non-zero
 *   <stateDir>/kill.json        nodes whose SUT was killed (heal can only report them)
 *   <stateDir>/delay.json       nodes that may run the delay helper and hold its NFQUEUE rules
 *
 * Files are written to a temporary name and renamed, so a crash never leaves
 * half a file.
 */
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../harness/errors.js';
import type { Json } from '../harness/history/op.js';
import type { NodeInfo, Runtime } from '../harness/runtime/runtime.js';

export const FAULT_KINDS = ['partition', 'packet', 'pause', 'clock', 'kill', 'delay'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface RuntimeRecord {
  kind: string;
  /** The options the runtime was created with (enough to attach to the existing nodes). */
  options: Json;
  nodes: NodeInfo[];
  controllerAddress: string;
  /** The pid of the controller that recorded the faults (absent in records of older versions). */
  ownerPid?: number;
}

/**
 * Checks up front that the heal state folder can be created and written, so
 * that no fault is ever applied without its record. Throws UserError naming
 * the folder otherwise.
 */
export async function checkStateDir(dir: string): Promise<void> {
  const probe = path.join(dir, `.write-check.${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (err) {
    throw new UserError(
      `cannot create or write the heal state folder (${(err as Error).message}); faults must be recorded before they are applied: make it writable or set FAULTLINE_HEAL_ROOT to a writable folder`,
      { where: dir, cause: err },
    );
  }
}

/** Writes `value` as JSON to `file` atomically (temporary file, then rename). */
export async function writeJsonAtomic(file: string, value: unknown): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`);
  await rename(tmp, file);
}

/**
 * Records a fault in the heal state BEFORE it is applied: the runtime record
 * (how to reach the nodes) and the fault's own state.
 */
export async function recordFault(
  ctx: { stateDir: string; runtime: Runtime; runtimeOptions?: Json },
  kind: FaultKind,
  value: Json,
): Promise<void> {
  const state = new HealState(ctx.stateDir);
  await state.writeRuntime({
    kind: ctx.runtime.kind,
    options: ctx.runtimeOptions ?? null,
    nodes: ctx.runtime.nodes().map(({ name, address }) => ({ name, address })),
    controllerAddress: ctx.runtime.controllerAddress(),
    ownerPid: process.pid,
  });
  await state.write(kind, value);
}

export class HealState {
  constructor(readonly dir: string) {}

  private file(name: string): string {
    return path.join(this.dir, `${name}.json`);
  }

  writeRuntime(record: RuntimeRecord): Promise<void> {
    return writeJsonAtomic(this.file('runtime'), record);
  }

  /** The runtime record, or undefined when none was written. Throws UserError on a corrupt file. */
  async readRuntime(): Promise<RuntimeRecord | undefined> {
    const value = await this.readJson('runtime');
    if (value === undefined) return undefined;
    const r = value as Partial<RuntimeRecord>;
    if (typeof r.kind !== 'string' || !Array.isArray(r.nodes) || typeof r.controllerAddress !== 'string') {
      throw new UserError('not a faultline runtime record (needs kind, nodes, controllerAddress)', {
        where: this.file('runtime'),
      });
    }
    return r as RuntimeRecord;
  }

  write(kind: FaultKind, value: Json): Promise<void> {
    return writeJsonAtomic(this.file(kind), value);
  }

  /** The stored state of a fault, or undefined when it is healed (no file). */
  read(kind: FaultKind): Promise<Json | undefined> {
    return this.readJson(kind);
  }

  /** Forgets a healed fault. Idempotent. */
  async clear(kind: FaultKind): Promise<void> {
    await rm(this.file(kind), { force: true });
  }

  /**
   * Removes the state folder once no fault is pending (only runtime.json is
   * left), so a cleanly healed run leaves nothing behind. Returns whether it did.
   */
  async forgetIfHealed(): Promise<boolean> {
    if ((await this.pending()).length > 0) return false;
    await rm(this.dir, { recursive: true, force: true });
    return true;
  }

  /** The fault kinds with a state file. */
  async pending(): Promise<FaultKind[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return FAULT_KINDS.filter((k) => names.includes(`${k}.json`));
  }

  private async readJson(name: string): Promise<Json | undefined> {
    const file = this.file(name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new UserError(`cannot read heal state: ${(err as Error).message}`, { where: file, cause: err });
    }
    try {
      return JSON.parse(text) as Json;
    } catch (err) {
      throw new UserError(`heal state is not valid JSON: ${(err as Error).message}`, { where: file, cause: err });
    }
  }
}
