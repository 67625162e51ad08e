#!/bin/sh
# bench/ingest.sh [ROUNDS] -- one stream of 200,000 events (1.15 KB on
# average) over loopback HTTP/1.1 chunked: pilothouse's durable ingest
# ("tail --json", every event committed to the SQLite cache) against the
# official SDK's events.stream() (parse only), in alternating rounds.
# A third client, bench/stream_count, is the stream manager alone (parse
# and count, nothing stored): the wire core on the SDK's own terms.
# Prints each round and the medians; run from the build directory after
# "make check" (it needs bench/sse_server and the pinned SDK).
set -eu
rounds=${1:-5}
events=${EVENTS:-200000}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
modules=$(top_builddir=$build sh "$top/tests/node/ensure-sdk.sh")
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ph-bench.XXXXXX")
trap 'kill $srv 2>/dev/null; rm -rf "$tmp"' EXIT

"$build/bench/sse_server" --events "$events" >"$tmp/port" &
srv=$!
while [ ! -s "$tmp/port" ]; do sleep 0.1; done
url=http://127.0.0.1:$(cat "$tmp/port")

# measure NAME CMD...: wall seconds and peak RSS (kB) from time -v.
measure() {
	name=$1
	shift
	/usr/bin/time -v "$@" >/dev/null 2>"$tmp/time"
	wall=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$tmp/time" |
	    awk -F: '{ print ($1 * 60) + $2 }')
	rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time")
	echo "$name $wall $rss"
}

echo "round client seconds events/s peak_rss_MB" >&2
for r in $(seq 1 "$rounds"); do
	export XDG_CACHE_HOME="$tmp/cache.$r"
	set -- $(measure pilothouse "$build/pilothouse" --api-url "$url" \
	    tail --json sesn_011CBENCH0)
	rm -rf "$XDG_CACHE_HOME"
	ph_s=$2 ph_rss=$3
	set -- $(measure sdk env SDK_MODULES="$modules" node \
	    "$top/bench/sdk_stream.mjs" "$url" sesn_011CBENCH0)
	sdk_s=$2 sdk_rss=$3
	set -- $(measure count "$build/bench/stream_count" "$url" \
	    sesn_011CBENCH0)
	wc_s=$2 wc_rss=$3
	awk -v r="$r" -v n="$events" -v a="$ph_s" -v ar="$ph_rss" \
	    -v b="$sdk_s" -v br="$sdk_rss" -v c="$wc_s" -v cr="$wc_rss" 'BEGIN {
		printf "%d pilothouse %.2f %.0f %.1f\n", r, a, n / a, ar / 1024
		printf "%d sdk        %.2f %.0f %.1f\n", r, b, n / b, br / 1024
		printf "%d count      %.2f %.0f %.1f\n", r, c, n / c, cr / 1024
		printf "%d ratio speed %.2f memory %.3f\n", r, b / a, ar / br
		printf "%d countratio speed %.2f memory %.3f\n", r, b / c,
		    cr / br
	}' | tee -a "$tmp/rounds" >&2
done
awk '
function median(v, n,   i, j, t) {
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
$2 == "pilothouse" { pr[++np] = $4; pm[np] = $5 }
$2 == "sdk" { sr[++ns] = $4; sm[ns] = $5 }
$2 == "count" { cr[++nc] = $4; cm[nc] = $5 }
$2 == "ratio" { speed[++nr] = $4; mem[nr] = $6 }
$2 == "countratio" { cspeed[++nq] = $4; cmem[nq] = $6 }
END {
	printf "median: pilothouse %.0f events/s, %.1f MB; sdk %.0f events/s, %.1f MB\n",
	    median(pr, np), median(pm, np), median(sr, ns), median(sm, ns)
	printf "median of ratios: speed %.2fx (target >= 1.25), memory %.3f (target <= 0.125)\n",
	    median(speed, nr), median(mem, nr)
	printf "stream manager alone (stream_count): %.0f events/s, %.1f MB; against the SDK: speed %.2fx, memory %.3f\n",
	    median(cr, nc), median(cm, nc), median(cspeed, nq), median(cmem, nq)
}' "$tmp/rounds"
