/**
 * `faultline heal [--state-dir DIR | --cluster NAME] [--root DIR] [--force]`:
 * undoes the faults a controller left in place when it died (even by
 * SIGKILL): removes our iptables chains and tbf qdiscs, resumes paused
 * processes, resets clock offsets, from the heal state the nemesis wrote
 * before each fault.
 *
 * Without options it heals every cluster under the heal root: the
 * environment variable FAULTLINE_HEAL_ROOT when set, else
 * /var/lib/faultline/heal (the run files its heal state there too).
 * A folder whose controller is still alive (its test is running) is skipped
 * and said so, unless --force.
 * When a folder fails, the others are still healed; the failed ones keep
 * their state (run heal again) and are named on stderr at the end.
 * Exit code: 0 healed (or nothing to heal, or skipped), 254 bad arguments or
 * unreadable state (every failure was of that kind), 255 when undoing a fault failed.
 */
import { existsSync } from 'node:fs';
import { healFromState, healRoot, healStateDir, healStateDirs, liveOwner } from '../../../nemesis/index.js';
import { getTarget, targetNames } from '../../../targets/index.js';
import { EXIT, UserError } from '../../errors.js';
import { consoleLogger } from '../../log.js';
import type { FaultlineCommand } from '../command.js';
import { CLUSTER_NAME } from '../options.js';

export const healCommand: FaultlineCommand = (setExit) => ({
  command: 'heal',
  describe: 'Undo faults left by a test whose controller died (partitions, packet loss, pauses, clock skew)',
  builder: (y) =>
    y
      .option('state-dir', { type: 'string', describe: 'One heal state folder (as the test wrote it)' })
      .option('cluster', { type: 'string', describe: `Heal this cluster's folder under the heal root` })
      .option('root', {
        type: 'string',
        default: healRoot(),
        describe:
          'Where the heal state folders of all clusters are (default: $FAULTLINE_HEAL_ROOT, else /var/lib/faultline/heal)',
      })
      .option('force', {
        type: 'boolean',
        default: false,
        describe: 'Also heal folders whose controller is still running',
      })
      .conflicts('state-dir', 'cluster'),
  handler: async (raw) => {
    const argv = {
      stateDir: raw.stateDir as string | undefined,
      cluster: raw.cluster as string | undefined,
      root: raw.root as string,
      force: raw.force as boolean,
    };
    // The cluster names a folder under the root: the same names as `clean --name` (no "../").
    if (argv.cluster !== undefined && !CLUSTER_NAME.test(argv.cluster)) {
      throw new UserError(`not a cluster name: ${JSON.stringify(argv.cluster)}`, { where: '--cluster' });
    }
    if (argv.stateDir?.trim() === '') throw new UserError('expected a folder, got ""', { where: '--state-dir' });
    if (argv.root.trim() === '') throw new UserError('expected a folder, got ""', { where: '--root' });
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
    const failed: { dir: string; err: unknown }[] = [];
    for (const dir of dirs) {
      try {
        const owner = argv.force ? undefined : await liveOwner(dir);
        if (owner !== undefined) {
          process.stdout.write(
            `${dir}: skipped, its controller (pid ${owner}) is still running; stop it, or use --force\n`,
          );
          continue;
        }
        const report = await healFromState(dir, log, {}, (name) =>
          targetNames().includes(name) ? getTarget(name) : undefined,
        );
        if (report.healed.length === 0) continue;
        healedAny = true;
        process.stdout.write(`${dir}: healed ${report.healed.join(', ')}\n`);
        for (const note of report.notes) process.stdout.write(`  ${note}\n`);
      } catch (err) {
        failed.push({ dir, err });
        process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
      }
    }
    if (failed.length > 0) {
      process.stderr.write(
        `heal failed for ${failed.length} of ${dirs.length} folder(s): ${failed.map((f) => f.dir).join(', ')} (their state is kept: run heal again)\n`,
      );
      setExit(failed.every((f) => f.err instanceof UserError) ? EXIT.badInput : EXIT.crash);
      return;
    }
    if (!healedAny)
      process.stdout.write(
        `nothing to heal (${dirs.length === 0 ? `no heal state under ${argv.root}` : dirs.join(', ')})\n`,
      );
    setExit(EXIT.valid);
  },
});
