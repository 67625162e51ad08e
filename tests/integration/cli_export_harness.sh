#!/bin/sh
# tests/integration/cli_export_harness.sh -- export against the real
# local harness (pilothouse serve --scripted-fast): a session that is not
# cached, then one the cache holds only the start of, are fetched with
# their whole history and printed, each event once, in order; then the
# same with the API out of reach: a clear error, exit 4, nothing printed.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/harness_lib.sh"

harness_start
AG=$(c http://h/v1/agents -d '{"name":"e","model":"scripted:echo"}' | jq -r .id)
EN=$(c http://h/v1/environments -d '{"name":"e"}' | jq -r .id)
new_session() {
	c http://h/v1/sessions -d "{\"agent\":\"$AG\",\"environment_id\":\"$EN\"}" |
	    jq -r .id
}
# A session with two finished turns.
turns() {
	for m in "first" "second"; do
		"$PILOTHOUSE" --local send "$1" "$m" >/dev/null &&
		"$PILOTHOUSE" --local wait "$1" --until idle || return 1
	done
}
# hist SESSION: the harness's history, one compact event a line.
hist() { c "http://h/v1/sessions/$1/events?limit=1000" | jq -c '.data[]'; }

S1=$(new_session)
turns "$S1"
ok $? "a session with two turns ($S1)"
"$PILOTHOUSE" --local export "$S1" >"$T/out" 2>"$T/err"
is "$?" 0 "export of a session not in the cache"
hist "$S1" >"$T/want"
jq -c . "$T/out" | cmp -s - "$T/want"
ok $? "prints the harness's whole history, each event once, in order"
is "$(grep -c '"type":"user.message"' "$T/out")" 2 \
    "the client events once each (processed copies only)"

# Only the start of the history cached: tail stops at the first event.
S2=$(new_session)
turns "$S2"
"$PILOTHOUSE" --local tail --json --until session.status_running "$S2" \
    >"$T/part" 2>/dev/null
is "$?" 0 "tail caches the history up to the first status_running"
n=$(wc -l <"$T/part")
hist "$S2" >"$T/want2"
[ "$n" -ge 1 ] && [ "$n" -lt "$(wc -l <"$T/want2")" ]
ok $? "which is only part of it ($n of $(wc -l <"$T/want2") events)"
"$PILOTHOUSE" --local export "$S2" >"$T/out2" 2>"$T/err"
is "$?" 0 "export of a partly cached session"
jq -c . "$T/out2" | cmp -s - "$T/want2"
ok $? "fetches the rest: the whole history, each event once, in order"

# Two more: one cached by nothing, one partly, for the API out of reach.
S3=$(new_session)
S4=$(new_session)
turns "$S3" && turns "$S4"
ok $? "two more sessions ($S3, $S4)"
"$PILOTHOUSE" --local tail --json --until session.status_running "$S4" \
    >/dev/null 2>&1
is "$?" 0 "the start of the last one cached"
kill "$(cat "$T/pid")"
wait_for 10 sh -c "! curl -sf --unix-socket '$S' http://h/pilothouse/v1/health -o /dev/null"
ok $? "the harness is stopped"

"$PILOTHOUSE" --api-url "unix:$S" export "$S1" >"$T/again" 2>/dev/null
is "$?" 0 "an exported session is exported again without the API"
cmp -s "$T/again" "$T/out"
ok $? "from the cache, identical"
"$PILOTHOUSE" --api-url "unix:$S" export "$S2" >"$T/again2" 2>/dev/null
cmp -s "$T/again2" "$T/out2"
ok $? "and so is the one that was partly cached"

"$PILOTHOUSE" --api-url "unix:$S" export "$S3" >"$T/out3" 2>"$T/err3"
is "$?" 4 "an uncached session with the API unreachable: exit 4"
grep -q "cannot reach" "$T/err3"
ok $? "saying the API cannot be reached ($(head -n 1 "$T/err3"))"
is "$(wc -c <"$T/out3")" 0 "and printing nothing"
"$PILOTHOUSE" --api-url http://127.0.0.1:1 export "$S4" >"$T/out4" \
    2>"$T/err4"
is "$?" 4 "a partly cached session with the API unreachable: exit 4"
grep -q "cannot reach" "$T/err4"
ok $? "the same error ($(head -n 1 "$T/err4"))"
is "$(wc -c <"$T/out4")" 0 "and not half a log"
done_testing
