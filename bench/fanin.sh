#!/bin/sh
# bench/fanin.sh [SECONDS] [ROUNDS] -- 1,000 sessions each streaming 5
# events a second over loopback: pilothouse ("tail --json" on all of
# them, every event committed to the cache) against the official SDK
# (one process, 1,000 events.stream() loops), in alternating rounds.
# CPU is the share of one core used over SECONDS once every stream is
# open (utime + stime from /proc); memory is the peak RSS (VmHWM) and the
# PSS at the end.  bench/stream_count (the stream manager alone, nothing
# stored) runs too, for the wire core's own share.  Run from the build
# directory after "make check".
set -eu
secs=${1:-20}
rounds=${2:-3}
n=${SESSIONS:-1000}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
modules=$(top_builddir=$build sh "$top/tests/node/ensure-sdk.sh")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ph-fanin.XXXXXX")
pid=
trap 'kill $pid $srv 2>/dev/null; rm -rf "$tmp"' EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || :

"$build/bench/sse_server" --sessions "$n" --rate 5 >"$tmp/port" &
srv=$!
while [ ! -s "$tmp/port" ]; do sleep 0.1; done
port=$(cat "$tmp/port")
url=http://127.0.0.1:$port
ids=$(seq 0 $((n - 1)) | sed 's/^/sesn_011CBENCH/')
hz=$(getconf CLK_TCK)

# streams: how many streams the server has open.
streams() {
	curl -s "$url/_stats" | sed 's/.*"streams":\([0-9]*\).*/\1/'
}

# ticks PID: utime + stime of the whole process.
ticks() {
	awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# run NAME CMD...: start, wait for every stream, measure, stop.
run() {
	name=$1
	shift
	base=$(streams)
	"$@" >/dev/null 2>&1 &
	pid=$!
	while [ "$(streams)" -lt $((base + n)) ]; do sleep 0.2; done
	sleep 3
	t0=$(ticks "$pid")
	sleep "$secs"
	t1=$(ticks "$pid")
	hwm=$(awk '$1 == "VmHWM:" { print $2 }' "/proc/$pid/status")
	pss=$(awk '$1 == "Pss:" { print $2 }' "/proc/$pid/smaps_rollup")
	kill "$pid"
	wait "$pid" 2>/dev/null || :
	pid=
	while [ "$(streams)" -gt "$base" ]; do sleep 0.2; done
	awk -v name="$name" -v t="$((t1 - t0))" -v hz="$hz" -v s="$secs" \
	    -v hwm="$hwm" -v pss="$pss" 'BEGIN {
		printf "%s cpu %.1f%% peak_rss %.1f MB pss %.1f MB\n", name,
		    100 * t / hz / s, hwm / 1024, pss / 1024
	}'
}

for r in $(seq 1 "$rounds"); do
	export XDG_CACHE_HOME="$tmp/cache.$r"
	run pilothouse "$build/pilothouse" --api-url "$url" tail --json $ids |
	    tee -a "$tmp/rounds"
	rm -rf "$XDG_CACHE_HOME"
	run sdk env SDK_MODULES="$modules" node "$top/bench/sdk_stream.mjs" \
	    "$url" $ids | tee -a "$tmp/rounds"
	run count "$build/bench/stream_count" "$url" $ids |
	    tee -a "$tmp/rounds"
done
awk '
function median(v, k,   i, j, t) {
	for (i = 1; i <= k; i++)
		for (j = i + 1; j <= k; j++)
			if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
	return k % 2 ? v[(k + 1) / 2] : (v[k / 2] + v[k / 2 + 1]) / 2
}
{ sub("%", "", $3) }
$1 == "pilothouse" { pc[++np] = $3; pm[np] = $5; pp[np] = $8 }
$1 == "sdk" { sc[++ns] = $3; sm[ns] = $5; sp[ns] = $8;
	rc[ns] = pc[ns] / $3; rm[ns] = pm[ns] / $5 }
$1 == "count" { cc[++nc] = $3; cm[nc] = $5; qc[nc] = $3 / sc[nc];
	qm[nc] = $5 / sm[nc] }
END {
	printf "median: pilothouse cpu %.1f%% peak %.1f MB pss %.1f MB; sdk cpu %.1f%% peak %.1f MB pss %.1f MB\n",
	    median(pc, np), median(pm, np), median(pp, np),
	    median(sc, ns), median(sm, ns), median(sp, ns)
	printf "median of ratios: cpu %.2f (target <= 0.5), memory %.3f (target <= 0.25)\n",
	    median(rc, ns), median(rm, ns)
	printf "stream manager alone (stream_count): cpu %.1f%% peak %.1f MB; against the SDK: cpu %.2f, memory %.3f\n",
	    median(cc, nc), median(cm, nc), median(qc, nc), median(qm, nc)
}' "$tmp/rounds"
