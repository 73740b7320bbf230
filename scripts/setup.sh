#!/usr/bin/env bash
# Installs everything faultline and its test suite need on a fresh Debian 12
# machine: the npm dependencies, then the system packages from apt (the
# nodes' packages come from the target and fault registries). Safe to run
# again. Run it as root, or as a user with sudo (it uses sudo for apt-get).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies"
  npm ci --no-audit --no-fund --loglevel=error
fi

# What faultline itself and its tests use, besides what the nodes need.
tools=(
  iptables iproute2 procps     # netns runtime: namespaces, veth, the hub's firewall
  perl                         # tests: a long-running libc clock reader (Time::HiRes)
  docker.io debootstrap        # docker runtime; images built without a registry
  openssh-server openssh-client sudo # ssh runtime (tested against sshd inside netns nodes, also as a sudo user)
  chromium                     # browser tests of the HTML report (playwright-core)
  gcc libc6-dev                # the delay fault's helper, a static C binary (nemesis/delay/helper/)
  libxml2-utils                # tests: xmllint validates the JUnit files against the JUnit schema
  python3 jq                   # the process target's examples: a Python server and adapter, an etcdctl adapter in sh
)
mapfile -t node_packages < <(node --import tsx scripts/system-packages.ts)

missing=()
for p in "${tools[@]}" "${node_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  as_root=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "setup: these packages are missing and installing them needs root (or sudo): ${missing[*]}" >&2
      exit 1
    fi
    as_root=(sudo)
  fi
  echo "setup: installing ${missing[*]}"
  # The packages' own services (postgresql, mariadb, redis) must not start on the host: faultline runs
  # its own servers on each node. A policy-rc.d that says no is the Debian way; ours only while installing.
  policy=/usr/sbin/policy-rc.d
  if [ ! -e "$policy" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${as_root[@]}" tee "$policy" >/dev/null
    "${as_root[@]}" chmod 755 "$policy"
    trap '"${as_root[@]}" rm -f "$policy"' EXIT
  fi
  "${as_root[@]}" apt-get update -qq
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The delay fault's userspace packet scheduler (rebuilt only when its source changed): build/faultline-delay.
nemesis/delay/helper/build.sh >/dev/null
