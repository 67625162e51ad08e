#!/bin/sh
# bench/postmortem.sh -- time pilothouse export (JSONL and the Markdown
# report) on a session of N events (default 1,000,000) of bench_gen's
# workload.  Run from the build directory: sh bench/postmortem.sh [N]
set -eu
n=${1:-1000000}
ph=${PILOTHOUSE:-./pilothouse}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export XDG_CACHE_HOME="$T/cache" XDG_CONFIG_HOME="$T/config"
mkdir -p "$XDG_CACHE_HOME/pilothouse"
S=sesn_011CbenchPostmortem00001
bench/postmortem_fill "$XDG_CACHE_HOME/pilothouse/cache.db" $S "$n"
now() { date +%s.%N; }
for run in 1 2 3; do
	t0=$(now); "$ph" export $S >/dev/null; t1=$(now)
	"$ph" export --format markdown $S >"$T/report.md"; t2=$(now)
	awk -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
	    printf "run %d: jsonl %.2f s (%.0f events/s)  markdown %.2f s\n",
	    '"$run"', b - a, n / (b - a), c - b }'
done
wc -c "$T/report.md"
