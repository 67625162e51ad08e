#!/bin/sh
# tests/e2e/backend_test.sh -- both terminal backends in tmux: keys are
# decoded the same way, wide characters keep their columns, a resize
# relayouts at once, quitting restores the terminal, and hostile text
# never reaches the terminal raw (the bytes written are recorded).
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/e2e/lib-tmux.sh"

PROBE="$top_builddir/tests/e2e/ui_probe"

# Hostile text: OSC 52 (clipboard), CSI, DCS, a title change, bidi,
# C1, NUL, DEL, a 200 KB line, and SGR colour (allowed as styles only).
{
	printf 'osc52 \033]52;c;SGFja2Vk\007 end\n'
	printf 'csi \033[9999;1H \033[6n \033[?1049l end\n'
	printf 'dcs \033P+q544e\033\\ title \033]2;pwned\007 end\n'
	printf 'bidi \342\200\256evil\342\200\254 c1 \302\233\061m end\n'
	printf 'nul \000 del \177 bel \007 end\n'
	printf 'sgr \033[1;31mred\033[0m plain\n'
	head -c 204800 /dev/zero | tr '\0' 'x'
	printf '\nafter the long line\n'
} > "$T/hostile.txt"

backends="ncurses"
if "$PROBE" tickit /dev/null </dev/null >/dev/null 2>"$T/err"; then :; fi
grep -q 'no console backend' "$T/err" || backends="$backends tickit"

for b in $backends; do
	tmux_start 100 30 "$PROBE" "$b" "$T/hostile.txt"
	tmux_wait 10 "probe ready size 100x30"
	ok $? "$b: the probe starts at 100x30"

	# Column 20 of row 1 (under the header row) holds |END.
	line=$(tmux_screen | sed -n 3p)
	case "$line" in
	"中文"*) ok 0 "$b: CJK is drawn" ;;
	*) ok 1 "$b: CJK is drawn: $line" ;;
	esac
	case "$line" in
	*"abcdefghi"*) ok 0 "$b: the alignment line is drawn" ;;
	*) ok 1 "$b: the alignment line is drawn: $line" ;;
	esac
	col=$(printf '%s\n' "$line" | awk '{ print index($0, "|END") }')
	pre=$(printf '%s\n' "$line" | sed 's/|END.*//')
	w=$(printf '%s' "$pre" | LC_ALL=C.UTF-8 wc -L)
	is "$w" 20 "$b: wide and combining characters keep |END at column 20"

	tmux_has "after the long line"
	ok $? "$b: text after a 200 KB line is shown"
	tmux_has "red plain"
	ok $? "$b: SGR text shown without its sequences"

	tmux_keys j
	tmux_wait 5 "last action-down"
	ok $? "$b: j is an action"
	tmux_keys C-o
	tmux_wait 5 "last key-C-o"
	ok $? "$b: C-o is decoded"
	tmux_keys Escape
	tmux_wait 5 "last action-back"
	ok $? "$b: a lone Escape arrives quickly"
	tmux_keys M-x
	tmux_wait 5 "last key-M-x"
	ok $? "$b: Alt-x is decoded"
	tmux_keys BTab
	tmux_wait 5 "last action-prev-pane"
	ok $? "$b: Shift-Tab is decoded"
	tmux_keys NPage
	tmux_wait 5 "last action-page-down"
	ok $? "$b: PgDn is decoded"
	tmux_keys C-c
	wait_for 5 tmux_dead
	ok $? "$b: C-c is a key, not a signal: the program detaches"
	is "$(tmux_exit)" 0 "$b: and exits cleanly"
	tm kill-server 2>/dev/null

	tmux_start 100 30 "$PROBE" "$b" "$T/hostile.txt"
	tmux_wait 10 "probe ready size 100x30"
	tm resize-window -t t -x 120 -y 40
	tmux_wait 5 "probe ready size 120x40"
	ok $? "$b: a resize relayouts at once"
	tm resize-window -t t -x 60 -y 20
	tmux_wait 5 "need 80x24"
	ok $? "$b: below 80x24 it asks for room"
	tmux_has "this is 60x20"
	ok $? "$b: and says how big the terminal is"
	tm resize-window -t t -x 79 -y 24
	tmux_wait 5 "this is 79x24"
	ok $? "$b: one column short is too small"
	tm resize-window -t t -x 16 -y 5
	tmux_wait 5 "this is 16x5"
	ok $? "$b: the message stays whole in 16 columns"
	tm resize-window -t t -x 80 -y 24
	tmux_wait 5 "probe ready size 80x24"
	ok $? "$b: 80x24 is enough for the layout"
	tm resize-window -t t -x 100 -y 30
	tmux_wait 5 "probe ready size 100x30"
	ok $? "$b: and comes back"
	tmux_keys q
	wait_for 5 tmux_dead
	ok $? "$b: q quits"
	tmux_screen > "$T/after"
	! grep -q "probe ready" "$T/after"
	ok $? "$b: the terminal is restored (alternate screen left)"

	# The raw bytes the program wrote to the terminal.
	raw="$T/raw"
	! grep -qaF "$(printf '\033]52')" "$raw"
	ok $? "$b: OSC 52 never reaches the terminal"
	! grep -qaF "$(printf '\033[9999')" "$raw"
	ok $? "$b: foreign CSI never reaches the terminal"
	! grep -qaF "$(printf '\033[6n')" "$raw"
	ok $? "$b: no cursor report request"
	! grep -qaF "$(printf '\033P')" "$raw"
	ok $? "$b: no DCS"
	! grep -qaF "$(printf '\033]2;')" "$raw"
	ok $? "$b: no title change"
	! grep -qaF "$(printf '\342\200\256')" "$raw"
	ok $? "$b: no bidi override"
	! grep -qaF "$(printf '\302\233')" "$raw"
	ok $? "$b: no C1 CSI"
	[ "$(tr -cd '\000' < "$raw" | wc -c)" -eq 0 ]
	ok $? "$b: no NUL"
	! grep -qaE 'x{200}' "$raw"
	ok $? "$b: the 200 KB line is cut, not written"
	grep -qaF "$(printf '\342\220\233')" "$raw" &&
	    grep -qaF "52;c;SGFja2Vk" "$raw"
	ok $? "$b: the escape is shown as a visible stand-in"
	tm kill-server 2>/dev/null
done

done_testing
