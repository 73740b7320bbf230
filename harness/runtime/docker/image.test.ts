import { describe, expect, it } from 'vitest';
import { BASE_PACKAGES, dockerfile, hostDebianMirror, imagePackages, imageTag } from './image.js';
import { resolveDockerOptions } from './options.js';

const image = (extra: string[] = []) => resolveDockerOptions({ image: { extraPackages: extra } }).image;

describe('node image recipe', () => {
  it('holds what the nemeses and the etcd target need', () => {
    for (const p of ['iptables', 'iproute2', 'procps', 'faketime', 'etcd-server', 'bash', 'coreutils']) {
      expect(BASE_PACKAGES).toContain(p);
    }
  });

  it('tags by a hash of the package set: stable, order-insensitive, and changed by a new package', () => {
    expect(imageTag(image())).toMatch(/^faultline-node:[0-9a-f]{16}$/);
    expect(imageTag(image())).toBe(imageTag(image()));
    expect(imageTag(image(['strace', 'lsof']))).toBe(imageTag(image(['lsof', 'strace'])));
    expect(imageTag(image(['strace']))).not.toBe(imageTag(image()));
    // A base package listed again is no change.
    expect(imageTag(image(['iptables']))).toBe(imageTag(image()));
    expect(imagePackages(image(['iptables'])).filter((p) => p === 'iptables')).toHaveLength(1);
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
