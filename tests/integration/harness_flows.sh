#!/bin/sh
# tests/integration/harness_flows.sh -- permission and error flows of the
# real harness (--scripted-fast, real sandbox), each checked against the
# exact event sequence in the log: always_allow, always_ask denied with a
# deny_message, auto denying a high-risk call without a pause, a custom
# tool answered with user.custom_tool_result, retries exhausted, several
# asks in one response answered one at a time, a queued message across
# kill -9; then, paced (no --scripted-fast): a custom tool result sent
# before the idle, a message joining the running turn at the next model
# request, and event_deltas[] previews; 1,000 idle streams and a slow
# client that is cut without holding back its neighbour.
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/integration/harness_lib.sh"

mkdir -p "$T/sc"
cat >"$T/sc/risky.json" <<'X'
{"scenario": "risky", "turns": [{"responses": [
  {"blocks": [{"tool": "bash", "input": {"command": "sudo reboot"}}]},
  {"blocks": [{"text": "refused"}], "stop": "end_turn"}]}]}
X
cat >"$T/sc/custom.json" <<'X'
{"scenario": "custom", "turns": [{"responses": [
  {"blocks": [{"custom_tool": "lookup", "input": {"key": "k"}}]},
  {"blocks": [{"text": "got it"}], "stop": "end_turn"}]}]}
X
cat >"$T/sc/down.json" <<'X'
{"scenario": "down", "turns": [{"responses": [
  {"fail": {"type": "model_overloaded_error", "times": 100, "retry_after_ms": 0},
   "blocks": [{"text": "never"}], "stop": "end_turn"}]}]}
X

cat >"$T/sc/two-asks.json" <<'X'
{"scenario": "two-asks", "turns": [{"responses": [
  {"blocks": [{"tool": "bash", "input": {"command": "echo first-ran"}},
              {"tool": "bash", "input": {"command": "echo second-ran"}}]},
  {"blocks": [{"text": "both settled"}], "stop": "end_turn"}]}]}
X
cat >"$T/sc/custom-early.json" <<'X'
{"scenario": "custom-early", "turns": [{"responses": [
  {"blocks": [{"custom_tool": "lookup", "input": {"key": "k"}}, {"pause_ms": 3000}]},
  {"blocks": [{"text": "got it"}], "stop": "end_turn"}]}]}
X
cat >"$T/sc/busy.json" <<'X'
{"scenario": "busy", "turns": [{"responses": [
  {"blocks": [{"text": "working"}, {"pause_ms": 1500},
              {"tool": "bash", "input": {"command": "true"}}]},
  {"blocks": [{"text": "done"}], "stop": "end_turn"}]}]}
X
cat >"$T/sc/chatty.json" <<'X'
{"scenario": "chatty", "turns": [{"responses": [
  {"pace": {"cps": 2000, "chunk": 40},
   "blocks": [{"text": "The quick brown fox jumps over the lazy dog; the quick brown fox jumps over the lazy dog again, and once more for the previews."}],
   "stop": "end_turn"}]}]}
X

harness_start --scenarios "$T/sc"
EN=$(c http://h/v1/environments -d '{"name":"e"}' | jq -r .id)
# session MODEL TOOLS: a new session of a new agent.
session() {
	ag=$(c http://h/v1/agents -d "{\"name\":\"a\",\"model\":\"$1\",\"tools\":$2}" | jq -r .id)
	c http://h/v1/sessions -d "{\"agent\":\"$ag\",\"environment_id\":\"$EN\"}" | jq -r .id
}
say() { c "http://h/v1/sessions/$1/events" -d '{"events":[{"type":"user.message","content":[{"type":"text","text":"go"}]}]}' >/dev/null; }
idle_with() { seq_of "$1" | tail -n 1 | grep -q "^session.status_idle $2\$"; }

# always_allow: the call runs without asking.
SE=$(session scripted:hello-bash '[{"type":"agent_toolset_20260401"}]')
say "$SE"; wait_for 15 idle_with "$SE" end_turn; ok $? "always_allow: the turn ends"
expect_seq "$SE" "always_allow: exact sequence" <<'X'
session.status_running
user.message
span.model_request_start
agent.message
agent.tool_use bash allow
span.model_request_end false
agent.tool_result false
span.model_request_start
agent.message
span.model_request_end false
session.usage
session.status_idle end_turn
X
is "$(c "http://h/v1/sessions/$SE/events?types[]=agent.tool_result" | jq -r '.data[0].content[0].text')" "hello from the sandbox" \
    "the call really ran in the sandbox"
# The scripted brain estimates usage from the conversation it is sent
# (characters / 4): the second request carries the first's response and
# the tool's result, so it is larger than the first request's input and
# output together; session.usage adds up the spans.
c "http://h/v1/sessions/$SE/events?limit=100" >"$T/usage"
jq -c '[.data[] | select(.type == "span.model_request_end") | .model_usage | [.input_tokens, .output_tokens]]' "$T/usage" >"$T/spans"
jq -e '.[0][0] > 10 and .[0][1] > 5 and .[1][1] > 5 and .[1][0] > .[0][0] + .[0][1] + 5' "$T/spans" >/dev/null
ok $? "span.model_request_end: each request's estimated usage, the second's input grown ($(cat "$T/spans"))"
is "$(jq -c '[.data[] | select(.type == "session.usage")][0].usage | [.input_tokens, .output_tokens]' "$T/usage")" \
    "$(jq -c '[(map(.[0]) | add), (map(.[1]) | add)]' "$T/spans")" "session.usage: the sum of the spans"

# always_ask, denied with a deny_message: the tool never runs.
SE=$(session scripted:hello-bash '[{"type":"agent_toolset_20260401","configs":[{"name":"bash","permission_policy":{"type":"always_ask"}}]}]')
say "$SE"; wait_for 15 idle_with "$SE" requires_action; ok $? "always_ask: idles with requires_action"
TU=$(c "http://h/v1/sessions/$SE/events?types[]=agent.tool_use" | jq -r '.data[0].id')
is "$(c "http://h/v1/sessions/$SE/events?types[]=session.status_idle" | jq -r ".data[0].stop_reason.event_ids | join(\",\")")" "$TU" \
    "requires_action names the pending call"
c "http://h/v1/sessions/$SE/events" -d "{\"events\":[{\"type\":\"user.tool_confirmation\",\"tool_use_id\":\"$TU\",\"result\":\"deny\",\"deny_message\":\"not on a Friday\"}]}" >/dev/null
wait_for 15 idle_with "$SE" end_turn; ok $? "deny: the turn ends"
expect_seq "$SE" "deny: exact sequence" <<'X'
session.status_running
user.message
span.model_request_start
agent.message
agent.tool_use bash ask
span.model_request_end false
session.status_idle requires_action
session.status_running
user.tool_confirmation
agent.tool_result true
span.model_request_start
agent.message
span.model_request_end false
session.usage
session.status_idle end_turn
X
c "http://h/v1/sessions/$SE/events?types[]=agent.tool_result" | jq -r '.data[0].content[0].text' >"$T/res"
grep -q 'not on a Friday' "$T/res"; ok $? "the synthetic result carries the deny_message"
! grep -q 'hello from the sandbox' "$T/res"; ok $? "the denied tool never ran"

# auto: a high-risk call is denied at once, with no pause.
SE=$(session scripted:risky '[{"type":"agent_toolset_20260401","default_config":{"permission_policy":{"type":"auto"}}}]')
say "$SE"; wait_for 15 idle_with "$SE" end_turn; ok $? "auto deny: the turn ends"
expect_seq "$SE" "auto deny: exact sequence, no requires_action" <<'X'
session.status_running
user.message
span.model_request_start
agent.tool_use bash deny
span.model_request_end false
agent.tool_result true
span.model_request_start
agent.message
span.model_request_end false
session.usage
session.status_idle end_turn
X
is "$(c "http://h/v1/sessions/$SE/events?types[]=agent.tool_use" | jq -r '.data[0].evaluation.evaluated_permission.reason_code // .data[0].permission_evaluation.evaluated_permission.reason_code // empty' | head -n 1)" "high_risk" \
    "the evaluation names high_risk" 
grep -q 'high_risk' "$T/got" || c "http://h/v1/sessions/$SE/events?types[]=agent.tool_result" | jq -r '.data[0].content[0].text' | grep -q 'high_risk'
ok $? "the synthetic result says why"

# A custom tool, answered with user.custom_tool_result.
SE=$(session scripted:custom '[{"type":"custom","name":"lookup","description":"look up","input_schema":{"type":"object"}}]')
say "$SE"; wait_for 15 idle_with "$SE" requires_action; ok $? "custom tool: idles with requires_action"
CU=$(c "http://h/v1/sessions/$SE/events?types[]=agent.custom_tool_use" | jq -r '.data[0].id')
c "http://h/v1/sessions/$SE/events" -d "{\"events\":[{\"type\":\"user.custom_tool_result\",\"custom_tool_use_id\":\"$CU\",\"content\":[{\"type\":\"text\",\"text\":\"v\"}]}]}" >/dev/null
wait_for 15 idle_with "$SE" end_turn; ok $? "custom tool: the result resumes the turn"
expect_seq "$SE" "custom tool: exact sequence" <<'X'
session.status_running
user.message
span.model_request_start
agent.custom_tool_use
span.model_request_end false
session.status_idle requires_action
user.custom_tool_result
session.status_running
span.model_request_start
agent.message
span.model_request_end false
session.usage
session.status_idle end_turn
X

# Retries exhausted: four attempts, then retries_exhausted.
SE=$(session scripted:down '[]')
say "$SE"; wait_for 15 idle_with "$SE" retries_exhausted; ok $? "retries exhausted: idles"
{
	echo session.status_running
	echo user.message
	for i in 1 2 3; do
		echo span.model_request_start
		echo span.model_request_end true
		echo session.error model_overloaded_error retrying
		echo session.status_rescheduled
		echo session.status_running
	done
	echo span.model_request_start
	echo span.model_request_end true
	echo session.error model_overloaded_error exhausted
	echo session.usage
	echo session.status_idle retries_exhausted
} >"$T/retries"
expect_seq "$SE" "retries exhausted: exact sequence" <"$T/retries"

# A message queued while the session waits is pending, not logged; it
# survives kill -9 and is processed (logged once, after status_running)
# when the turn resumes.
SE=$(session scripted:custom '[{"type":"custom","name":"lookup","description":"look up","input_schema":{"type":"object"}}]')
say "$SE"; wait_for 15 idle_with "$SE" requires_action; ok $? "pending: idles with requires_action"
CU=$(c "http://h/v1/sessions/$SE/events?types[]=agent.custom_tool_use" | jq -r '.data[0].id')
MID=$(c "http://h/v1/sessions/$SE/events" -d '{"events":[{"type":"user.message","content":[{"type":"text","text":"later"}]}]}' | jq -r '.data[0].id')
is "$(c "http://h/v1/sessions/$SE/events?types[]=user.message" | jq '.data | length')" 1 "pending: a queued message is not in the log yet"
kill -9 "$(cat "$T/pid")"
wait_for 5 sh -c "! kill -0 $(cat "$T/pid") 2>/dev/null"
harness_start --scenarios "$T/sc"
c "http://h/v1/sessions/$SE/events" -d "{\"events\":[{\"type\":\"user.custom_tool_result\",\"custom_tool_use_id\":\"$CU\",\"content\":[{\"type\":\"text\",\"text\":\"v\"}]}]}" >/dev/null
wait_for 15 sh -c "[ \"\$(curl -s --unix-socket '$S' 'http://h/v1/sessions/$SE/events?types[]=user.message' | jq '.data | length')\" = 2 ]"
ok $? "pending: after kill -9 the queued message is processed"
c "http://h/v1/sessions/$SE/events?limit=1000" >"$T/all"
is "$(jq -r --arg m "$MID" '[.data[] | select(.id == $m) | .processed_at != null] | join(",")' "$T/all")" true \
    "pending: logged once, with its processed_at"
is "$(jq -r --arg m "$MID" '[.data[] | .type + (if .id == $m then "*" else "" end)] | .[index("user.custom_tool_result"):] | .[0:4] | join(" ")' "$T/all")" \
    "user.custom_tool_result session.status_running user.message* span.model_request_start" \
    "pending: it joins the next model request, after status_running"
jq -r '[.data[].processed_at] | . == sort' "$T/all" | grep -q true; ok $? "the log is in processed_at order"

# Two asks in one response: answering one re-emits requires_action with
# the remaining id only; answering the other resumes the turn.
SE=$(session scripted:two-asks '[{"type":"agent_toolset_20260401","configs":[{"name":"bash","permission_policy":{"type":"always_ask"}}]}]')
say "$SE"; wait_for 15 idle_with "$SE" requires_action; ok $? "two asks: idles with requires_action"
c "http://h/v1/sessions/$SE/events?types[]=agent.tool_use" | jq -r '.data[].id' >"$T/tus"
A=$(sed -n 1p "$T/tus"); B=$(sed -n 2p "$T/tus")
is "$(c "http://h/v1/sessions/$SE/events?types[]=session.status_idle" | jq -r '.data[-1].stop_reason.event_ids | join(",")')" "$A,$B" \
    "two asks: requires_action names both, in model order"
c "http://h/v1/sessions/$SE/events" -d "{\"events\":[{\"type\":\"user.tool_confirmation\",\"tool_use_id\":\"$B\",\"result\":\"allow\"}]}" >/dev/null
wait_for 15 sh -c "[ \$(curl -s --unix-socket '$S' 'http://h/v1/sessions/$SE/events?types[]=session.status_idle' | jq '.data | length') = 2 ]"
ok $? "two asks: a partial answer idles again"
is "$(c "http://h/v1/sessions/$SE/events?types[]=session.status_idle" | jq -r '.data[-1].stop_reason | .type + " " + (.event_ids | join(","))')" "requires_action $A" \
    "two asks: the new requires_action names the remaining id only"
c "http://h/v1/sessions/$SE/events" -d "{\"events\":[{\"type\":\"user.tool_confirmation\",\"tool_use_id\":\"$A\",\"result\":\"deny\"}]}" >/dev/null
wait_for 15 idle_with "$SE" end_turn; ok $? "two asks: the last answer ends the turn"
expect_seq "$SE" "two asks: exact sequence" <<'X'
session.status_running
user.message
span.model_request_start
agent.tool_use bash ask
agent.tool_use bash ask
span.model_request_end false
session.status_idle requires_action
user.tool_confirmation
session.status_idle requires_action
session.status_running
user.tool_confirmation
agent.tool_result true
agent.tool_result false
span.model_request_start
agent.message
span.model_request_end false
session.usage
session.status_idle end_turn
X
c "http://h/v1/sessions/$SE/events?types[]=agent.tool_result" | jq -r '.data[] | .tool_use_id + " " + (.is_error | tostring) + " " + (.content[0].text // "")' >"$T/res"
grep -q "^$B false second-ran" "$T/res"; ok $? "two asks: the allowed call ran"
grep -q "^$A true" "$T/res" && ! grep -q first-ran "$T/res"; ok $? "two asks: the denied call never ran"

# 1,000 idle stream connections: all open, all get the next turn.
HS="$top_builddir/tests/integration/harness_streams"
SE=$(session scripted:echo '[]')
"$HS" "$S" idle "$SE" 1000 >"$T/idle" 2>"$T/idle.err"
ok $? "1000 streams: the helper ran"; sed "s/^/# /" "$T/idle.err"
is "$(sed -n 's/^ended //p' "$T/idle")" 1000 "1000 streams: every stream saw the turn end"
diag "1000 streams: the turn reached the last of them in $(sed -n 's/^ms //p' "$T/idle") ms"
is "$(curl -s --unix-socket "$S" -o /dev/null -w '%{http_code}' http://h/pilothouse/v1/health)" 200 "1000 streams: the harness still answers"

# A client that never reads is cut once it lags past the hub's budget
# (8 MB), and the reader next to it is never held back.
SE=$(session scripted:echo '[]')
"$HS" "$S" slow "$SE" 8 1000000 >"$T/slow" 2>"$T/slow.err"
ok $? "slow client: the helper ran"; sed "s/^/# /" "$T/slow.err"
is "$(sed -n 's/^fast_turns //p' "$T/slow")" 8 "slow client: the reader saw all 8 turns"
is "$(sed -n 's/^slow_cut //p' "$T/slow")" 1 "slow client: the slow stream was cut ($(sed -n 's/^slow_turns //p' "$T/slow") turns got through)"

# Paced from here: the scenarios' pauses are real.
kill "$(cat "$T/pid")"
wait_for 5 sh -c "! kill -0 $(cat "$T/pid") 2>/dev/null"
"$PILOTHOUSE" serve --scenarios "$T/sc" >"$T/out" 2>"$T/err" &
echo $! >"$T/pid"
wait_for 10 curl -sf --unix-socket "$S" http://h/pilothouse/v1/health -o /dev/null
ok $? "serve restarts paced"

# A custom tool result sent while the response is still streaming: no
# requires_action pause at all.
SE=$(session scripted:custom-early '[{"type":"custom","name":"lookup","description":"look up","input_schema":{"type":"object"}}]')
say "$SE"
wait_for 10 sh -c "curl -s --unix-socket '$S' 'http://h/v1/sessions/$SE/events?types[]=agent.custom_tool_use' | jq -e '.data | length == 1' >/dev/null"
ok $? "early result: the custom tool use is logged mid-response"
CU=$(c "http://h/v1/sessions/$SE/events?types[]=agent.custom_tool_use" | jq -r '.data[0].id')
is "$(c "http://h/v1/sessions/$SE/events" -d "{\"events\":[{\"type\":\"user.custom_tool_result\",\"custom_tool_use_id\":\"$CU\",\"content\":[{\"type\":\"text\",\"text\":\"v\"}]}]}" -o /dev/null -w '%{http_code}')" 200 \
    "early result: accepted before the idle"
wait_for 15 idle_with "$SE" end_turn; ok $? "early result: the turn ends"
expect_seq "$SE" "early result: exact sequence, no requires_action" <<'X'
session.status_running
user.message
span.model_request_start
agent.custom_tool_use
user.custom_tool_result
span.model_request_end false
span.model_request_start
agent.message
span.model_request_end false
session.usage
session.status_idle end_turn
X

# A message sent while the turn runs is queued, then joins the turn at
# the next model request (not a new turn).
SE=$(session scripted:busy '[{"type":"agent_toolset_20260401"}]')
say "$SE"
wait_for 10 sh -c "curl -s --unix-socket '$S' 'http://h/v1/sessions/$SE/events?types[]=agent.message' | jq -e '.data | length == 1' >/dev/null"
ok $? "queued: the turn is running"
is "$(c "http://h/v1/sessions/$SE/events" -d '{"events":[{"type":"user.message","content":[{"type":"text","text":"also this"}]}]}' | jq -r '.data[0].processed_at')" null \
    "queued: the echo is queued"
wait_for 15 idle_with "$SE" end_turn; ok $? "queued: the turn ends"
expect_seq "$SE" "queued: the message joins the next model request" <<'X'
session.status_running
user.message
span.model_request_start
agent.message
agent.tool_use bash allow
span.model_request_end false
agent.tool_result false
user.message
span.model_request_start
agent.message
span.model_request_end false
session.usage
session.status_idle end_turn
X

# event_deltas[] previews: event_start, event_delta..., then the final
# agent.message with the same id; other values are 400.
SE=$(session scripted:chatty '[]')
is "$(c "http://h/v1/sessions/$SE/events/stream?event_deltas[]=agent.tool_use" -o /dev/null -w '%{http_code}')" 400 \
    "previews: event_deltas[]=agent.tool_use is 400"
is "$(c "http://h/v1/sessions/$SE/events/stream?event_deltas[]=agent.tool_use" | jq -r .error.type)" invalid_request_error \
    "previews: in the error envelope"
# A stream's headers are sent once it is subscribed.
curl -sN -D "$T/pvh" --unix-socket "$S" "http://h/v1/sessions/$SE/events/stream?event_deltas[]=agent.message" >"$T/pv" &
echo $! >"$T/pvpid"
at_exit 'kill $(cat "$T/pvpid") 2>/dev/null'
curl -sN -D "$T/nopvh" --unix-socket "$S" "http://h/v1/sessions/$SE/events/stream" >"$T/nopv" &
echo $! >"$T/npid"
at_exit 'kill $(cat "$T/npid") 2>/dev/null'
wait_for 5 sh -c "grep -q '^HTTP/1.1 200' '$T/pvh' 2>/dev/null && grep -q '^HTTP/1.1 200' '$T/nopvh' 2>/dev/null"
ok $? "previews: both streams are open"
say "$SE"
wait_for 15 grep -q end_turn "$T/pv"; ok $? "previews: the stream sees the turn end"
wait_for 15 grep -q end_turn "$T/nopv"
sed -n 's/^data: //p' "$T/pv" | jq -r 'select(.type == "event_start" or .type == "event_delta" or .type == "agent.message") | .type + " " + (.event.id // .event_id // .id)' >"$T/pvs"
MID=$(awk '$1 == "agent.message" { print $2 }' "$T/pvs")
awk -v m="$MID" '$2 == m { print $1 }' "$T/pvs" | uniq >"$T/got"
printf 'event_start\nevent_delta\nagent.message\n' >"$T/want"
diff "$T/want" "$T/got" >"$T/diff"; ok $? "previews: event_start, event_delta..., agent.message, one id"; sed 's/^/# /' "$T/diff"
[ "$(grep -c '^event_delta ' "$T/pvs")" -ge 3 ]; ok $? "previews: several deltas ($(grep -c '^event_delta ' "$T/pvs"))"
is "$(sed -n 's/^data: //p' "$T/pv" | jq -rs '[.[] | select(.type == "event_delta") | .delta.content.text] | join("")')" \
    "$(sed -n 's/^data: //p' "$T/pv" | jq -r 'select(.type == "agent.message") | .content[0].text')" \
    "previews: the deltas add up to the message"
! grep -q 'event_delta\|event_start' "$T/nopv"; ok $? "previews: a stream that did not ask gets none"

done_testing
