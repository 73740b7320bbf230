import { describe, expect, it } from 'vitest';
import { TEST_NODE_NEEDS } from '../../testing/node-needs.js';
import { BASE_PACKAGES, dockerfile, hostDebianMirror, imagePackages, imageTag } from './image.js';
import { resolveDockerOptions } from './options.js';

const image = (extra: string[] = []) => resolveDockerOptions({ image: { extraPackages: extra } }).image;

describe('node image recipe', () => {
  it("holds basic shell tools, and what a run needs (the faults' and the target's packages) on top", () => {
    for (const p of ['bash', 'coreutils', 'procps']) expect(BASE_PACKAGES).toContain(p);
    expect(BASE_PACKAGES).not.toContain('etcd-server'); // no target is baked in
    const forRun = imagePackages(image([...(TEST_NODE_NEEDS.packages ?? [])]));
    for (const p of ['iptables', 'iproute2', 'faketime', 'etcd-server']) expect(forRun).toContain(p);
  });

  it('tags by a hash of the package set: stable, order-insensitive, and changed by a new package', () => {
    expect(imageTag(image())).toMatch(/^faultline-node:[0-9a-f]{16}$/);
    expect(imageTag(image())).toBe(imageTag(image()));
    expect(imageTag(image(['strace', 'lsof']))).toBe(imageTag(image(['lsof', 'strace'])));
    expect(imageTag(image(['strace']))).not.toBe(imageTag(image()));
    // A base package listed again is no change.
    expect(imageTag(image(['bash']))).toBe(imageTag(image()));
    expect(imagePackages(image(['bash'])).filter((p) => p === 'bash')).toHaveLength(1);
  });

  it('does not depend on the mirror (an image built from any mirror is reused)', () => {
    const other = resolveDockerOptions({ image: { mirror: 'http://example.invalid/debian' } }).image;
    expect(imageTag(other)).toBe(imageTag(image()));
  });

  it('writes a Dockerfile that installs every package', () => {
    const text = dockerfile('bookworm', imagePackages(image()));
    expect(text).toMatch(/^FROM debian:bookworm-slim$/m);
    for (const p of BASE_PACKAGES) expect(text).toContain(` ${p}`);
  });

  it('finds a Debian mirror URL in the host apt sources', () => {
    expect(hostDebianMirror()).toMatch(/^https?:\/\/\S+\/debian$/);
  });
});
