#!/bin/sh
# tests/node/ensure-sdk.sh [SUBDIR] -- install the pinned official SDK
# (package-lock.json) into $top_builddir/tests/node once, for the tests
# and benchmarks that drive pilothouse with it.  With SUBDIR, install
# tests/node/SUBDIR's pinned packages into $top_builddir/tests/node/SUBDIR
# instead (node22: Node.js 22 for the SDK's agent toolset).  Prints the
# node_modules path on success; exits 77 (skip) when node/npm or the
# registry are unavailable.
set -u
sub=${1:-}
src=$(cd "$(dirname "$0")/$sub" && pwd)
dest=${top_builddir:-$src/../..}/tests/node${sub:+/$sub}
node=${NODE:-$(command -v node || true)}
if [ -z "$node" ] || ! command -v npm >/dev/null 2>&1; then
	echo "node or npm not found" >&2
	exit 77
fi
mkdir -p "$dest"
# One installer at a time: tests run in parallel.
exec 9>"$dest/.install.lock"
flock 9
# npm leaves its own copy of the lock file behind a finished install.
if [ ! -f "$dest/node_modules/.package-lock.json" ]; then
	if [ "$src" != "$dest" ]; then
		cp "$src/package.json" "$src/package-lock.json" "$dest/"
	fi
	if ! (cd "$dest" && npm ci --no-audit --no-fund --loglevel=error) >&2; then
		echo "npm ci failed (is the npm registry reachable?)" >&2
		exit 77
	fi
fi
echo "$dest/node_modules"
