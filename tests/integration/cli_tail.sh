#!/bin/sh
# tests/integration/cli_tail.sh -- pilothouse tail against the fault
# server: the whole history then live, each event exactly once and
# byte-identical in --json, through cuts, split writes and junk frames;
# --until; errors and their exit statuses.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/fault.sh"

fs_start --events 120 --history 40 --interval 2 --cut-every 7 --split \
    --malformed --client-every 5 --same-ts 2 --page-max 9
export ANTHROPIC_API_KEY=sk-ant-cli-test-key

"$PILOTHOUSE" tail --json "$SESSION" >"$T/out" 2>"$T/err"
is "$?" 0 "tail exits 0 when the session terminates"
fs_log "$SESSION" >"$T/want"
cmp -s "$T/out" "$T/want"
ok $? "--json: every event once, in order, byte-identical to the server"
is "$(wc -l <"$T/out")" "$(wc -l <"$T/want")" "as many lines as events"
grep -q "skipped a malformed event" "$T/err"
ok $? "malformed frames are reported on stderr"
! grep -q "sk-ant-cli-test-key" "$T/out" "$T/err"
ok $? "the key is not on the screen"

# The cache holds the same log, and a second tail resumes from it.
cache=$XDG_CACHE_HOME/pilothouse/cache.db
cached() {
	sqlite3 "$cache" "SELECT r.raw FROM events e JOIN event_raw r USING (seq)
	    JOIN sessions s ON s.key = e.sess WHERE s.id = '$1' ORDER BY e.seq"
}
if command -v sqlite3 >/dev/null; then
	cached "$SESSION" | cmp -s - "$T/want"
	ok $? "the cache holds every event, in order, as received"
	is "$(stat -c %a "$cache")" 600 "the cache file is private"
else
	ok 0 "# SKIP sqlite3 not installed"
	ok 0 "# SKIP sqlite3 not installed"
fi
n=$(fs_requests "/events?")
"$PILOTHOUSE" tail --json "$SESSION" >"$T/again" 2>/dev/null
is "$?" 0 "a second tail of the cached session"
cmp -s "$T/again" "$T/want"
ok $? "prints the same log"
# From the newest cached time less the 2 s reorder window (stream.h).
last=$(sed 's/.*"processed_at":"\([^"]*\)".*/\1/' "$T/want" | sort | tail -n 1)
from=$(date -u -d "@$(( $(date -u -d "${last%.*}Z" +%s) - 2 ))" \
    +%Y-%m-%dT%H%%3A%M%%3A%S).${last#*.}
[ "$(fs_requests "created_at%5Bgte%5D=$from ")" -ge 1 ]
ok $? "and asks the server only from the newest cached time on"

# Human format: no raw escape reaches the terminal.
"$PILOTHOUSE" tail "$SESSION" >"$T/human" 2>/dev/null
is "$?" 0 "human format exits 0"
esc=$(printf '\033')
! grep -q "$esc" "$T/human"
ok $? "no ESC byte in the human output (the events carry \\u001b)"
grep -q "␛\[31mred" "$T/human"
ok $? "escapes are shown inert"
grep -q "agent.future_thing (unknown type)" "$T/human"
ok $? "an unknown event type is shown generically"
is "$(tail -n 1 "$T/human" | cut -d' ' -f2)" session.status_terminated \
    "the last line is the terminating event"

# --until: stop after the first matching event.
"$PILOTHOUSE" tail --json --until session.status_idle:end_turn "$SESSION" \
    >"$T/until" 2>/dev/null
is "$?" 0 "--until exits 0 on a match"
first=$(grep -n '"type":"session.status_idle"' "$T/want" | head -n 1 |
    cut -d: -f1)
head -n "$first" "$T/want" | cmp -s - "$T/until"
ok $? "--until prints up to and including the first match"
"$PILOTHOUSE" tail --until session.error "$SESSION" >/dev/null 2>"$T/err"
is "$?" 1 "--until with no match: exit 1 when the session ends"
grep -q "ended without session.error" "$T/err"
ok $? "saying what was not seen"
"$PILOTHOUSE" tail --until : "$SESSION" >/dev/null 2>&1
is "$?" 2 "a bad --until is a usage error"
"$PILOTHOUSE" tail >/dev/null 2>&1
is "$?" 2 "tail without a session is a usage error"

# Two sessions at once, one of them unknown.
"$PILOTHOUSE" tail "$SESSION" sesn_011CNOPE >"$T/two" 2>"$T/err"
is "$?" 3 "an unknown session: exit 3 (API error)"
grep -q "sesn_011CNOPE: 404 not_found_error: session not found" "$T/err"
ok $? "with the API's error, after the session id"
grep -q "^$SESSION .*session.status_terminated" "$T/two"
ok $? "the other session was printed, lines prefixed with its id"

# Unreachable: give up after the first tries, with a hint.
fs_stop
"$PILOTHOUSE" tail "$SESSION" >/dev/null 2>"$T/err"
is "$?" 4 "unreachable: exit 4 (network)"
grep -q "is the server running?" "$T/err"
ok $? "with a hint"
done_testing
