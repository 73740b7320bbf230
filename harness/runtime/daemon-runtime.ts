import { Daemons } from './daemon.js';
import type { DaemonSpec, ExecOptions, ExecResult, Signal } from './runtime.js';

/**
 * The daemon half of the Runtime interface, the same for every runtime: it is
 * built on the runtime's own `exec` and `nodeDir` (see daemon.ts), so a
 * runtime extends this and provides those two.
 */
export abstract class DaemonRuntime {
  protected readonly daemons = new Daemons(
    (node, argv, options) => this.exec(node, argv, options),
    (node) => this.nodeDir(node),
  );

  abstract exec(node: string, argv: string[], options?: ExecOptions): Promise<ExecResult>;
  abstract nodeDir(node: string): string;

  startDaemon(node: string, spec: DaemonSpec): Promise<{ pid: number }> {
    return this.daemons.start(node, spec);
  }

  signalDaemon(node: string, name: string, signal: Signal): Promise<void> {
    return this.daemons.signal(node, name, signal);
  }

  stopDaemon(node: string, name: string, graceMs?: number): Promise<void> {
    return this.daemons.stop(node, name, graceMs);
  }

  daemonRunning(node: string, name: string): Promise<boolean> {
    return this.daemons.running(node, name);
  }

  daemonPid(node: string, name: string): Promise<number | undefined> {
    return this.daemons.pid(node, name);
  }
}
