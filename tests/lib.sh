# tests/lib.sh -- shared helpers for the shell tests (TAP output).
#
# Source it first:  . "$top_srcdir/tests/lib.sh"
# It provides TAP results (ok, is, skip_all, done_testing), a private
# temporary directory removed on exit ($T), and wait_for, which polls a
# condition with a deadline -- tests never sleep to synchronise.

set -u
: "${top_srcdir:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${top_builddir:=$top_srcdir}"
: "${PILOTHOUSE:=$top_builddir/pilothouse}"
: "${PILOTHOUSE_DATADIR:=$top_srcdir}"
export PILOTHOUSE_DATADIR

tap_n=0
tap_fail=0
tap_cleanups=

T=$(mktemp -d "${TMPDIR:-/tmp}/ph-test.XXXXXX")
chmod 700 "$T"
# Keep every test's XDG state private.
export XDG_CONFIG_HOME="$T/config" XDG_CACHE_HOME="$T/cache" \
    XDG_DATA_HOME="$T/data" XDG_STATE_HOME="$T/state" \
    XDG_RUNTIME_DIR="$T/run"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
unset ANTHROPIC_API_KEY ANTHROPIC_BASE_URL

# Run "cmd" at exit (last registered runs first).
at_exit() {
	tap_cleanups="$1; $tap_cleanups"
}

tap_finish() {
	eval "$tap_cleanups" 2>/dev/null || :
	rm -rf "$T"
}
trap tap_finish EXIT
trap 'exit 130' INT TERM

ok() {	# ok STATUS DESCRIPTION
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $tap_n - $2"
	else
		echo "not ok $tap_n - $2"
		tap_fail=$((tap_fail + 1))
	fi
}

is() {	# is GOT WANT DESCRIPTION
	if [ "$1" = "$2" ]; then
		ok 0 "$3"
	else
		ok 1 "$3"
		printf '#   got:  %s\n#   want: %s\n' "$1" "$2"
	fi
}

diag() {
	printf '# %s\n' "$*"
}

skip_all() {
	echo "1..0 # SKIP $*"
	exit 0
}

done_testing() {
	echo "1..$tap_n"
	[ "$tap_fail" -eq 0 ]
}

# wait_for SECONDS CMD...: run CMD every 20 ms until it succeeds or the
# deadline passes; returns CMD's last status.
wait_for() {
	_deadline=$(( $(date +%s%N) / 1000000 + $1 * 1000 ))
	shift
	while :; do
		if "$@"; then
			return 0
		fi
		if [ $(( $(date +%s%N) / 1000000 )) -ge "$_deadline" ]; then
			return 1
		fi
		sleep 0.02
	done
}
