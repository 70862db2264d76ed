#!/usr/bin/env bash
# Installs what the browser and validator tests need: Debian's chromium and a Java runtime
# (when missing, through apt-get as root or with password-less sudo), and the npm tools pinned in package-lock.json into
# node_modules/. Under CI=true a tool that cannot be installed is a failure.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v java >/dev/null 2>&1 || missing+=(default-jre-headless)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v git >/dev/null 2>&1 || missing+=(git)
command -v strace >/dev/null 2>&1 || missing+=(strace)  # tests that kill a build at its renames

if ((${#missing[@]})); then
  as_root=()
  if [ "$(id -u)" != 0 ] && command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    as_root=(sudo -n)  # e.g. GitHub's runners: not root, but password-less sudo
  fi
  if { [ "$(id -u)" = 0 ] || ((${#as_root[@]})); } && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian packages: ${missing[*]}"
    "${as_root[@]}" apt-get update -qq
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "missing tools: ${missing[*]} (install them, or run as root to let this script use apt-get)" >&2
    if [ "${CI:-}" = "true" ]; then exit 1; fi
  fi
fi

if command -v npm >/dev/null 2>&1; then
  if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    npm ci --no-audit --no-fund --loglevel=error
  fi
elif [ "${CI:-}" = "true" ]; then
  echo "npm is missing" >&2
  exit 1
fi
