#!/usr/bin/env bash
# Installs everything faultline and its test suite need on a fresh Debian 12 machine:
# system packages from apt, then the npm dependencies. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  etcd-server etcd-client      # the etcd target
  iptables iproute2 procps     # netns runtime, partitions, packet loss, kill/pause
  faketime                     # clock skew (libfaketime)
  perl                         # tests: a long-running libc clock reader (Time::HiRes)
  docker.io debootstrap        # docker runtime; images built without a registry
  openssh-server openssh-client sudo # ssh runtime (tested against sshd inside netns nodes, also as a sudo user)
  chromium                     # browser tests of the HTML report (playwright-core)
  gcc libc6-dev                # the delay fault's helper, a static C binary (nemesis/delay/helper/)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: these packages are missing and installing them needs root: ${missing[*]}" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The delay fault's userspace packet scheduler (rebuilt only when its source changed): build/faultline-delay.
nemesis/delay/helper/build.sh >/dev/null

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi
