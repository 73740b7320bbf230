/** The netns runtime's options (runtime.netns in the config); layout.ts checks what types cannot say. */
import { z } from 'zod';
import { bool, cidr, name, nodeCountOrNames, path } from '../../config/fields.js';

export const netnsOptionsSchema = z
  .strictObject({
    /** Cluster name, the prefix of every namespace (default "faultline"). */
    name,
    /** Node count (named n1..nN) or explicit node names (default 5). */
    nodes: nodeCountOrNames,
    /** IPv4 subnet in CIDR form (default 10.213.0.0/24); .1 is the controller, nodes from .2. */
    subnet: cidr,
    /** Node directories are <baseDir>/<cluster>/<node>/ (default /var/lib/faultline). */
    baseDir: path,
    /** Remove the node directories on `down` (default false: logs stay for a post-mortem). */
    removeNodeDirs: bool,
    /** Where the state file of each cluster goes (default /run/faultline). */
    stateDir: path,
  })
  .partial();

export type NetnsOptions = z.input<typeof netnsOptionsSchema>;
