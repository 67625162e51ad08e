# tests/integration/fault.sh -- start the fault-injection server from a
# shell test (source tests/lib.sh first).  fs_start ARGS... starts it on
# an ephemeral loopback port, logging to $T/events.log and $T/req.log,
# points ANTHROPIC_BASE_URL at it and sets $SESSION (its first session).

FAULT_SERVER=$top_builddir/tests/integration/fault_server
SESSION=sesn_011CFAULT0000000000000000

fs_start() {
	rm -f "$T/port"
	"$FAULT_SERVER" --log "$T/events.log" --requests "$T/req.log" "$@" \
	    >"$T/port" &
	FS_PID=$!
	at_exit "kill $FS_PID"
	if ! wait_for 10 test -s "$T/port"; then
		echo "Bail out! fault_server did not start"
		exit 1
	fi
	PORT=$(head -n 1 "$T/port")
	ANTHROPIC_BASE_URL=http://127.0.0.1:$PORT
	export ANTHROPIC_BASE_URL
}

# fs_stop: stop the server now (its log stays).
fs_stop() {
	kill "$FS_PID" 2>/dev/null
	wait "$FS_PID" 2>/dev/null
}

# fs_log SESSION: the session's stored events, one JSON a line.
fs_log() {
	sed -n "s/^$1	//p" "$T/events.log"
}

# fs_requests PATTERN: how many logged requests match (grep -F).
fs_requests() {
	grep -cF -- "$1" "$T/req.log" || true
}
