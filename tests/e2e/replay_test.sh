#!/bin/sh
# tests/e2e/replay_test.sh -- pilothouse replay in a real terminal (tmux,
# private socket, 100x30) over the generated realistic session: it
# opens paused at the first event, steps forward and back, seeks by
# marker and back, plays to the end as fast as possible, opens a deep
# link expanded, and q gives the terminal back; a session not cached is
# fetched first (the fault server stands in for the API).  Each position shown
# is compared with the live view after as many events (headless).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib-tmux.sh"
. "$top_srcdir/tests/integration/fault.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
PH="$PILOTHOUSE"
S=sesn_011CreplayE2e00000000001
export TZ=UTC
python3 "$top_srcdir/tests/data/session/gen-session.py" "$T/gen" ||
    { echo "Bail out! gen-session.py failed"; exit 99; }
"$PH" import --session $S "$T/gen/session.jsonl" >/dev/null
is "$?" 0 "import the generated session"
N=$(wc -l <"$T/gen/session.jsonl" | tr -d ' ')

# at POS: the bar shows the playhead at POS (polled).
at() { tmux_wait 10 "event $1/$N "; }
# pos: the playhead on the screen now.
pos() { tmux_screen | sed -n 's/.*event \([0-9]*\)\/[0-9]*.*/\1/p'; }
# live_same NAME: rows 2-26 (title and timeline) on the terminal equal
# the headless live view after as many events.
live_same() {
	_n=$(pos)
	tmux_screen | sed -n 2,26p >"$T/tty"
	"$PH" snapshot --size 100x28 --session $S --events "$_n" |
	    sed -n 2,26p >"$T/live"
	cmp -s "$T/tty" "$T/live"
	ok $? "$1: the terminal shows the live view after $_n events"
	[ $? = 0 ] || diff "$T/tty" "$T/live" | sed 's/^/# /'
}

tmux_start 100 30 "TZ=UTC '$PH' replay $S"
at 1
ok $? "replay opens paused at the first event"
tmux_keys . . .
at 4
ok $? "three steps forward"
tmux_keys ,
at 3
ok $? "one step back"
live_same "after stepping"
tmux_keys 5
at $((N * 5 / 10))
ok $? "5 seeks to 50 %"
tmux_keys ]
wait_for 10 sh -c "[ \"\$(\"$TMUX_BIN\" -L $TSOCK capture-pane -p -t t |
    sed -n 's/.*event \\([0-9]*\\)\\/.*/\\1/p')\" -gt $((N * 5 / 10)) ]"
ok $? "] moves to the next marker"
m1=$(pos)
live_same "at a marker"
tmux_keys ] ]
wait_for 10 sh -c "[ \"\$(\"$TMUX_BIN\" -L $TSOCK capture-pane -p -t t |
    sed -n 's/.*event \\([0-9]*\\)\\/.*/\\1/p')\" -gt $m1 ]"
ok $? "] ] moves on"
tmux_keys [ [
at "$m1"
ok $? "[ [ comes back to the first marker"
live_same "back at the marker"
tmux_keys '>' '>' '>' '>' '>' '>' '>' '>' '>' '>' 8 Space
tmux_wait 10 "playing max"
ok $? "> up to max, Space plays"
at "$N"
ok $? "playing reaches the end of the session"
tmux_wait 10 "paused max"
ok $? "and pauses there"
tmux_keys q
wait_for 10 tmux_dead
ok $? "q leaves"
is "$(tmux_exit)" 0 "replay exits 0"
tmux_screen >"$T/after"
! grep -q "event [0-9]*/$N" "$T/after"
ok $? "the terminal is given back (alternate screen left)"
ok $(! grep -q "$(printf '\033\\]52;')" "$T/raw"; echo $?) \
    "no OSC 52 from event text reached the terminal"

# The deep link.
L=$(grep -n '"type":"agent.tool_use"' "$T/gen/session.jsonl" | sed -n 5p |
    cut -d: -f1)
EV=$(awk -v n="$L" 'NR == n' "$T/gen/session.jsonl" |
    sed 's/.*"id":"\(sevt_[^"]*\)".*/\1/')
tmux_start 100 30 "TZ=UTC '$PH' replay --event $EV $S"
at "$L"
ok $? "--event opens at the event"
tmux_wait 10 "▾ bash"
ok $? "with its detail expanded"
tmux_keys q
wait_for 10 tmux_dead
is "$(tmux_exit)" 0 "replay --event exits 0"

# A session not in the cache: its whole history is fetched first, with
# a progress bar, and stored.
fs_start --events 40 --history 40 --page-max 7
N2=$(fs_log "$SESSION" | wc -l | tr -d ' ')
tmux_start 100 30 "TZ=UTC '$PH' replay $SESSION"
tmux_wait 10 "event 1/$N2 "
ok $? "an uncached session is fetched, then replayed"
grep -q "fetching $SESSION \\[" "$T/raw"
ok $? "with a progress bar"
[ "$(fs_requests "/events?")" -ge 6 ]
ok $? "paging through the whole history ($(fs_requests "/events?") pages)"
tmux_keys q
wait_for 10 tmux_dead
is "$(tmux_exit)" 0 "replay exits 0"
fs_stop
"$PH" export "$SESSION" | wc -l | tr -d ' ' >"$T/count"
is "$(cat "$T/count")" "$N2" "the $N2 events are in the cache"
done_testing
