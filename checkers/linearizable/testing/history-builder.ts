/** Builds histories by hand in tests and benchmarks: `h.invoke(0, 'write', 1).ok(0)`. */
import type { Json, Op, ProcessId } from '../../../harness/history/op.js';

export class HistoryBuilder {
  readonly ops: Op[] = [];
  private readonly pending = new Map<ProcessId, { f: string; value: Json | undefined; key: Json | undefined }>();

  private push(op: Omit<Op, 'index' | 'time'>): this {
    const index = this.ops.length;
    this.ops.push({ ...op, index, time: index * 1000 } as Op);
    return this;
  }

  invoke(process: ProcessId, f: string, value?: Json, key?: Json): this {
    this.pending.set(process, { f, value, key });
    return this.push({ type: 'invoke', process, f, value: value ?? null, ...(key !== undefined ? { key } : {}) });
  }

  /** Completes the process's pending op as ok; `value` defaults to the invocation's (give it for reads). */
  ok(process: ProcessId, value?: Json): this {
    return this.complete('ok', process, value);
  }

  fail(process: ProcessId): this {
    return this.complete('fail', process);
  }

  info(process: ProcessId): this {
    return this.complete('info', process);
  }

  private complete(type: 'ok' | 'fail' | 'info', process: ProcessId, value?: Json): this {
    const invoked = this.pending.get(process);
    if (!invoked) throw new Error(`process ${String(process)} has nothing pending`);
    this.pending.delete(process);
    const v = value === undefined ? invoked.value : value;
    return this.push({
      type,
      process,
      f: invoked.f,
      value: v ?? null,
      ...(invoked.key !== undefined ? { key: invoked.key } : {}),
    });
  }
}
