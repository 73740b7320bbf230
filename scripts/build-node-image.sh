#!/usr/bin/env bash
# Builds the root filesystem of a faultline docker node without any registry:
# debootstrap a minimal Debian from the configured apt mirror, then pack it as a
# tarball that `docker import` (or dockerode's importImage) turns into an image.
#
# usage: build-node-image.sh OUT_TARBALL SUITE MIRROR PACKAGES
#   OUT_TARBALL  where the rootfs tarball goes (written atomically: tmp + rename)
#   SUITE        e.g. bookworm
#   MIRROR       e.g. http://deb.debian.org/debian
#   PACKAGES     comma-separated extra packages (debootstrap --include)
#
# The caller (harness/runtime/docker/image.ts) names OUT_TARBALL after a hash of
# this script and the package list, so a finished tarball is reused as is.
set -euo pipefail

if [ "$#" -ne 4 ]; then
  echo "usage: $0 OUT_TARBALL SUITE MIRROR PACKAGES" >&2
  exit 2
fi
out=$1 suite=$2 mirror=$3 packages=$4

if [ -s "$out" ]; then
  echo "build-node-image: reusing $out"
  exit 0
fi

mkdir -p "$(dirname "$out")"
work=$(mktemp -d "$(dirname "$out")/rootfs.XXXXXX")
# Whatever happens, leave no half-built root behind.
trap 'rm -rf "$work"' EXIT

root="$work/root"
echo "build-node-image: debootstrap $suite from $mirror with $packages"
debootstrap --variant=minbase --include="$packages" "$suite" "$root" "$mirror"

# Slim the image: the package lists and the .deb cache are not needed to run.
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
# Containers get their resolver config from docker; keep the file but empty it.
: > "$root/etc/resolv.conf"

# Pack next to the destination, then rename: a concurrent or interrupted build
# never leaves a truncated tarball under the final name.
tar --numeric-owner --xattrs -C "$root" -cf "$work/rootfs.tar" .
mv "$work/rootfs.tar" "$out"
echo "build-node-image: wrote $out ($(du -h "$out" | cut -f1))"
