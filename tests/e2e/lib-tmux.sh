# tests/e2e/lib-tmux.sh -- drive programs in a private tmux server.
#
# Source after tests/lib.sh.  Every test gets its own server (-L
# ph-test-PID, no config file), a fixed window size, TERM=tmux-256color
# and a UTF-8 locale.  The program waits on a FIFO until pipe-pane is
# recording, so the raw bytes it writes to the terminal are all captured
# in $T/raw.  Nothing sleeps to synchronise: tmux_wait polls with a
# deadline.

[ -n "${TMUX_BIN:-}" ] || TMUX_BIN=$(command -v tmux || :)
[ -n "$TMUX_BIN" ] || skip_all "tmux not found"
unset TMUX
tmux_round=0
TSOCK="ph-test-$$-0"
at_exit '"$TMUX_BIN" -L "$TSOCK" kill-server 2>/dev/null'

tm() {
	"$TMUX_BIN" -L "$TSOCK" "$@"
}

# tmux_start W H CMD...: start CMD in a W x H window, recording output;
# its exit status goes to $T/exit (tmux_exit).
tmux_start() {
	_w=$1 _h=$2
	shift 2
	# A fresh server each time: a killed one may still be going away.
	"$TMUX_BIN" -L "$TSOCK" kill-server 2>/dev/null
	tmux_round=$((tmux_round + 1))
	TSOCK="ph-test-$$-$tmux_round"
	rm -f "$T/go" "$T/raw" "$T/exit"
	mkfifo "$T/go"
	: > "$T/raw"
	tm -f /dev/null new-session -d -s t -x "$_w" -y "$_h" \
	    "read _ < '$T/go'; env LANG=C.UTF-8 LC_ALL=C.UTF-8 \
	    XDG_CONFIG_HOME='$XDG_CONFIG_HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' \
	    XDG_DATA_HOME='$XDG_DATA_HOME' XDG_STATE_HOME='$XDG_STATE_HOME' \
	    XDG_RUNTIME_DIR='$XDG_RUNTIME_DIR' \
	    PILOTHOUSE_DATADIR='$PILOTHOUSE_DATADIR' $*; echo \$? > '$T/exit'" &&
	tm set -g remain-on-exit on >/dev/null &&
	tm set -g default-terminal tmux-256color >/dev/null &&
	tm pipe-pane -o -t t "cat >> '$T/raw'" &&
	echo go > "$T/go"
}

# The visible screen.
tmux_screen() {
	tm capture-pane -p -t t 2>/dev/null
}

# tmux_has TEXT: the screen shows TEXT (a fixed string).
tmux_has() {
	tmux_screen | grep -qF -- "$1"
}

# tmux_wait SECONDS TEXT: poll until the screen shows TEXT.
tmux_wait() {
	wait_for "$1" tmux_has "$2"
}

# tmux_dead: the program has exited.
tmux_dead() {
	[ "$(tm display -p -t t '#{pane_dead}' 2>/dev/null)" = 1 ]
}

# tmux_keys KEYS...: type keys (tmux key names).
tmux_keys() {
	tm send-keys -t t "$@"
}

# The program's exit status (128+N for signal N), written by the shell
# that ran it ("none" if it has not exited).
tmux_exit() {
	wait_for 10 test -s "$T/exit"
	cat "$T/exit" 2>/dev/null || echo none
}
