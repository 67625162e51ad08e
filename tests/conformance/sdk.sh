#!/bin/sh
# tests/conformance/sdk.sh -- start a private "pilothouse serve --listen
# 127.0.0.1:0 --key-file" with private XDG dirs and run the official SDK
# against it (sdk.mjs, which prints the TAP).  Skips when node or the
# pinned SDK cannot be had.
. "$top_srcdir/tests/lib.sh"

node=${NODE:-$(command -v node || true)}
[ -n "$node" ] || skip_all "node not found"
sdk=$("$top_srcdir/tests/node/ensure-sdk.sh")
case $? in
0)	;;
77)	skip_all "the pinned SDK cannot be installed" ;;
*)	echo "Bail out! ensure-sdk.sh failed"; exit 1 ;;
esac

"$PILOTHOUSE" serve --listen 127.0.0.1:0 --key-file "$T/key" --scripted-fast \
    --scenarios "$top_srcdir/tests/conformance/scenarios" >"$T/out" 2>"$T/err" &
echo $! >"$T/pid"
at_exit 'kill $(cat "$T/pid") 2>/dev/null; wait'
if ! wait_for 10 grep -q '^listening http://' "$T/out"; then
	echo "Bail out! serve did not start: $(cat "$T/err")"
	exit 1
fi
url=$(sed -n 's/^listening \(http:[^ ]*\) .*/\1/p' "$T/out")
PH_SDK=$sdk PH_BASE_URL=$url PH_KEY=$(cat "$T/key") "$node" \
    "$top_srcdir/tests/conformance/sdk.mjs"
rv=$?
# The server must still be alive and stop cleanly on SIGTERM.
kill "$(cat "$T/pid")" && wait "$(cat "$T/pid")"
st=$?
[ "$st" -eq 0 ] || { echo "# serve exited with $st:"; sed "s/^/# /" "$T/err"; exit 1; }
exit $rv
