#!/bin/sh
# bench/harness.sh [TURNS] -- the local harness (pilothouse serve,
# scripted brain, unix socket):
#   latency: user.message POST -> the stream's first byte (p50/p90),
#     TURNS one-word echo turns (default 200), with --scripted-fast;
#   fan-out: one session's stream to 1,000 subscribers, one echo turn
#     (8 events each), events delivered per second in total;
#   memory: the harness's RSS and PSS with 0 and then 1,000 idle stream
#     connections (KB per connection).
# Run from the build directory after "make check" (it uses the test
# helper tests/integration/harness_streams).
set -eu
turns=${1:-200}
top=$(cd "$(dirname "$0")/.." && pwd)
build=${top_builddir:-$top}
ph=$build/pilothouse
hs=$build/tests/integration/harness_streams
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ph-hbench.XXXXXX")
chmod 700 "$tmp"
export XDG_RUNTIME_DIR="$tmp/run" XDG_DATA_HOME="$tmp/data" \
    XDG_CONFIG_HOME="$tmp/config" XDG_CACHE_HOME="$tmp/cache"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
pid= hold=
trap 'kill $pid 2>/dev/null; [ -n "$hold" ] && kill $hold 2>/dev/null; rm -rf "$tmp"' EXIT
ulimit -n "$(ulimit -Hn)" 2>/dev/null || :

"$ph" serve --scripted-fast >"$tmp/out" 2>"$tmp/err" &
pid=$!
S=$XDG_RUNTIME_DIR/pilothouse/harness.sock
while ! curl -sf --unix-socket "$S" http://h/pilothouse/v1/health -o /dev/null; do
	sleep 0.05
done
c() { curl -s --unix-socket "$S" "$@"; }
en=$(c http://h/v1/environments -d '{"name":"bench"}' | jq -r .id)
ag=$(c http://h/v1/agents -d '{"name":"bench","model":"scripted:echo"}' | jq -r .id)
session() { c http://h/v1/sessions -d "{\"agent\":\"$ag\",\"environment_id\":\"$en\"}" | jq -r .id; }
# kb FIELD: a /proc figure of the harness in KB.
kb() {
	case $1 in
	Pss) awk '/^Pss:/ { print $2 }' "/proc/$pid/smaps_rollup" ;;
	*) awk -v f="$1:" '$1 == f { print $2 }' "/proc/$pid/status" ;;
	esac
}

"$hs" "$S" latency "$(session)" "$turns" >"$tmp/lat"
printf 'latency (%s turns): p50 %s us, p90 %s us, max %s us\n' "$turns" \
    "$(sed -n 's/^p50_us //p' "$tmp/lat")" "$(sed -n 's/^p90_us //p' "$tmp/lat")" \
    "$(sed -n 's/^max_us //p' "$tmp/lat")"

"$hs" "$S" idle "$(session)" 1000 >"$tmp/fan"
ms=$(sed -n 's/^ms //p' "$tmp/fan")
echo "fan-out: 1000 subscribers x 8 events in $ms ms: $(( 8000 * 1000 / (ms > 0 ? ms : 1) )) events/s"

rss0=$(kb VmRSS) pss0=$(kb Pss)
mkfifo "$tmp/hold"
"$hs" "$S" hold "$(session)" 1000 <"$tmp/hold" >"$tmp/held" &
hold=$!
exec 9>"$tmp/hold"
while ! grep -q '^open' "$tmp/held" 2>/dev/null; do sleep 0.05; done
rss1=$(kb VmRSS) pss1=$(kb Pss)
echo "memory: RSS $rss0 -> $rss1 KB, PSS $pss0 -> $pss1 KB with 1000 idle streams;" \
    "per stream: RSS $(( (rss1 - rss0) * 1024 / 1000 )) B, PSS $(( (pss1 - pss0) * 1024 / 1000 )) B"
exec 9>&-
wait $hold
hold=
