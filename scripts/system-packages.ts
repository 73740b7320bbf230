/**
 * Prints the Debian packages the nodes need (every target's and every
 * fault's, from their registries), one per line: scripts/setup.sh installs
 * them on this host, which is every node of the netns runtime.
 */
import { faultPackages } from '../nemesis/registry.js';
import { allTargets } from '../targets/index.js';

const packages = new Set([...allTargets().flatMap((t) => t.packages), ...faultPackages()]);
process.stdout.write(`${[...packages].sort().join('\n')}\n`);
