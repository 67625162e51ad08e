#!/bin/sh
# replay.sh -- the replay view on the headless backend, over the
# generated realistic session: golden screens for stepping, seeking by
# marker and back, and the --event deep link (":replay ID EVENT"); and
# at every position reached, the screen equals the live view after the
# same number of events ("snapshot --events N"), header included.
# REGEN=1 rewrites the golden screens in the source tree.
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
PH="$PILOTHOUSE"
G="$T/gen"
S=sesn_011CreplayTest0000000001
GOLD="$top_srcdir/tests/data/replay"
export TZ=UTC
python3 "$top_srcdir/tests/data/session/gen-session.py" "$G" ||
    { echo "Bail out! gen-session.py failed"; exit 99; }
"$PH" import --session $S "$G/session.jsonl" >/dev/null
is "$?" 0 "import the generated session"
N=$(wc -l <"$G/session.jsonl" | tr -d ' ')

# keys TEXT: TEXT as key names for --keys (space is "Space").
keys() { printf '%s' "$1" | sed 's/./& /g; s/   / Space /g'; }
W=100 H=30
# replay KEYS...: the screen after ":replay $S" and the keys.
replay() {
	"$PH" snapshot --size ${W}x$H --keys ": $(keys "replay $S") Enter $*"
}
# pos: the playhead (event count) on a replay screen (stdin).
pos() { sed -n 's/.*event \([0-9]*\)\/[0-9]*.*/\1/p'; }
# same_as_live FILE NAME: the replay screen in FILE, less its strip,
# bar, status and hints, equals the live view after as many events at
# the height that leaves it the same rows.
same_as_live() {
	_n=$(pos <"$1")
	head -n $((H - 4)) "$1" >"$T/r.top"
	"$PH" snapshot --size ${W}x$((H - 2)) --session $S --events "$_n" |
	    head -n $((H - 4)) >"$T/l.top"
	cmp -s "$T/r.top" "$T/l.top"
	ok $? "$2: the screen at event $_n is the live view after $_n events"
	[ $? = 0 ] || diff "$T/r.top" "$T/l.top" | sed 's/^/# /'
}
# golden FILE NAME: FILE equals its golden screen.
golden() {
	if [ -n "${REGEN:-}" ]; then
		cp "$1" "$GOLD/$2.txt"
	fi
	cmp -s "$1" "$GOLD/$2.txt"
	ok $? "$2 matches tests/data/replay/$2.txt"
	[ $? = 0 ] || diff "$GOLD/$2.txt" "$1" | sed 's/^/# /'
}

# Opening: paused at the first event.
replay >"$T/open"
is "$(pos <"$T/open")" 1 "the replay opens at the first event"
grep -q "^paused 1x  event 1/$N " "$T/open"
ok $? "the bar says paused, 1x, event 1 of $N"

# Stepping forward and back.
replay . . . . >"$T/step4"
is "$(pos <"$T/step4")" 5 "four steps forward: event 5"
golden "$T/step4" step-forward
same_as_live "$T/step4" "stepping forward"
replay . . . . , , Right Left Left >"$T/back"
is "$(pos <"$T/back")" 2 "back steps (, and Left) go back one event each"
same_as_live "$T/back" "stepping back"

# Seeking by percent, by marker and back.
replay 5 >"$T/pct"
is "$(pos <"$T/pct")" $((N * 5 / 10)) "5 seeks to 50 %"
same_as_live "$T/pct" "seek to 50 %"
replay 5 ] ] >"$T/m2"
replay 5 ] ] ] [ >"$T/m3b"
replay 5 ] >"$T/m1"
p1=$(pos <"$T/m1") p2=$(pos <"$T/m2") p3b=$(pos <"$T/m3b")
ok $([ "$p1" -gt $((N * 5 / 10)) ] && [ "$p2" -gt "$p1" ]; echo $?) \
    "] moves to later markers ($p1, $p2)"
is "$p3b" "$p2" "] then [ comes back to the same marker"
golden "$T/m2" marker-next
same_as_live "$T/m2" "seek by marker"
same_as_live "$T/m3b" "seek by marker and back"

# Markers are what they say: only user messages ("u"), then { and }.
replay 5 M C-u u Enter ] >"$T/mu"
grep -q "markers u " "$T/mu"
ok $? "M chooses the marker types"
pu=$(pos <"$T/mu")
awk -v n="$pu" 'NR == n' "$G/session.jsonl" | grep -q '"type":"user.message"'
ok $? "] with markers u stops at a user.message (event $pu)"
replay 5 } >"$T/turn"
is "$(pos <"$T/turn")" "$pu" "} goes to the same next user turn"
replay 5 } { >"$T/turnb"
ok $([ "$(pos <"$T/turnb")" -lt $((N * 5 / 10)) ]; echo $?) \
    "{ goes to the previous user turn"

# Bookmarks: m, u/U, T.
replay 2 m 4 m 0 u >"$T/bm"
is "$(pos <"$T/bm")" $((N * 2 / 10)) "u goes to the first bookmark"
replay 2 m 4 m 0 u u U >"$T/bm2"
is "$(pos <"$T/bm2")" $((N * 2 / 10)) "u u U comes back to it"
replay 2 m 4 T >"$T/el"
grep -q "from the bookmark at event $((N * 2 / 10)) to event $((N * 4 / 10))" \
    "$T/el"
ok $? "T says the time from the bookmark"

# Seeking to a time: the first event at or after it.
replay 5 >"$T/t0"
when=$(sed -n 's/.*event [0-9]*\/[0-9]*  \([0-9:]*\) .*/\1/p' "$T/t0")
replay 9 @ $(keys "$when") Enter >"$T/t1"
grep -q "event [0-9]*/$N  $when " "$T/t1"
ok $? "@ $when seeks to that time"
ok $([ "$(pos <"$T/t1")" -le "$(pos <"$T/t0")" ]; echo $?) \
    "at or before the event shown at that time"
replay @ $(keys "2026-11-18T${when}Z") Enter >"$T/t2"
is "$(pos <"$T/t2")" "$(pos <"$T/t1")" "an RFC 3339 time works the same"
replay @ $(keys "25:99") Enter >"$T/t3"
grep -q 'seek: "25:99" is not a time' "$T/t3"
ok $? "a bad time is named in the error"

# Speed and idle cap.
replay '>' '>' >"$T/sp"
grep -q "^paused 4x " "$T/sp"
ok $? "> > plays at 4x"
replay '<' >"$T/sp"
grep -q "^paused 0.5x " "$T/sp"
ok $? "< plays at 0.5x"
replay '>' '>' = >"$T/sp"
grep -q "^paused 1x " "$T/sp"
ok $? "= comes back to 1x"
replay I >"$T/ic"
grep -q "idle <=2s " "$T/ic"
ok $? "I caps idle time at 2 s"
replay I I >"$T/ic"
grep -q "idle <=5s " "$T/ic"
ok $? "I I at 5 s"
replay I I I >"$T/ic"
grep -q "idle off " "$T/ic"
ok $? "I I I turns it off"

# Shift-arrows: 10 s of session time.
replay 5 S-Right >"$T/sk"
ok $([ "$(pos <"$T/sk")" -gt $((N * 5 / 10)) ]; echo $?) \
    "S-Right skips forward in session time"

# The deep link: :replay ID EVENT opens at the event, expanded.
L=$(grep -n '"type":"agent.tool_use"' "$G/session.jsonl" | sed -n 5p |
    cut -d: -f1)
EV=$(awk -v n="$L" 'NR == n' "$G/session.jsonl" |
    sed 's/.*"id":"\(sevt_[^"]*\)".*/\1/')
"$PH" snapshot --size ${W}x$H --keys ": $(keys "replay $S $EV") Enter" \
    >"$T/deep"
is "$(pos <"$T/deep")" "$L" "the deep link opens at its event"
"$PH" snapshot --size ${W}x$H --keys ": $(keys "replay $S") Enter \
$(printf '. %.0s' $(seq 2 "$L"))" >"$T/deepstep"
ok $(! cmp -s "$T/deep" "$T/deepstep"; echo $?) \
    "the deep link's event is expanded (the screen differs from a step there)"
golden "$T/deep" deep-link
"$PH" snapshot --size ${W}x$H --keys ": $(keys "replay $S $EV") Enter y" \
    >"$T/copy"
grep -q "$EV (clipboard off\|copied $EV" "$T/copy"
ok $? "y in the replay copies the selected event's id"
"$PH" snapshot --size ${W}x$H --keys ": $(keys "replay $S sevt_nope") \
Enter" >"$T/nope"
grep -q "no event sevt_nope" "$T/nope"
ok $? "an unknown event is named in the error"

# The command: bad options are usage errors, an unknown session fails.
"$PH" replay --speed 100 $S >/dev/null 2>"$T/err"
is "$?" 2 "replay --speed 100 is a usage error"
"$PH" replay --idle-cap 0 $S >/dev/null 2>"$T/err"
is "$?" 2 "replay --idle-cap 0 is a usage error"
done_testing
