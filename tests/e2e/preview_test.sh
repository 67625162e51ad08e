#!/bin/sh
# tests/e2e/preview_test.sh -- live previews end to end: a session view
# in a real terminal (tmux), subscribed with event_deltas[], shows an
# agent message growing as the harness streams it, then the final
# agent.message in its place.  The harness runs at the scenario's own
# pace (no --scripted-fast): one 200-character message at 40 characters
# a second, so the test takes seconds.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib-tmux.sh"
command -v curl >/dev/null 2>&1 || skip_all "curl not found"
command -v jq >/dev/null 2>&1 || skip_all "jq not found"

S="$XDG_RUNTIME_DIR/pilothouse/harness.sock"
c() { curl -s --unix-socket "$S" "$@"; }
mkdir -p "$T/scen"
cp "$top_srcdir/tests/data/console/e2e/writer.json" "$T/scen/"
cat > "$T/manifest.json" <<'X'
{"demo":"preview","environment":{"name":"p","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":[]}}},
 "sessions":[{"key":"w","scenario":"writer","title":"writer","start_ms":0}]}
X

"$PILOTHOUSE" serve --scenarios "$T/scen" >"$T/out" 2>"$T/err" &
echo $! >"$T/pid"
at_exit 'kill $(cat "$T/pid") 2>/dev/null'
wait_for 10 curl -sf --unix-socket "$S" http://h/pilothouse/v1/health -o /dev/null
ok $? "serve starts (scenario pace, not --scripted-fast)"

"$PILOTHOUSE" demo "$T/manifest.json" >"$T/demo" 2>&1
ok $? "the writer session starts"
W=$(awk '$2 == "writer" { print $1 }' "$T/demo")

# Both backends would take twice as long for the same code path (the
# stream and the session view are backend-independent): ncurses only.
tmux_start 100 30 "$PILOTHOUSE" console "$W"
tmux_wait 20 "(writing"
ok $? "the session view shows the message being written"
writing_at() {	# the preview is still open and shows word $1
	tmux_has "(writing" && tmux_has "$1"
}
wait_for 20 writing_at w05
ok $? "a preview shows the first words"
! tmux_has THE-END
ok $? "before the message is complete"
wait_for 20 writing_at w25
ok $? "and grows while it is written"
tmux_wait 20 THE-END
ok $? "the whole message arrives"
wait_for 10 sh -c "! \"$TMUX_BIN\" -L \"$TSOCK\" capture-pane -p -t t | grep -qF '(writing'"
ok $? "and the final agent.message replaces the preview"
is "$(tmux_screen | grep -o 'w01' | wc -l)" 1 "the text is shown once"
[ "$(c "http://h/v1/sessions/$W/events?limit=100" |
    jq '[.data[] | select(.type == "agent.message")] | length')" -eq 1 ]
ok $? "the harness logged one agent.message (previews are not events)"
tmux_keys q q
wait_for 10 tmux_dead
ok $? "q quits"
done_testing
