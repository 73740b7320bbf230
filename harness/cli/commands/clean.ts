/**
 * `faultline clean --name NAME | --all [--force] [--keep-data]`: removes what
 * a killed run left behind, and the node data runs keep. netns: the
 * namespaces (after killing their processes), the host veth and the state
 * file of the cluster (--name also removes the namespaces `NAME-hub` and
 * `NAME-n<k>` that no other cluster's state file records), and the nodes'
 * data directories under /var/lib/faultline (or --base-dir, as
 * runtime.netns.baseDir) unless --keep-data. docker (when a daemon answers): the containers
 * and network labelled with the cluster name. Clusters whose faultline process
 * still runs are left alone unless --force. ssh leaves nothing to clean.
 * A run configured with runtime.netns.stateDir or runtime.docker.socketPath
 * is cleaned with the same --state-dir / --docker-socket.
 *
 * Prints one line per thing removed or skipped. Exit code 0, or 254 for bad
 * arguments.
 */
import { existsSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import Docker from 'dockerode';
import { EXIT, UserError } from '../../errors.js';
import { consoleLogger, type Logger } from '../../log.js';
import { pidAlive } from '../../process-alive.js';
import { CLUSTER_LABEL, OWNER_LABEL, removeDockerCluster } from '../../runtime/docker/index.js';
import { type CleanReport, cleanNetns } from '../../runtime/netns/clean.js';
import type { FaultlineCommand } from '../command.js';
import { CLUSTER_NAME } from '../options.js';

export interface CleanArgs {
  name?: string | undefined;
  all?: boolean | undefined;
  force?: boolean | undefined;
  /** --state-dir: the netns state directory (default /run/faultline). */
  stateDir?: string | undefined;
  /** --docker-socket: the docker daemon's socket (default /var/run/docker.sock). */
  dockerSocket?: string | undefined;
  /** --base-dir: where the netns node directories are (default /var/lib/faultline). */
  baseDir?: string | undefined;
  /** --keep-data: leave the node directories in place. */
  keepData?: boolean | undefined;
}

/**
 * Cleans netns and docker leftovers; resolves with what was removed and skipped.
 * Throws UserError when neither --name nor --all is given, for an empty
 * --state-dir or --docker-socket, or when not root.
 */
export async function runClean(args: CleanArgs, log: Logger): Promise<CleanReport> {
  if (args.name === undefined && !args.all)
    throw new UserError('say what to clean: --name NAME (a cluster name) or --all');
  if (args.name !== undefined && !CLUSTER_NAME.test(args.name)) {
    throw new UserError(`not a cluster name: ${JSON.stringify(args.name)}`, { where: '--name' });
  }
  if (args.stateDir === '') throw new UserError('expected a directory, got ""', { where: '--state-dir' });
  if (args.dockerSocket === '') throw new UserError('expected a socket path, got ""', { where: '--docker-socket' });
  if (args.baseDir !== undefined && (!path.isAbsolute(args.baseDir) || path.resolve(args.baseDir) === '/')) {
    throw new UserError(`expected an absolute directory other than /, got ${JSON.stringify(args.baseDir)}`, {
      where: '--base-dir',
    });
  }
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    throw new UserError('cleaning network namespaces needs root; run faultline clean as root');
  }
  const netns = await cleanNetns(
    {
      name: args.name,
      all: args.all,
      force: args.force,
      stateDir: args.stateDir,
      baseDir: args.baseDir,
      keepData: args.keepData,
    },
    log,
  );
  const docker = await cleanDocker(args, log);
  return { removed: [...netns.removed, ...docker.removed], skipped: [...netns.skipped, ...docker.skipped] };
}

async function cleanDocker(args: CleanArgs, log: Logger): Promise<CleanReport> {
  const report: CleanReport = { removed: [], skipped: [] };
  const socketPath = args.dockerSocket ?? '/var/run/docker.sock';
  if (!existsSync(socketPath)) return report;
  const docker = new Docker({ socketPath });
  try {
    await docker.ping();
  } catch {
    log.debug(`clean: no docker daemon answers on ${socketPath}; skipping docker`);
    return report;
  }
  const filters = { label: [args.all ? CLUSTER_LABEL : `${CLUSTER_LABEL}=${args.name}`] };
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  const clusters = new Map<string, string[]>();
  for (const item of [...containers.map((c) => c.Labels), ...networks.map((n) => n.Labels ?? {})]) {
    const cluster = item[CLUSTER_LABEL];
    if (cluster === undefined) continue;
    const owners = clusters.get(cluster) ?? [];
    owners.push(item[OWNER_LABEL] ?? '');
    clusters.set(cluster, owners);
  }
  for (const [cluster, owners] of clusters) {
    const live = owners.find(ownerAlive);
    if (live && !args.force) {
      report.skipped.push(`docker cluster ${cluster}: in use by running faultline ${live} (use --force)`);
      continue;
    }
    await removeDockerCluster(docker, cluster);
    report.removed.push(`docker cluster ${cluster}: containers and network`);
  }
  return report;
}

/** True for an owner label `<host>:<pid>` naming a live process on this host (other than us). */
function ownerAlive(label: string): boolean {
  const [host, pidText] = label.split(':');
  const pid = Number(pidText);
  if (host !== hostname() || !Number.isInteger(pid) || pid <= 0 || pid === process.pid) return false;
  return pidAlive(pid);
}

export const cleanCommand: FaultlineCommand = (setExit) => ({
  command: 'clean',
  describe: 'Remove namespaces, links and containers a killed run left behind',
  builder: (yargs) =>
    yargs
      .option('name', {
        type: 'string',
        describe: 'Cluster name to clean (netns namespaces NAME-hub and NAME-n<k>, docker cluster NAME)',
      })
      .option('all', { type: 'boolean', describe: 'Clean every cluster faultline recorded' })
      .option('force', { type: 'boolean', describe: 'Also clean clusters whose faultline process still runs' })
      .option('state-dir', {
        type: 'string',
        describe: 'netns state directory, as runtime.netns.stateDir (default /run/faultline)',
      })
      .option('docker-socket', {
        type: 'string',
        describe: 'docker socket, as runtime.docker.socketPath (default /var/run/docker.sock)',
      })
      .option('base-dir', {
        type: 'string',
        describe: 'netns node directories, as runtime.netns.baseDir (default /var/lib/faultline)',
      })
      .option('keep-data', {
        type: 'boolean',
        describe: "Keep the nodes' data directories (the SUT's data and logs)",
      })
      .example('$0 clean --name faultline', 'remove what a killed run of the default cluster left'),
  handler: async (argv) => {
    const args: CleanArgs = {
      name: argv.name as string | undefined,
      all: argv.all as boolean | undefined,
      force: argv.force as boolean | undefined,
      stateDir: argv['state-dir'] as string | undefined,
      dockerSocket: argv['docker-socket'] as string | undefined,
      baseDir: argv['base-dir'] as string | undefined,
      keepData: argv['keep-data'] as boolean | undefined,
    };
    const report = await runClean(args, consoleLogger());
    for (const line of report.removed) process.stdout.write(`removed ${line}\n`);
    for (const line of report.skipped) process.stdout.write(`skipped ${line}\n`);
    if (report.removed.length === 0 && report.skipped.length === 0) process.stdout.write('nothing to clean\n');
    setExit(EXIT.valid);
  },
});
