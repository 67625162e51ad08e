# tests/integration/harness_lib.sh -- shared by the harness_*.sh tests:
# start `pilothouse serve --scripted-fast` on the private socket, talk to
# it with curl and reduce a session's log to one line per event.
command -v curl >/dev/null 2>&1 || skip_all "curl not found"
command -v jq >/dev/null 2>&1 || skip_all "jq not found"

S="$XDG_RUNTIME_DIR/pilothouse/harness.sock"
# harness_start [SERVE ARGS...]: run the harness until the test exits.
harness_start() {
	"$PILOTHOUSE" serve --scripted-fast "$@" >"$T/out" 2>"$T/err" &
	echo $! >"$T/pid"
	at_exit 'kill $(cat "$T/pid") 2>/dev/null'
	wait_for 10 curl -sf --unix-socket "$S" http://h/pilothouse/v1/health -o /dev/null
	ok $? "serve starts"
}
c() { curl -s --unix-socket "$S" "$@"; }
# seq_of SESSION: one line per event: its type, then the detail that matters.
seq_of() {
	c "http://h/v1/sessions/$1/events?limit=1000" | jq -r '.data[] |
	    .type + (if .type == "session.status_idle" then " " + .stop_reason.type
	    elif .type == "agent.tool_use" then " " + .name + " " + (.evaluated_permission // "")
	    elif .type == "agent.tool_result" or .type == "span.model_request_end" then " " + ((.is_error // false) | tostring)
	    elif .type == "session.error" then " " + .error.type + " " + .error.retry_status.type
	    else "" end)'
}
# expect_seq SESSION DESCRIPTION <WANT: the session's log, reduced by
# seq_of, must be exactly WANT (the difference is shown).
expect_seq() {
	cat >"$T/want"
	seq_of "$1" >"$T/got"
	diff "$T/want" "$T/got" >"$T/diff"
	ok $? "$2"
	sed 's/^/# /' "$T/diff"
}
