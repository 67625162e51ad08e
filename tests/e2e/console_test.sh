#!/bin/sh
# tests/e2e/console_test.sh -- the console in a real terminal (tmux),
# against the local harness and its demos, with both backends: the fleet
# shows every demo session; "!" then "a" approves a pending call and the
# harness records the user.tool_confirmation; "s" steers; Esc in the
# attach view interrupts; "y" writes the selected id as OSC 52; C-l
# repaints over stray output; ":new" creates a session; a resize keeps
# the layout; "q" restores the terminal; hostile event text never
# reaches the terminal raw; a session the console followed exports
# from the cache alone.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib-tmux.sh"
. "$top_srcdir/tests/integration/harness_lib.sh"

E2E="$top_srcdir/tests/data/console/e2e"
mkdir -p "$T/scen"
cp "$E2E"/*.json "$T/scen/"

# A scenario whose message and tool output are hostile: escape
# sequences, OSC 52, a title change, bidi, NUL, and a 200 KB line.
{
	printf '{"scenario":"hostile","version":1,"description":"hostile text",'
	printf '"turns":[{"user":"Show me the output.","responses":['
	printf '{"blocks":[{"text":"msg \\u001b[2J\\u001b]52;c;SGFja2Vk\\u0007 '
	printf '\\u001b]2;pwned\\u0007 \\u202eevil\\u202c end"},'
	printf '{"tool":"bash","input":{"command":"printf '"'"'\\\\033]52;c;SGFja2Vk\\\\007 \\\\033[9999;1H \\\\342\\\\200\\\\256rtl \\\\000 nul\\\\n'"'"'; head -c 204800 /dev/zero | tr '"'"'\\\\0'"'"' x"}}]},'
	printf '{"blocks":[{"text":"shown"}],"stop":"end_turn"}]}]}\n'
} > "$T/scen/hostile.json"
jq -e . "$T/scen/hostile.json" >/dev/null || { echo "bad hostile scenario"; exit 1; }
cat > "$T/hostile-manifest.json" <<'X'
{"demo":"hostile","environment":{"name":"h","config":{"type":"cloud","networking":{"type":"limited","allowed_hosts":[]}}},
 "sessions":[{"key":"h","scenario":"hostile","title":"hostile","start_ms":0}]}
X

harness_start --scenarios "$T/scen"

# The id of a session of the last demo by its title.
id_of() { awk -v n="$1" '$2 == n { print $1 }' "$T/demo"; }
# count_events SESSION JQFILTER: how many matching events the harness
# logged; has_event SESSION JQFILTER [N]: more than N (default 0).
count_events() {
	c "http://h/v1/sessions/$1/events?limit=1000" |
	    jq "[.data[] | select($2)] | length"
}
has_event() {
	[ "$(count_events "$1" "$2")" -gt "${3:-0}" ]
}
has_prefix_of() {	# the screen shows TEXT, in any case
	tmux_screen | grep -qiF -- "$1"
}

backends="ncurses"
"$top_builddir/tests/e2e/ui_probe" tickit /dev/null </dev/null \
    >/dev/null 2>"$T/err"
grep -q 'no console backend' "$T/err" || backends="$backends tickit"

"$PILOTHOUSE" demo "$E2E/manifest.json" >"$T/demo" 2>&1
ok $? "the test demo starts"
APPROVE=$(id_of approve-me)
SLEEP=$(id_of sleeper)
ECHO=$(id_of echo)
wait_for 30 has_event "$APPROVE" '.type == "session.status_idle" and .stop_reason.type == "requires_action"'
ok $? "the approval session waits for the operator"

for b in $backends; do
	# The shipped demo through the README's first command.
	tmux_start 120 40 "$PILOTHOUSE" --local --demo --ui "$b"
	tmux_wait 30 "calc: fix mean"
	ok $? "$b: --local --demo opens the console"
	for t in "calc: fix mean" "greet: add" "triage nightly" "retry demo" \
	    "release 1.2.0" "approve me" "sleeper" "echo"; do
		tmux_wait 20 "$t"
		ok $? "$b: the fleet shows \"$t\""
	done

	# "!" focuses the pending call, "a" approves it.
	if [ "$b" = ncurses ]; then
		tmux_wait 10 "needs approval"
		ok $? "$b: the waiting session says so in words"
		tmux_keys '!'
		tmux_wait 10 "Running the release check"
		ok $? "$b: ! opens the session needing attention"
		tmux_wait 5 "needs approval"
		tmux_keys a
		wait_for 20 has_event "$APPROVE" '.type == "user.tool_confirmation" and .result == "allow" and ((.private // {}) | .x_autopilot | not)'
		ok $? "$b: a approves: the harness records the user.tool_confirmation"
		tmux_wait 20 "The release check passed"
		ok $? "$b: the approved call runs and the turn ends on screen"
		tmux_keys q
	fi

	# s steers the echo session.
	tmux_keys :
	tm send-keys -t t -l "open $ECHO"
	tmux_keys Enter
	tmux_wait 10 "steer"
	tmux_keys s
	tm send-keys -t t -l "hello from $b"
	tmux_keys Enter
	wait_for 20 has_event "$ECHO" ".type == \"user.message\" and .content[0].text == \"hello from $b\""
	ok $? "$b: s sends a user.message"
	tmux_wait 20 "hello from $b"
	ok $? "$b: the echo comes back on screen"

	# y copies the selected event's id with OSC 52 ([ui] clipboard
	# defaults to osc52): exactly that id, base64, in the bytes written.
	tmux_keys y
	tmux_wait 10 "copied sevt_"
	ok $? "$b: y says what it copied"
	copied=$(grep -aoE "$(printf '\033')\\]52;c;[A-Za-z0-9+/=]+$(printf '\007')" \
	    "$T/raw" | tail -n 1 | cut -d';' -f3 | tr -d '\007' | base64 -d)
	case "$copied" in
	sevt_*) has_event "$ECHO" ".id == \"$copied\""
		ok $? "$b: y wrote OSC 52 with an event id of the session ($copied)" ;;
	*)	ok 1 "$b: y wrote OSC 52 with an event id: got \"$copied\"" ;;
	esac
	tmux_has "copied $copied"
	ok $? "$b: the toast names the same id"

	# C-l repaints: text written behind the console's back goes away.
	tmux_screen | sed -n 2,38p > "$T/before"	# the session's body
	printf 'GARBAGE-%s' "$b" > "$(tm display -p -t t '#{pane_tty}')"
	tmux_wait 5 "GARBAGE-$b"
	tmux_keys C-l
	wait_for 5 sh -c "! \"$TMUX_BIN\" -L \"$TSOCK\" capture-pane -p -t t | grep -qF GARBAGE-$b"
	ok $? "$b: C-l repaints over stray output"
	wait_for 5 sh -c "\"$TMUX_BIN\" -L \"$TSOCK\" capture-pane -p -t t | sed -n 2,38p | cmp -s - '$T/before'"
	r=$?
	[ $r -eq 0 ] || tmux_screen | sed -n 2,38p | diff "$T/before" - |
	    sed 's/^/# /'
	ok $r "$b: and the session is drawn as it was"
	tmux_keys q

	# :new AGENT ENVIRONMENT TITLE creates a session.
	agent=$(c "http://h/v1/agents?limit=100" | jq -r '.data[0].id')
	env=$(c "http://h/v1/environments?limit=100" | jq -r '.data[0].id')
	tmux_keys :
	tm send-keys -t t -l "new $agent $env made by $b"
	tmux_keys Enter
	tmux_wait 10 "created sesn_"
	ok $? "$b: :new says it created a session"
	c "http://h/v1/sessions?limit=1000" | jq -e --arg t "made by $b" \
	    --arg a "$agent" '[.data[] | select(.title == $t and ((.agent | objects | .id) // .agent) == $a)] | length == 1' >/dev/null
	ok $? "$b: the harness has it, from that agent, with the title"
	tmux_wait 10 "made by $b"
	ok $? "$b: and the fleet shows it"

	# Esc in the attach view interrupts a running turn, with a hint.
	n=$(count_events "$SLEEP" '.type == "user.interrupt"')
	"$PILOTHOUSE" send "$SLEEP" "Sleep for two minutes." >/dev/null
	tmux_keys :
	tm send-keys -t t -l "open $SLEEP"
	tmux_keys Enter
	tmux_wait 20 "sleep 120"
	wait_for 20 tmux_has "running"
	tmux_keys Escape
	wait_for 20 has_event "$SLEEP" '.type == "user.interrupt"' "$n"
	ok $? "$b: Esc in the attach view sends a user.interrupt"
	tmux_wait 10 "Esc interrupts"
	ok $? "$b: with a hint on the status line"
	tmux_keys q

	# A resize keeps the layout: header on top, hints at the bottom.
	tm resize-window -t t -x 100 -y 30
	wait_for 10 sh -c "[ \$(\"$TMUX_BIN\" -L \"$TSOCK\" capture-pane -p -t t | wc -l) -eq 30 ]"
	first=$(tmux_screen | sed -n 1p)
	last=$(tmux_screen | sed -n 30p)
	case "$first" in pilothouse*) ok 0 "$b: after a resize the header is on top" ;;
	*) ok 1 "$b: after a resize the header is on top: $first" ;; esac
	case "$last" in *"? help"*) ok 0 "$b: and the key hints at the bottom" ;;
	*) ok 1 "$b: and the key hints at the bottom: $last" ;; esac
	tmux_keys q
	wait_for 10 tmux_dead
	ok $? "$b: q quits"
	is "$(tmux_exit)" 0 "$b: cleanly"
	! tmux_has "STATE"
	ok $? "$b: the terminal is restored"
	tm kill-server 2>/dev/null
done

# Hostile text through real events: the bytes written hold none of it.
"$PILOTHOUSE" demo "$T/hostile-manifest.json" >"$T/demo" 2>&1
HOSTILE=$(id_of hostile)
wait_for 30 has_event "$HOSTILE" '.type == "agent.tool_result"'
ok $? "the hostile session ran its tool"
for b in $backends; do
	tmux_start 100 30 "$PILOTHOUSE" --ui "$b" console "$HOSTILE"
	tmux_wait 20 "shown"
	ok $? "$b: the hostile session is shown"
	tmux_keys k k C-o
	tmux_wait 10 "rtl"
	ok $? "$b: its tool output is expanded"
	tmux_keys q q
	wait_for 10 tmux_dead
	raw="$T/raw"
	! grep -qaF "$(printf '\033]52')" "$raw"
	ok $? "$b: no OSC 52 reaches the terminal"
	n=$(c "http://h/v1/sessions/$HOSTILE/events?limit=1000" | jq '.data | length')
	"$PILOTHOUSE" --api-url http://127.0.0.1:1 export "$HOSTILE" >"$T/exp" 2>"$T/experr"
	is "$?" 0 "$b: the console cached the whole history: export needs no API"
	is "$(wc -l < "$T/exp")" "$n" "$b: all $n events"
	! grep -qaF "$(printf '\033]2;')" "$raw"
	ok $? "$b: no title change"
	! grep -qaF "$(printf '\033[9999')" "$raw"
	ok $? "$b: no foreign CSI"
	! grep -qaF "$(printf '\342\200\256')" "$raw"
	ok $? "$b: no bidi override"
	[ "$(tr -cd '\000' < "$raw" | wc -c)" -eq 0 ]
	ok $? "$b: no NUL"
	! grep -qaE 'x{300}' "$raw"
	ok $? "$b: the 200 KB line is cut"
	grep -qaF "$(printf '\342\220\233')" "$raw"
	ok $? "$b: escapes are shown as visible stand-ins"
	tm kill-server 2>/dev/null
done

done_testing
