#!/bin/sh
# tests/integration/cli_harness.sh -- the command line against the real
# local harness (pilothouse serve): started on demand when no key is
# configured, then send, wait, tail, approve, deny, interrupt and sessions
# on scripted sessions, with tail's output and cache checked against the
# harness's own history.
. "$top_srcdir/tests/lib.sh"
command -v curl >/dev/null 2>&1 || skip_all "curl not found"
command -v jq >/dev/null 2>&1 || skip_all "jq not found"

S="$XDG_RUNTIME_DIR/pilothouse/harness.sock"
c() { curl -s --unix-socket "$S" "$@"; }
at_exit '"$PILOTHOUSE" serve --stop >/dev/null 2>&1'

# Nothing configured: the harness is started with serve --background.
"$PILOTHOUSE" sessions >"$T/out" 2>"$T/err"
is "$?" 0 "no key, no URL: sessions runs against the local harness"
test -S "$S"
ok $? "which was started on its socket"
is "$(wc -l <"$T/out")" 0 "and has no sessions yet"
"$PILOTHOUSE" serve --stop >/dev/null 2>&1
wait_for 10 sh -c "! curl -sf --unix-socket '$S' http://h/pilothouse/v1/health -o /dev/null"

# The rest runs on a fast harness (no scripted delays).
"$PILOTHOUSE" serve --scripted-fast --background >/dev/null
is "$?" 0 "serve --scripted-fast --background"
AG=$(c http://h/v1/agents -d '{"name":"e","model":"scripted:echo"}' | jq -r .id)
EN=$(c http://h/v1/environments -d '{"name":"e"}' | jq -r .id)
SE=$(c http://h/v1/sessions -d "{\"agent\":\"$AG\",\"environment_id\":\"$EN\"}" |
    jq -r .id)
case $SE in sesn_*) ok 0 "a session to steer ($SE)" ;;
*) ok 1 "a session to steer ($SE)" ;; esac

id=$("$PILOTHOUSE" --local send "$SE" "bonjour, harness")
is "$?" 0 "send"
case $id in sevt_*) ok 0 "prints the event id" ;; *) ok 1 "prints the event id ($id)" ;; esac
"$PILOTHOUSE" --local tail --json --until session.status_idle:end_turn "$SE" \
    >"$T/tail" 2>"$T/err"
is "$?" 0 "tail --until session.status_idle:end_turn"
grep -q '"text":"bonjour, harness"' "$T/tail"
ok $? "the echo agent's answer is in the log"
c "http://h/v1/sessions/$SE/events?limit=1000" | jq -c '.data[]' >"$T/hist"
jq -c . "$T/tail" | cmp -s - "$T/hist"
ok $? "tail printed the harness's history, each event once, in order"
"$PILOTHOUSE" --local wait "$SE" --until idle
is "$?" 0 "wait --until idle"
"$PILOTHOUSE" --local sessions --status idle >"$T/list"
grep -q "^$SE  idle" "$T/list"
ok $? "sessions --status idle lists it"
"$PILOTHOUSE" --local sessions --status running >"$T/list"
is "$(wc -l <"$T/list")" 0 "sessions --status running does not"

# A held tool call: deny it with a message, then approve the next one.
AG2=$(c http://h/v1/agents -d '{"name":"b","model":"scripted:hello-bash",
    "tools":[{"type":"agent_toolset_20260401","default_config":
    {"permission_policy":{"type":"always_ask"}}}]}' | jq -r .id)
S2=$(c http://h/v1/sessions -d "{\"agent\":\"$AG2\",\"environment_id\":\"$EN\"}" |
    jq -r .id)
"$PILOTHOUSE" --local send "$S2" "go" >/dev/null
"$PILOTHOUSE" --local tail --json --until session.status_idle:requires_action \
    "$S2" >"$T/held"
is "$?" 0 "the tool call is held (requires_action)"
TU=$(jq -r 'select(.type == "agent.tool_use") | .id' "$T/held" | tail -n 1)
"$PILOTHOUSE" --local deny "$S2" "$TU" --message "not in this test" >/dev/null
is "$?" 0 "deny --message"
wait_for 10 sh -c "curl -s --unix-socket '$S' 'http://h/v1/sessions/$S2/events?types[]=user.tool_confirmation' | jq -e '.data[] | select(.result == \"deny\" and .deny_message == \"not in this test\")' >/dev/null"
ok $? "the harness recorded the denial and its message"
"$PILOTHOUSE" --local wait "$S2" --until idle
is "$?" 0 "wait after the denial"
"$PILOTHOUSE" --local send "$S2" "again" >/dev/null
wait_for 10 sh -c "curl -s --unix-socket '$S' 'http://h/v1/sessions/$S2/events?types[]=agent.tool_use' | jq -e '.data | length == 2' >/dev/null"
TU2=$(c "http://h/v1/sessions/$S2/events?types[]=agent.tool_use" |
    jq -r '.data[1].id')
"$PILOTHOUSE" --local approve "$S2" "$TU2" >/dev/null
is "$?" 0 "approve"
"$PILOTHOUSE" --local tail "$S2" >"$T/human" 2>/dev/null &
tp=$!
at_exit "kill $tp"
wait_for 10 grep -q "user.tool_confirmation  allow" "$T/human"
ok $? "tail shows the approval, live"
wait_for 10 grep -q "The sandbox printed: hello from the sandbox" "$T/human"
ok $? "and the tool's output, run in the sandbox"
kill "$tp"

# Interrupt, and the cache.
"$PILOTHOUSE" --local interrupt "$SE" >/dev/null
is "$?" 0 "interrupt"
wait_for 10 sh -c "curl -s --unix-socket '$S' 'http://h/v1/sessions/$SE/events?types[]=user.interrupt' | jq -e '.data | length == 1' >/dev/null"
ok $? "the harness processed the interrupt"
if command -v sqlite3 >/dev/null; then
	n=$(sqlite3 "$XDG_CACHE_HOME/pilothouse/cache.db" "SELECT count(*) FROM
	    events e JOIN sessions s ON s.key = e.sess WHERE s.id = '$SE'")
	is "$n" "$(wc -l <"$T/hist")" "the cache holds what tail printed"
else
	ok 0 "# SKIP sqlite3 not installed"
fi
"$PILOTHOUSE" --local send sesn_011CNOSUCHTHING hi 2>"$T/err"
is "$?" 3 "an unknown session: exit 3"
grep -q "^pilothouse: 404 not_found_error: " "$T/err"
ok $? "with the harness's error envelope"
done_testing
