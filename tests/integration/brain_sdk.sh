#!/bin/sh
# tests/integration/brain_sdk.sh -- the recorded Anthropic streams read by
# the official SDK (pinned in tests/node) through the stand-in server:
# proof that the recordings are the API's wire format, and that the SDK
# and pilothouse's parser read the same message out of each.
. "$top_srcdir/tests/lib.sh"

modules=$(sh "$top_srcdir/tests/node/ensure-sdk.sh") || skip_all "the official SDK cannot be installed here"
NODE=${NODE:-node}

names="anthropic-tool-use/1 anthropic-tool-use/2 anthropic-parallel/1
anthropic-thinking/1 anthropic-refusal/1 anthropic-long/1
anthropic-malformed/1 anthropic-overloaded/1"
mkdir -p "$T/si"
for n in $names; do
	echo "200 $top_srcdir/tests/data/brains/$n.sse"
done >"$T/script"
"$top_builddir/tests/integration/brain_standin" -s "$T/script" -d "$T/si" &
echo $! >"$T/pid"
at_exit 'kill $(cat "$T/pid") 2>/dev/null'
wait_for 10 test -s "$T/si/port" || skip_all "the stand-in did not start"

# shellcheck disable=SC2086
"$NODE" "$top_srcdir/tests/integration/brain_sdk.mjs" "$modules" \
    "http://127.0.0.1:$(cat "$T/si/port")" "$top_srcdir/tests/data/brains" $names
