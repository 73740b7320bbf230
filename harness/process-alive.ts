import { readFileSync } from 'node:fs';

/**
 * True when the pid names a live process on this host. A zombie (a process
 * that has died but whose parent has not reaped it yet, as a controller killed
 * with SIGKILL can be for a while) is not alive: for every caller here — does
 * a run still own this cluster, is this dockerd still running — it is gone.
 */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}
