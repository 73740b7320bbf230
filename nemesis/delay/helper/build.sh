#!/bin/sh
# Builds the userspace packet scheduler, faultline-delay, as a static binary
# (it only needs the kernel's uapi headers and libc, so one binary runs on any
# x86-64 Linux node: netns, docker or ssh). Rebuilds only when the source is
# newer than the binary.
#
#   nemesis/delay/helper/build.sh [OUTPUT]   (default OUTPUT: <repo>/build/faultline-delay, git-ignored)
#
# Prints the binary's path. Needs gcc and libc6-dev (static libc.a); see scripts/setup.sh.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../../build/faultline-delay}
src=$here/faultline-delay.c
mkdir -p "$(dirname "$out")"
out=$(cd "$(dirname "$out")" && pwd)/$(basename "$out")
if [ ! -x "$out" ] || [ "$src" -nt "$out" ] || [ "$here/rtt.c" -nt "$out" ] || [ "$0" -nt "$out" ]; then
  command -v gcc >/dev/null 2>&1 || { echo "build.sh: gcc is missing (apt-get install gcc libc6-dev)" >&2; exit 1; }
  tmp=$out.$$.tmp
  gcc -std=c11 -O2 -Wall -Wextra -Werror -static -s -o "$tmp" "$src" "$here/rtt.c" -lm
  mv -f "$tmp" "$out"
fi
echo "$out"
