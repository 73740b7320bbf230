/** The docker runtime's options (runtime.docker in the config); options.ts checks what types cannot say. */
import { z } from 'zod';
import { cidr, name, nodeCountOrNames, path } from '../../config/fields.js';

export const IMAGE_SOURCES = ['registry', 'debootstrap', 'auto'] as const;
export type ImageSource = (typeof IMAGE_SOURCES)[number];

export const dockerImageSchema = z
  .strictObject({
    /**
     * Where the node image comes from when it is not cached yet:
     * `registry` builds a Dockerfile FROM debian:bookworm-slim (needs Docker Hub),
     * `debootstrap` builds a Debian root from the apt mirror and imports it,
     * `auto` (default) tries a quick pull of the base image and falls back to debootstrap.
     */
    source: z.enum(IMAGE_SOURCES),
    /** Use this image as is (no build, no cache check). It must contain what the nemeses and the target need. */
    tag: z.string(),
    /** Debian suite for both sources (default bookworm). */
    suite: z.string(),
    /** Debian mirror for debootstrap (default: the first one in this host's apt sources). */
    mirror: z.string(),
    /** Packages added to the base set and the target's packages. */
    extraPackages: z.array(z.string()),
    /** Where debootstrap tarballs are cached (default /var/cache/faultline/images). */
    cacheDir: path,
  })
  .partial();

export const dockerOptionsSchema = z
  .strictObject({
    /** How many nodes (named n1..nN), or their names. Default 5 (as netns). */
    nodes: nodeCountOrNames,
    /** Cluster name: containers are `faultline-<name>-<node>`, the network `faultline-<name>`. Default `faultline`. */
    name,
    /** The docker network's IPv4 subnet, a /24 or larger. Default 10.231.4.0/24. */
    subnet: cidr,
    /** Docker daemon socket. Default /var/run/docker.sock. */
    socketPath: path,
    /** Directory on each node for the SUT's data and logs. Default /var/lib/faultline. */
    nodeDir: path,
    image: dockerImageSchema,
  })
  .partial();

export type DockerImageOptions = z.input<typeof dockerImageSchema>;
export type DockerRuntimeOptions = z.input<typeof dockerOptionsSchema>;
