/**
 * What `faultline heal` needs to undo faults after the controller died: one
 * JSON file per fault (named after the fault, see ./registry.ts) under the
 * state directory, written BEFORE the fault is applied (and removed once
 * healed), plus `runtime.json` saying how to reach the nodes again:
 *
 *   <stateDir>/runtime.json     { kind, options, nodes, controllerAddress, ownerPid } (no secrets)
 *   <stateDir>/<fault>.json     what that fault's heal needs, e.g. partition: the
 *                               nodes that may hold our chain; pause: the pids it stopped
 *
 * Files are written to a temporary name and renamed, so a crash never leaves
 * half a file; the folder and its files are readable by their owner only.
 */
import { readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../harness/errors.js';
import type { Json } from '../harness/history/op.js';
import { makeDir } from '../harness/make-dir.js';
import type { RuntimeRecord } from '../harness/runtime/attach.js';
import type { Runtime } from '../harness/runtime/runtime.js';
import { withoutSecrets } from '../harness/secret.js';

/** A fault's name (its state file is <name>.json). */
export type FaultKind = string;

const RUNTIME = 'runtime';

/**
 * Checks up front that the heal state folder can be created and written, so
 * that no fault is ever applied without its record. Throws UserError naming
 * the folder otherwise.
 */
export async function checkStateDir(dir: string): Promise<void> {
  const probe = path.join(dir, `.write-check.${process.pid}`);
  try {
    await makeDir(dir, 0o700); // not mkdir -p: Node's never returns under /proc
    await writeFile(probe, '', { mode: 0o600 });
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
  await makeDir(path.dirname(file), 0o700);
  const tmp = `${file}.${process.pid}.tmp`;
  await writeFile(tmp, `${JSON.stringify(value, null, 2)}\n`, { mode: 0o600 });
  await rename(tmp, file);
}

/**
 * Records a fault in the heal state BEFORE it is applied: the runtime record
 * (how to reach the nodes) and the fault's own state.
 */
export async function recordFault(
  ctx: { stateDir: string; runtime: Runtime; target?: { name: string }; targetCtx?: { options: unknown } },
  kind: FaultKind,
  value: Json,
): Promise<void> {
  const state = new HealState(ctx.stateDir);
  await state.writeRuntime({
    ...ctx.runtime.attachment(),
    ...(ctx.target ? { target: { name: ctx.target.name, options: withoutSecrets(ctx.targetCtx?.options ?? {}) } } : {}),
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
    return writeJsonAtomic(this.file(RUNTIME), record);
  }

  /** The runtime record, or undefined when none was written. Throws UserError on a corrupt file. */
  async readRuntime(): Promise<RuntimeRecord | undefined> {
    const value = await this.readJson(RUNTIME);
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

  /** The faults with a state file, sorted. */
  async pending(): Promise<FaultKind[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
    return names
      .filter((n) => n.endsWith('.json') && n !== `${RUNTIME}.json`)
      .map((n) => n.slice(0, -'.json'.length))
      .sort();
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
