#!/bin/sh
# tests/integration/brain_serve.sh -- the real harness ("pilothouse serve")
# running agents whose model is claude-... or local:ALIAS, with the brains
# pointed at stand-in model servers (brain_standin) replaying recorded
# streams: a multi-step tool-use turn with thinking continued, parallel
# calls, 429 then success, a mid-stream disconnect, an interrupt
# mid-stream, a refusal, a malformed stream, compaction, an OpenAI-style
# server, and one that is down.  Checks the events the harness emits and
# the exact requests the brains send, and that the API key stays in the
# harness process.
. "$top_srcdir/tests/lib.sh"

command -v curl >/dev/null 2>&1 || skip_all "curl not found"
command -v jq >/dev/null 2>&1 || skip_all "jq not found"

STANDIN="$top_builddir/tests/integration/brain_standin"
DATA="$top_srcdir/tests/data/brains"
S="$XDG_RUNTIME_DIR/pilothouse/harness.sock"
KEY="sk-ant-api03-e2e-KEEPTHISSECRET-0123456789abcdef"
c() { curl -s --unix-socket "$S" "$@"; }

# standin NAME SCRIPT-LINES: start a stand-in; its URL is in $T/NAME/url.
standin() {
	mkdir -p "$T/$1"
	printf '%s\n' "$2" | sed "s|@|$DATA|g" >"$T/$1/script"
	"$STANDIN" -s "$T/$1/script" -d "$T/$1" 2>"$T/$1/err" &
	echo $! >"$T/$1/pid"
	at_exit "kill \$(cat '$T/$1/pid') 2>/dev/null"
	wait_for 10 test -s "$T/$1/port" || return 1
	echo "http://127.0.0.1:$(cat "$T/$1/port")" >"$T/$1/url"
}

standin anthropic "200 @/anthropic-serve/1.sse
200 @/anthropic-serve/2.sse
200 @/anthropic-serve/3.sse
200 @/anthropic-serve/p1.sse
200 @/anthropic-serve/p2.sse
429 @/anthropic-429/429.json retry-after=0
200 @/anthropic-429/2.sse
200 @/anthropic-long/1.sse cut=3000
200 @/anthropic-long/2.sse
200 @/anthropic-long/1.sse hang=3
200 @/anthropic-refusal/1.sse
200 @/anthropic-malformed/1.sse
200 @/anthropic-malformed/2.sse
200 @/anthropic-compact/1.sse
200 @/anthropic-compact/2.sse
200 @/anthropic-compact/3.sse
400 @/anthropic-errors/400-long.json
200 @/anthropic-compact/2.sse
200 @/anthropic-compact/3.sse
200 @/anthropic-max-tokens/1.sse
200 @/anthropic-pause/1.sse
200 @/anthropic-pause/2.sse"
ok $? "the Anthropic stand-in listens on a loopback port"
standin local "200 @/openai-serve/1.sse
200 @/openai-serve/2.sse"
ok $? "the OpenAI-style stand-in listens too"
A=$(cat "$T/anthropic/url")
L=$(cat "$T/local/url")
dead=$("$STANDIN" -P)

mkdir -p "$XDG_CONFIG_HOME/pilothouse"
config() {	# config [EXTRA-ANTHROPIC-LINES]
	cat >"$XDG_CONFIG_HOME/pilothouse/config" <<EOF
[anthropic]
max_tokens = 4096
$1

[brain.standin]
base_url = $L/v1
model = qwen2.5-coder-7b
context_window = 32768

[brain.dead]
base_url = http://127.0.0.1:$dead/v1
model = nothing
EOF
}
config ""

ANTHROPIC_API_KEY=$KEY PILOTHOUSE_ANTHROPIC_BASE_URL=$A \
    "$PILOTHOUSE" --log "$T/harness.log" -v serve --unsafe-no-sandbox \
    >"$T/out" 2>"$T/err" &
echo $! >"$T/pid"
at_exit 'kill -9 $(cat "$T/pid") 2>/dev/null'
wait_for 10 curl -sf --unix-socket "$S" http://h/pilothouse/v1/health -o /dev/null
ok $? "serve starts"
PID=$(cat "$T/pid")

if tr '\0' '\n' <"/proc/$PID/environ" >"$T/environ" 2>/dev/null; then
	! grep -q KEEPTHISSECRET "$T/environ"
	ok $? "the key is gone from the harness's /proc/PID/environ"
else
	ok 0 "the harness's environ is unreadable (not dumpable)"
fi

EN=$(c http://h/v1/environments -d '{"name":"e"}' | jq -r .id)
agent() {	# agent MODEL -> id
	c http://h/v1/agents -d "{\"name\":\"a\",\"model\":\"$1\",\"system\":\"Keep notes.\",\"tools\":[{\"type\":\"agent_toolset_20260401\"},{\"type\":\"custom\",\"name\":\"ticket\",\"description\":\"Find a ticket.\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}}}}]}" | jq -r .id
}
session() {	# session AGENT -> id
	c http://h/v1/sessions -d "{\"agent\":\"$1\",\"environment_id\":\"$EN\"}" | jq -r .id
}
send() {	# send SESSION TEXT
	c "http://h/v1/sessions/$1/events" -d "{\"events\":[{\"type\":\"user.message\",\"content\":[{\"type\":\"text\",\"text\":\"$2\"}]}]}" >/dev/null
}
events() {	# events SESSION -> the log as one JSON array
	c "http://h/v1/sessions/$1/events?limit=1000" | jq -c .data
}
has() {	# has SESSION TYPE: is there such an event?
	events "$1" | jq -e ".[] | select(.type == \"$2\")" >/dev/null
}
idled() {	# idled SESSION N: have N turns ended?
	[ "$(events "$1" | jq '[.[] | select(.type == "session.status_idle")] | length')" -ge "$2" ]
}
body() {	# body STANDIN N -> request N's JSON body
	cat "$T/$1/$2.body"
}

# --- A multi-step turn: glob, write, answer; thinking continued. ---------
CLAUDE=$(agent claude-sonnet-4-5)
S1=$(session "$CLAUDE")
curl -sN -D "$T/h1" --unix-socket "$S" "http://h/v1/sessions/$S1/events/stream?event_deltas[]=agent.message" >"$T/stream1" &
echo $! >"$T/spid"
at_exit 'kill $(cat "$T/spid") 2>/dev/null'
wait_for 5 test -s "$T/h1"
ok $? "a stream with previews is open"
send "$S1" "Write a note."
wait_for 20 idled "$S1" 1
ok $? "the turn ends"
events "$S1" >"$T/e1"
is "$(jq -r '[.[].type] | join(" ")' "$T/e1")" \
    "session.status_running user.message span.model_request_start agent.thinking agent.message agent.tool_use span.model_request_end agent.tool_result span.model_request_start agent.thinking agent.tool_use span.model_request_end agent.tool_result span.model_request_start agent.message span.model_request_end session.usage session.status_idle" \
    "three model requests, two tools, in the documented order"
is "$(jq -c '[.[] | select(.type == "agent.tool_use") | [.name, .input]]' "$T/e1")" \
    '[["glob",{"pattern":"*.md"}],["write",{"file_path":"notes.md","content":"hello\n"}]]' \
    "the tool calls assembled from input_json_delta fragments"
is "$(jq -c '[.[] | select(.type == "agent.thinking") | keys]' "$T/e1")" \
    '[["id","processed_at","type"],["id","processed_at","type"]]' \
    "agent.thinking carries no thinking text"
is "$(jq -c '[.[] | select(.type == "agent.message") | .content[0].text]' "$T/e1")" \
    '["Looking for notes.","I wrote notes.md, saying hello."]' "the messages, whole"
is "$(jq -c '[.[] | select(.type == "span.model_request_end") | .model_usage]' "$T/e1" | jq -c '.[0]')" \
    '{"input_tokens":1201,"output_tokens":52,"cache_creation_input_tokens":1180,"cache_read_input_tokens":0}' \
    "span.model_request_end carries the request's usage"
is "$(jq -c '[.[] | select(.type == "session.usage")][0].usage | [.input_tokens, .output_tokens, .cache_read_input_tokens, .cache_creation.ephemeral_5m_input_tokens]' "$T/e1")" \
    '[1355,104,2424,1180]' "session.usage adds them up"
is "$(jq -r '.[] | select(.type == "session.status_idle") | .stop_reason.type' "$T/e1")" end_turn "idle with end_turn"
MSG1=$(jq -r '[.[] | select(.type == "agent.message")][0].id' "$T/e1")
is "$(sed -n 's/^data: //p' "$T/stream1" | jq -r "select(.type == \"event_start\" and .event.id == \"$MSG1\") | .event.type")" \
    agent.message "a preview subscriber got event_start with the final message's id"
is "$(grep '^data: {"type":"event_delta"' "$T/stream1" | sed 's/^data: //' | jq -r "select(.event_id == \"$MSG1\") | .delta.content.text" | tr -d '\n')" \
    "Looking for notes." "and its event_delta frames spell the message"

# What the brain sent.
body anthropic 1 >"$T/r1"
is "$(jq -r '[.tools[].name] | join(",")' "$T/r1")" "bash,read,write,edit,glob,grep,ticket" \
    "request 1: the six offline tools and the custom one"
is "$(jq -c '[.tools[] | select(has("cache_control")) | .name]' "$T/r1")" '["ticket"]' \
    "request 1: the last tool is a cache breakpoint"
is "$(jq -c '.system' "$T/r1")" '[{"type":"text","text":"Keep notes.","cache_control":{"type":"ephemeral"}}]' \
    "request 1: the system prompt, cached"
is "$(jq -c '[.model, .max_tokens, .stream, .tool_choice, .thinking]' "$T/r1")" \
    '["claude-sonnet-4-5",4096,true,{"type":"auto"},{"type":"adaptive"}]' \
    "request 1: model, max_tokens from [anthropic], streaming, auto tools, thinking"
is "$(jq -c '.messages' "$T/r1")" \
    '[{"role":"user","content":[{"type":"text","text":"Write a note.","cache_control":{"type":"ephemeral"}}]}]' \
    "request 1: the user's message, no private keys"
body anthropic 2 >"$T/r2"
is "$(jq -c '.messages[1].content[0]' "$T/r2")" \
    "{\"type\":\"thinking\",\"thinking\":\"Look for notes first.\",\"signature\":\"$(sed -n 's/.*"signature":"\([^"][^"]*\)".*/\1/p' "$DATA/anthropic-serve/1.sse")\"}" \
    "request 2: the thinking block goes back with its signature, unchanged"
is "$(jq -c '.messages[1].content[1:]' "$T/r2")" \
    '[{"type":"text","text":"Looking for notes."},{"type":"tool_use","id":"toolu_01GlobGlobGlobGlobGlob1","name":"glob","input":{"pattern":"*.md"}}]' \
    "request 2: the text and the tool_use with the provider's id"
is "$(jq -c '.messages[2].content[0] | del(.cache_control) | [.type, .tool_use_id, (.is_error // false), .content]' "$T/r2")" \
    "$(jq -c '[.[] | select(.type == "agent.tool_result")][0] | ["tool_result", "toolu_01GlobGlobGlobGlobGlob1", .is_error, .content]' "$T/e1")" \
    "request 2: the tool result is the agent.tool_result the harness logged"
is "$(jq -c '.messages[2].content[0].cache_control' "$T/r2")" '{"type":"ephemeral"}' \
    "request 2: the newest block is the conversation's cache breakpoint"
grep -q "^x-api-key: $KEY" "$T/anthropic/1.head"
ok $? "the key went to the API as x-api-key"
! grep -rq KEEPTHISSECRET "$XDG_DATA_HOME" "$XDG_STATE_HOME" "$T/harness.log" "$T/e1" "$T/stream1" 2>/dev/null
ok $? "and nowhere else: not the database, the log, the events or the stream"

# --- Parallel calls in one response. -------------------------------------
send "$S1" "Check both."
wait_for 20 idled "$S1" 2
ok $? "the second turn ends"
body anthropic 5 >"$T/r5"
is "$(jq -c '.messages[-1].content | map([.type, .tool_use_id])' "$T/r5")" \
    '[["tool_result","toolu_01ParGlobParGlobParGl1"],["tool_result","toolu_01ParReadParReadParRe2"]]' \
    "parallel calls: both results in one user message, in tool_use order"
is "$(jq -r '.messages | map(.role) | join(",")' "$T/r5")" "user,assistant,user,assistant,user,assistant,user,assistant,user" \
    "the conversation alternates across both turns"

# --- 429, then a dropped stream, then an interrupt. ----------------------
S2=$(session "$CLAUDE")
send "$S2" "Try."
wait_for 20 idled "$S2" 1
events "$S2" >"$T/e2"
is "$(jq -c '[.[] | select(.type == "session.error") | .error | [.type, .retry_status.type]]' "$T/e2")" \
    '[["model_rate_limited_error","retrying"]]' "429: model_rate_limited_error, retrying"
is "$(jq -r '[.[].type] | join(" ")' "$T/e2" | sed 's/.*span.model_request_end session.error/session.error/')" \
    "session.error session.status_rescheduled session.status_running span.model_request_start agent.message span.model_request_end session.usage session.status_idle" \
    "then rescheduled, running again, and the retry succeeds"
is "$(jq -c '[.[] | select(.type == "span.model_request_end") | .is_error]' "$T/e2")" '[true,false]' \
    "the failed request's span is an error"

send "$S2" "Again."
wait_for 20 idled "$S2" 2
events "$S2" >"$T/e2"
is "$(jq -c '[.[] | select(.type == "session.error")][1].error | [.type, .retry_status.type]' "$T/e2")" \
    '["model_request_failed_error","retrying"]' "a dropped stream is model_request_failed_error, retrying"
jq -r '[.[] | select(.type == "session.error")][1].error.message' "$T/e2" | grep -q "failed mid-response"
ok $? "its message says the connection failed mid-response"
is "$(jq -r '[.[] | select(.type == "agent.message")][-1].content[0].text' "$T/e2")" "Recovered." \
    "the retry's answer completes the turn"

send "$S2" "Count slowly."
wait_for 10 test -f "$T/anthropic/10.hanging"
ok $? "the interrupted request is streaming"
t0=$(date +%s%N)
c "http://h/v1/sessions/$S2/events" -d '{"events":[{"type":"user.interrupt"}]}' >/dev/null
wait_for 10 grep -q client-closed "$T/anthropic/10.done"
ok $? "the interrupt aborts the HTTP transfer (the server saw it close)"
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ "$ms" -lt 1000 ]; ok $? "within ${ms} ms, without waiting for the stream"
wait_for 10 idled "$S2" 3
events "$S2" >"$T/e2"
is "$(jq -r '[.[].type] | .[-5:] | join(" ")' "$T/e2")" \
    "span.model_request_start user.interrupt span.model_request_end session.usage session.status_idle" \
    "the partial text block emits nothing; the span closes as an error"
is "$(jq -c '[.[] | select(.type == "span.model_request_end")][-1].is_error' "$T/e2")" true "is_error: true"

# --- A refusal, then a malformed stream. ---------------------------------
S3=$(session "$CLAUDE")
send "$S3" "Do something bad."
wait_for 20 idled "$S3" 1
is "$(events "$S3" | jq -c '[.[] | select(.type == "session.status_idle")][0] | [.stop_reason.type, .stop_details.type, .stop_details.category]')" \
    '["refusal","refusal","cyber"]' "a refusal idles with stop_reason refusal and its details"
send "$S3" "Hello?"
wait_for 20 idled "$S3" 2
events "$S3" >"$T/e3"
jq -r '[.[] | select(.type == "session.error")][0].error | "\(.type) \(.retry_status.type) \(.message)"' "$T/e3" |
    grep -q "^model_request_failed_error retrying anthropic: malformed event"
ok $? "a malformed event is a retryable model_request_failed_error naming the problem"
is "$(jq -r '[.[] | select(.type == "agent.message")][-1].content[0].text' "$T/e3")" "Hello world" \
    "and the retry answers"

# --- Compaction near the window. -----------------------------------------
config "context_window = 2000"
S4=$(session "$CLAUDE")
send "$S4" "Any text files?"
wait_for 20 idled "$S4" 1
events "$S4" >"$T/e4"
is "$(jq -r '[.[].type] | join(" ")' "$T/e4")" \
    "session.status_running user.message span.model_request_start agent.tool_use span.model_request_end agent.tool_result agent.thread_context_compacted span.model_request_start agent.message span.model_request_end session.usage session.status_idle" \
    "past 80 % of the window the conversation is compacted before the next request"
is "$(jq -c '.[] | select(.type == "agent.thread_context_compacted") | keys' "$T/e4")" '["id","processed_at","type"]' \
    "the marker event shows no summary"
grep -q "Summarise this conversation" "$T/anthropic/15.body"
ok $? "the summary was asked of the same brain"
is "$(jq -c '.messages' "$T/anthropic/16.body")" \
    '[{"role":"user","content":[{"type":"text","text":"The conversation so far was compacted; this is its summary."},{"type":"text","text":"The user asked for text files; a glob for *.txt found none.","cache_control":{"type":"ephemeral"}}]}]' \
    "the next request starts from the summary alone"
config ""

# --- The prompt is too long: compact, then ask again. ---------------------
S4b=$(session "$CLAUDE")
send "$S4b" "Once more."
wait_for 20 idled "$S4b" 1
events "$S4b" >"$T/e4b"
is "$(jq -r '[.[].type] | join(" ")' "$T/e4b")" \
    "session.status_running user.message span.model_request_start span.model_request_end agent.thread_context_compacted span.model_request_start agent.message span.model_request_end session.usage session.status_idle" \
    "a prompt-too-long error is answered by compacting and asking again"
is "$(jq -c '[.[] | select(.type == "span.model_request_end") | .is_error]' "$T/e4b")" '[true,false]' \
    "the refused request's span is an error, and no session.error is raised"

# --- max_tokens in the middle of a tool call. ----------------------------
S4c=$(session "$CLAUDE")
send "$S4c" "Write a long file."
wait_for 20 idled "$S4c" 1
events "$S4c" >"$T/e4c"
is "$(jq -r '[.[].type] | join(" ")' "$T/e4c")" \
    "session.status_running user.message span.model_request_start agent.message span.model_request_end session.usage session.status_idle" \
    "max_tokens: the unfinished call is dropped, no tool runs"
is "$(jq -c '[.[] | select(.type == "agent.message") | .content[0].text]' "$T/e4c")" \
    '["Writing the long file."]' "max_tokens: the text before it stays"
is "$(jq -c '[.[] | select(.type == "span.model_request_end") | [.is_error, .model_usage.output_tokens]]' "$T/e4c")" \
    '[[false,4096]]' "max_tokens: the span ends normally with its usage"
is "$(jq -r '.[] | select(.type == "session.status_idle") | .stop_reason.type' "$T/e4c")" end_turn \
    "max_tokens: idle with end_turn"
[ ! -e "$XDG_DATA_HOME/pilothouse/sandboxes/$S4c/workspace/long.txt" ]
ok $? "max_tokens: the cut write never ran"

# --- pause_turn: the same request again. ---------------------------------
S4d=$(session "$CLAUDE")
send "$S4d" "Check everything."
wait_for 20 idled "$S4d" 1
events "$S4d" >"$T/e4d"
is "$(jq -r '[.[].type] | join(" ")' "$T/e4d")" \
    "session.status_running user.message span.model_request_start agent.message span.model_request_end span.model_request_start agent.message span.model_request_end session.usage session.status_idle" \
    "pause_turn: a second request follows at once, then the turn ends"
is "$(jq -c '[.[] | select(.type == "span.model_request_end") | [.is_error, .model_usage.input_tokens]]' "$T/e4d")" \
    '[[false,35],[false,48]]' "pause_turn: both spans, each with its usage"
unc='.messages[0].content |= map(del(.cache_control)) | .messages[0]'
is "$(jq -c "$unc" "$T/anthropic/22.body")" "$(jq -c "$unc" "$T/anthropic/21.body")" \
    "pause_turn: the second request asks the same question"
is "$(jq -c '.messages[1:] | map(.content |= map(del(.cache_control)))' "$T/anthropic/22.body")" \
    '[{"role":"assistant","content":[{"type":"text","text":"Still thinking it over."}]}]' \
    "pause_turn: with the paused response to continue"
is "$(jq -r '.[] | select(.type == "session.status_idle") | .stop_reason.type' "$T/e4d")" end_turn \
    "pause_turn: idle with end_turn"

# --- local:ALIAS: an OpenAI-compatible server. ---------------------------
S5=$(session "$(agent local:standin)")
send "$S5" "Markdown files?"
wait_for 20 idled "$S5" 1
events "$S5" >"$T/e5"
is "$(jq -r '[.[].type] | join(" ")' "$T/e5")" \
    "session.status_running user.message span.model_request_start agent.message agent.tool_use span.model_request_end agent.tool_result span.model_request_start agent.message span.model_request_end session.usage session.status_idle" \
    "local: a tool-use turn through /v1/chat/completions"
is "$(jq -c '[.tools[].function.name]' "$T/local/1.body")" '["bash","read","write","edit","glob","grep","ticket"]' \
    "local: the tools as functions"
is "$(jq -c '[.model, .stream, .stream_options, .messages[0]]' "$T/local/1.body")" \
    '["qwen2.5-coder-7b",true,{"include_usage":true},{"role":"system","content":"Keep notes."}]' \
    "local: the alias's model, streamed, the system prompt first"
is "$(jq -c '.messages[2:] | map(del(.content) | if .tool_calls then .tool_calls |= map(.function.name) else . end)' "$T/local/2.body")" \
    '[{"role":"assistant","tool_calls":["glob"]},{"role":"tool","tool_call_id":"k9XbQ2vL7mTz4Rw8Yc1Nf5Hd3Js6Pa0G"}]' \
    "local: the call and its result as a role tool message"
is "$(jq -r '.messages[3].content' "$T/local/2.body")" \
    "$(jq -r '[.[] | select(.type == "agent.tool_result")][0].content[0].text' "$T/e5")" \
    "local: the result text is the harness's"
! grep -q Authorization "$T/local/1.head"
ok $? "local: no key is sent where none is configured"

# --- A local server that is down. ----------------------------------------
S6=$(session "$(agent local:dead)")
send "$S6" "Anyone?"
wait_for 10 has "$S6" session.error
ok $? "an unreachable server gives a session.error"
events "$S6" >"$T/e6"
jq -r '[.[] | select(.type == "session.error")][0].error | "\(.type) \(.message)"' "$T/e6" >"$T/m6"
grep -q "^model_request_failed_error local:dead: cannot reach http://127.0.0.1:$dead/v1/chat/completions" "$T/m6" &&
    grep -q "scripted:" "$T/m6"
ok $? "naming the brain and the URL, and suggesting scripted: ($(cat "$T/m6"))"
c "http://h/v1/sessions/$S6/events" -d '{"events":[{"type":"user.interrupt"}]}' >/dev/null
wait_for 10 has "$S6" session.status_idle
ok $? "an interrupt ends the retries"

kill "$PID"
wait_for 10 sh -c "! kill -0 $PID 2>/dev/null"
ok $? "the harness stops"
done_testing
