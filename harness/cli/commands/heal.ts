/**
 * `faultline heal [--state-dir DIR] [--cluster NAME]`: undoes the faults a
 * controller left in place when it died (even by SIGKILL): removes our
 * iptables chains and tbf qdiscs, resumes paused processes, resets clock
 * offsets, from the heal state the nemesis wrote before each fault.
 *
 * Without options it heals every cluster under /var/lib/faultline/heal.
 * Exit code: 0 healed (or nothing to heal), 254 bad arguments or unreadable
 * state, 255 when undoing a fault failed (the state is kept: run it again).
 */
import { existsSync } from 'node:fs';
import { EXIT } from '../../errors.js';
import { consoleLogger } from '../../log.js';
import { DEFAULT_HEAL_ROOT, healFromState, healStateDir, healStateDirs } from '../../../nemesis/index.js';
import type { FaultlineCommand } from '../command.js';

export const healCommand: FaultlineCommand = (setExit) => ({
  command: 'heal',
  describe: 'Undo faults left by a test whose controller died (partitions, packet loss, pauses, clock skew)',
  builder: (y) =>
    y
      .option('state-dir', { type: 'string', describe: 'One heal state folder (as the test wrote it)' })
      .option('cluster', { type: 'string', describe: `Heal this cluster's folder under the heal root` })
      .option('root', { type: 'string', default: DEFAULT_HEAL_ROOT, describe: 'Where the heal state folders of all clusters are' })
      .conflicts('state-dir', 'cluster'),
  handler: async (raw) => {
    const argv = { stateDir: raw.stateDir as string | undefined, cluster: raw.cluster as string | undefined, root: raw.root as string };
    const log = consoleLogger();
    let dirs: string[];
    const named = argv.stateDir ?? (argv.cluster === undefined ? undefined : healStateDir(argv.cluster, argv.root));
    if (named !== undefined) {
      // A cleanly healed cluster's state folder is removed, so a missing one means there is nothing to heal.
      if (!existsSync(named)) {
        process.stdout.write(`nothing to heal (no heal state at ${named}; healing removes it)\n`);
        setExit(EXIT.valid);
        return;
      }
      dirs = [named];
    } else {
      dirs = await healStateDirs(argv.root);
    }
    let healedAny = false;
    for (const dir of dirs) {
      const report = await healFromState(dir, log);
      if (report.healed.length === 0) continue;
      healedAny = true;
      process.stdout.write(`${dir}: healed ${report.healed.join(', ')}\n`);
      for (const note of report.notes) process.stdout.write(`  ${note}\n`);
    }
    if (!healedAny) process.stdout.write(`nothing to heal (${dirs.length === 0 ? `no heal state under ${argv.root}` : dirs.join(', ')})\n`);
    setExit(EXIT.valid);
  },
});
