#!/bin/sh
# tests/integration/harness_demo.sh -- the shipped demo manifest on the
# real harness (--scripted-fast): `pilothouse demo` creates five sessions
# from the realistic scenarios, tools really run in the sandbox on the
# seeded workspaces, and every session reaches end_turn unattended
# (autopilot answers the confirmations).  Asserts exact event sequences.
. "$top_srcdir/tests/lib.sh"

. "$top_srcdir/tests/integration/harness_lib.sh"
command -v make >/dev/null 2>&1 || skip_all "make not found"
command -v cc >/dev/null 2>&1 || skip_all "cc not found"
command -v git >/dev/null 2>&1 || skip_all "git not found"

harness_start

"$PILOTHOUSE" demo >"$T/demo" 2>"$T/demo.err"
is "$?" 0 "pilothouse demo starts the shipped manifest"
grep -q '^demo four-agents: environment env_' "$T/demo"; ok $? "it names the environment and agent"
is "$(grep -c '^  sesn_' "$T/demo")" 5 "it lists five sessions"
is "$(c 'http://h/v1/sessions?limit=20' | jq '[.data[] | select(.metadata["pilothouse.demo"] == "four-agents")] | length')" 5 \
    "five sessions exist, tagged with the demo"
id_of() { awk -v n="$1" '$2 == n { print $1 }' "$T/demo"; }

done_all() {
	for k in fix-mean add-verbose-flag log-triage flaky-model tag-release; do
		want=1; [ $k = fix-mean ] && want=2
		[ "$(seq_of "$(id_of $k)" | grep -c '^session.status_idle end_turn$')" -ge $want ] || return 1
		[ "$(c "http://h/v1/sessions/$(id_of $k)" | jq -r .status)" = idle ] || return 1
	done
}
wait_for 60 done_all; ok $? "every demo session reaches end_turn unattended"

seq_of "$(id_of fix-mean)" >"$T/fix"
cat >"$T/want" <<'X'
session.status_running
user.message
span.model_request_start
agent.thinking
agent.message
agent.tool_use bash allow
span.model_request_end false
agent.tool_result true
span.model_request_start
agent.tool_use grep allow
span.model_request_end false
agent.tool_result false
span.model_request_start
agent.tool_use read allow
span.model_request_end false
agent.tool_result false
span.model_request_start
agent.message
agent.tool_use edit ask
span.model_request_end false
session.status_idle requires_action
session.status_running
user.tool_confirmation
agent.tool_result false
span.model_request_start
agent.tool_use bash allow
span.model_request_end false
agent.tool_result false
span.model_request_start
agent.message
span.model_request_end false
session.usage
session.status_idle end_turn
X
head -n 33 "$T/fix" | diff "$T/want" - >"$T/diff"; ok $? "fix-mean: failing make test, grep, read, approved edit, passing make test" ; sed "s/^/# /" "$T/diff"
c "http://h/v1/sessions/$(id_of fix-mean)/events?types[]=agent.tool_result&limit=100" >"$T/fixr"
jq -r '.data[0].content[0].text' "$T/fixr" | grep -q '^FAIL mean of 1 2'; ok $? "the seeded test really fails first"
jq -r '.data[4].content[0].text' "$T/fixr" | grep -q '^ok 3 tests'; ok $? "and really passes after the edit"
jq -r ".data[-1].content[0].text" "$T/fixr" >"$T/last"; grep -q '^ok 4 tests' "$T/last"; ok $? "the second turn adds a fourth test" 
is "$(c "http://h/v1/sessions/$(id_of fix-mean)/events?types[]=user.tool_confirmation" | jq -r '[.data[] | .result] | join(",")')" allow,allow \
    "the autopilot allowed both edits"

seq_of "$(id_of add-verbose-flag)" | grep '^agent.tool_use\|^agent.tool_result\|^session.status_idle' >"$T/flag"
cat >"$T/want" <<'X'
agent.tool_use glob allow
agent.tool_use read allow
agent.tool_result false
agent.tool_result false
agent.tool_use write allow
agent.tool_use write allow
agent.tool_result false
agent.tool_result false
agent.tool_use edit allow
agent.tool_use edit allow
agent.tool_use edit allow
agent.tool_result false
agent.tool_result false
agent.tool_result false
agent.tool_use bash allow
agent.tool_result false
agent.tool_use bash deny
agent.tool_result true
agent.tool_use bash allow
agent.tool_result false
session.status_idle end_turn
X
diff "$T/want" "$T/flag" >"$T/diff"; ok $? "add-verbose-flag: auto allows the edits and make, denies rm -rf ../build without a pause" ; sed "s/^/# /" "$T/diff"
c "http://h/v1/sessions/$(id_of add-verbose-flag)/events?types[]=agent.tool_result&limit=100" | tee "$T/flagr" | jq -r ".data[7].content[0].text" | grep -q "hello, demo"
ok $? "the refactored CLI builds and runs in the sandbox"

seq_of "$(id_of flaky-model)" >"$T/flaky"
cat >"$T/want" <<'X'
session.status_running
user.message
span.model_request_start
span.model_request_end true
session.error model_overloaded_error retrying
session.status_rescheduled
session.status_running
span.model_request_start
span.model_request_end true
session.error model_overloaded_error retrying
session.status_rescheduled
session.status_running
span.model_request_start
agent.message
agent.tool_use read allow
span.model_request_end false
agent.tool_result false
span.model_request_start
agent.message
span.model_request_end false
session.usage
session.status_idle end_turn
X
diff "$T/want" "$T/flaky" >"$T/diff"; ok $? "flaky-model: two overloads, retrying, rescheduled, recovery" ; sed "s/^/# /" "$T/diff"

seq_of "$(id_of tag-release)" | grep -c '^session.status_idle requires_action' >"$T/n"
is "$(cat "$T/n")" 1 "tag-release waits once for approval"
c "http://h/v1/sessions/$(id_of tag-release)/events?types[]=agent.tool_result&limit=100" | jq -r '.data[-1].content[0].text' | grep -q '^v1.2.0$'
ok $? "the approved git tag really ran"

is "$(seq_of "$(id_of log-triage)" | grep -c '^agent.tool_result false')" 4 "log-triage: glob, grep and two slow bash steps succeed"

done_testing
