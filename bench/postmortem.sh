#!/bin/sh
# bench/postmortem.sh -- time pilothouse export (JSONL and the Markdown
# report) on a session of N events (default 1,000,000) of bench_gen's
# workload.  Run from the build directory: sh bench/postmortem.sh [N]
# With GNU time (/usr/bin/time) it also prints the CPU seconds (user +
# system), which on a shared machine say more than the wall clock.
set -eu
n=${1:-1000000}
ph=${PILOTHOUSE:-./pilothouse}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_CACHE_HOME="$T/cache" XDG_CONFIG_HOME="$T/config"
mkdir -p "$XDG_CACHE_HOME/pilothouse"
S=sesn_011CbenchPostmortem00001
bench/postmortem_fill "$XDG_CACHE_HOME/pilothouse/cache.db" $S "$n"
run() {
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f "%e %U %S" -o "$T/time" "$@"
	else
		t0=$(date +%s.%N); "$@"; t1=$(date +%s.%N)
		echo "$t0 $t1" | awk '{ print $2 - $1, "-", "-" }' >"$T/time"
	fi
}
show() {
	awk -v n="$n" -v what="$1" '{ cpu = $2 + $3
	    printf "%s: %.2f s wall (%.0f events/s)", what, $1, n / $1
	    if ($2 != "-") printf ", %.2f s CPU (%.0f events/s)", cpu, n / cpu
	    printf "\n" }' "$T/time"
}
for i in 1 2 3; do
	run "$ph" export $S >/dev/null
	show "run $i: jsonl"
	run "$ph" export --format markdown $S >"$T/report.md"
	show "run $i: markdown"
done
