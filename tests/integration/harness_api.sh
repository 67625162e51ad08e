#!/bin/sh
# tests/integration/harness_api.sh -- the local harness over its real unix
# socket with curl: objects, a turn with the real sandbox, always_ask
# allow, duplicate and unknown confirmations, an interrupt of a running
# sleep, malformed input, error envelopes, kill -9 and restart.
. "$top_srcdir/tests/lib.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl not found"
command -v jq >/dev/null 2>&1 || skip_all "jq not found"

S="$XDG_RUNTIME_DIR/pilothouse/harness.sock"
start() {
	"$PILOTHOUSE" serve --scripted-fast >"$T/out" 2>"$T/err" &
	echo $! >"$T/pid"
	wait_for 10 curl -sf --unix-socket "$S" http://h/pilothouse/v1/health -o /dev/null
}
at_exit 'kill -9 $(cat "$T/pid") 2>/dev/null'
c() { curl -s --unix-socket "$S" "$@"; }

start; ok $? "serve starts and answers on the unix socket"

AG=$(c http://h/v1/agents -d '{"name":"a","model":"scripted:sleepy","tools":[{"type":"agent_toolset_20260401","configs":[{"name":"bash","permission_policy":{"type":"always_ask"}}]}]}' | jq -r .id)
case $AG in agent_*) ok 0 "agent created";; *) ok 1 "agent created ($AG)";; esac
is "$(c http://h/v1/agents/$AG | jq -r '.tools[0].configs | length')" 8 "toolset resolved to all eight tools"
is "$(c http://h/v1/agents/$AG -d '{"version":7,"name":"b"}' -o /dev/null -w '%{http_code}')" 409 "update with a stale version is 409"
is "$(c http://h/v1/agents/$AG -d '{"version":1,"name":"b"}' | jq .version)" 2 "update bumps the version"
is "$(c http://h/v1/agents/$AG/versions | jq '.data | length')" 2 "versions lists both"
EN=$(c http://h/v1/environments -d '{"name":"e"}' | jq -r .id)
is "$(c http://h/v1/environments/$EN | jq -r .config.networking.type)" limited "environment defaults to limited networking"
SE=$(c http://h/v1/sessions -d "{\"agent\":\"$AG\",\"environment_id\":\"$EN\"}" | jq -r .id)
is "$(c http://h/v1/sessions/$SE | jq -r .status)" idle "a new session is idle"

curl -sN --unix-socket "$S" "http://h/v1/sessions/$SE/events/stream" >"$T/stream" &
echo $! >"$T/spid"
at_exit 'kill $(cat "$T/spid") 2>/dev/null'
wait_for 5 sh -c "[ -f '$T/stream' ]"
sleep_until_sub() { c "http://h/v1/sessions/$SE" >/dev/null; }
sleep_until_sub
c http://h/v1/sessions/$SE/events -d '{"events":[{"type":"user.message","content":[{"type":"text","text":"go"}]}]}' >"$T/send"
is "$(jq -r '.data[0].processed_at' "$T/send")" null "the POST echo is queued (processed_at null)"
wait_for 10 grep -q requires_action "$T/stream"; ok $? "always_ask idles with requires_action"
TU=$(c "http://h/v1/sessions/$SE/events?types[]=agent.tool_use" | jq -r '.data[0].id')
is "$(c "http://h/v1/sessions/$SE/events?types=agent.tool_use" | jq -r '.data[0].evaluated_permission')" ask "repeated types= works too"
is "$(c http://h/v1/sessions/$SE/events -d "{\"events\":[{\"type\":\"user.tool_confirmation\",\"tool_use_id\":\"sevt_nope\",\"result\":\"allow\"}]}" -o /dev/null -w '%{http_code}')" 400 "confirming an unknown id is 400"
is "$(c http://h/v1/sessions/$SE/events -d "{\"events\":[{\"type\":\"user.tool_confirmation\",\"tool_use_id\":\"$TU\",\"result\":\"allow\",\"deny_message\":\"x\"}]}" -o /dev/null -w '%{http_code}')" 400 "deny_message with allow is 400"
c http://h/v1/sessions/$SE/events -d "{\"events\":[{\"type\":\"user.tool_confirmation\",\"tool_use_id\":\"$TU\",\"result\":\"allow\"}]}" >/dev/null
is "$(c http://h/v1/sessions/$SE/events -d "{\"events\":[{\"type\":\"user.tool_confirmation\",\"tool_use_id\":\"$TU\",\"result\":\"allow\"}]}" -o /dev/null -w '%{http_code}')" 400 "answering twice is 400"
wait_for 10 sh -c "[ \$(grep -c 'user.tool_confirmation' '$T/stream') -ge 4 ]"; ok $? "the confirmation is echoed queued, then processed"
is "$(c http://h/v1/sessions/$SE/archive -X POST -o /dev/null -w '%{http_code}')" 400 "archiving a running session is 400"
t0=$(date +%s%N)
c http://h/v1/sessions/$SE/events -d '{"events":[{"type":"user.interrupt"}]}' >/dev/null
wait_for 5 grep -q '"end_turn"' "$T/stream"; ok $? "interrupt ends the turn"
t1=$(date +%s%N)
ms=$(( (t1 - t0) / 1000000 ))
[ "$ms" -lt 1000 ]; ok $? "interrupt of a running sleep took ${ms} ms"
grep -q 'interrupted by user' "$T/stream"; ok $? "the killed call gets an interrupted result"

is "$(c http://h/v1/sessions/$SE/events -d '{"events":[{"type":"no.such"}]}' | jq -r .error.type)" invalid_request_error "unknown event type is 400"
is "$(c http://h/v1/sessions/$SE/events -d '{nope' -o /dev/null -w '%{http_code}')" 400 "malformed JSON is 400"
is "$(c http://h/v1/sessions/sesn_nope -o /dev/null -w '%{http_code}')" 404 "unknown session is 404"
is "$(c http://h/v1/sessions/sesn_nope | jq -r '.request_id | startswith("req_")')" true "errors carry a request_id"
head -c 20000000 /dev/zero | tr '\0' a >"$T/big"
is "$(c http://h/v1/sessions/$SE/events -H 'content-type: application/json' --data-binary @"$T/big" -o /dev/null -w '%{http_code}')" 413 "a huge body is 413"

# Pagination through three pages of events.
n=0; page=""
while :; do
	c "http://h/v1/sessions/$SE/events?limit=3${page:+&page=$page}" >"$T/pg"
	n=$((n + 1))
	page=$(jq -r '.next_page // empty' "$T/pg")
	[ -n "$page" ] || break
done
[ "$n" -ge 3 ]; ok $? "events paginate ($n pages of 3)"
before=$(c "http://h/v1/sessions/$SE/events?limit=1000" | jq '.data | length')

# kill -9 and restart: nothing lost or duplicated.
kill -9 "$(cat "$T/pid")"
wait_for 5 sh -c "! kill -0 $(cat "$T/pid") 2>/dev/null"
start; ok $? "restarts after kill -9"
after=$(c "http://h/v1/sessions/$SE/events?limit=1000" | jq '.data | length')
is "$after" "$before" "the log survived kill -9 intact"
is "$(c "http://h/v1/sessions/$SE/events?limit=1000" | jq '[.data[].id] | unique | length')" "$after" "no duplicated event ids"
"$PILOTHOUSE" serve --stop >/dev/null; ok $? "serve --stop"
"$PILOTHOUSE" serve --stop >/dev/null; ok $? "serve --stop with none running exits 0"
done_testing
