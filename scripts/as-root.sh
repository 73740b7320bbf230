#!/usr/bin/env bash
# Runs a command as root: directly when already root (a fresh Debian machine,
# where there may be no sudo at all), else through sudo, keeping PATH (npx,
# node) and HOME (npm's cache). The netns runtime needs root.
set -euo pipefail
if [ "$(id -u)" -eq 0 ]; then
  exec "$@"
fi
if ! command -v sudo >/dev/null 2>&1; then
  echo "as-root: $1 needs root: run as root, or install sudo" >&2
  exit 1
fi
exec sudo --preserve-env=PATH,HOME env PATH="$PATH" HOME="$HOME" "$@"
