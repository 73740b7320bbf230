/**
 * Builds session histories by hand in tests: every op is 0.1 s after the
 * previous one (so op i happens at i/10 s), and completions can name the
 * node that served them.
 *
 *   new SessionHistory().write(3, 'k7', 5, 'n1').read(3, 'k7', 4, 'n2').ops
 */
import type { Json, Op, ProcessId } from '../../../harness/history/op.js';

export class SessionHistory {
  readonly ops: Op[] = [];
  private readonly pending = new Map<ProcessId, { f: string; key: Json | undefined; value: Json }>();

  private push(op: Omit<Op, 'index' | 'time'>): this {
    const index = this.ops.length;
    this.ops.push({ ...op, index, time: index * 100_000_000 } as Op);
    return this;
  }

  /** Invokes f on key (undefined: no key) with value (reads: null). */
  invoke(process: ProcessId, f: string, key: Json | undefined, value: Json = null): this {
    this.pending.set(process, { f, key, value });
    return this.push({ type: 'invoke', process, f, value, ...(key === undefined ? {} : { key }) });
  }

  /** Completes the pending op ok; `value` defaults to the invocation's (give it for reads). */
  ok(process: ProcessId, value?: Json, node?: string): this {
    return this.complete('ok', process, value, node);
  }

  info(process: ProcessId, node?: string): this {
    return this.complete('info', process, undefined, node);
  }

  fail(process: ProcessId, node?: string): this {
    return this.complete('fail', process, undefined, node);
  }

  write(process: ProcessId, key: Json | undefined, value: Json, node?: string): this {
    return this.invoke(process, 'write', key, value).ok(process, undefined, node);
  }

  add(process: ProcessId, key: Json | undefined, element: Json, node?: string): this {
    return this.invoke(process, 'add', key, element).ok(process, undefined, node);
  }

  read(process: ProcessId, key: Json | undefined, value: Json, node?: string): this {
    return this.invoke(process, 'read', key).ok(process, value, node);
  }

  private complete(type: 'ok' | 'fail' | 'info', process: ProcessId, value: Json | undefined, node?: string): this {
    const invoked = this.pending.get(process);
    if (!invoked) throw new Error(`process ${String(process)} has nothing pending`);
    this.pending.delete(process);
    return this.push({
      type,
      process,
      f: invoked.f,
      value: value === undefined ? invoked.value : value,
      ...(invoked.key === undefined ? {} : { key: invoked.key }),
      ...(node === undefined ? {} : { node }),
    });
  }
}
