#!/bin/sh
# bench/brain.sh [RUNS] -- the brains end to end, against the stand-in
# model server, with "pilothouse serve" (run from the build directory after
# "make check", by hand; figures go in bench/README.md):
#
#  1. first preview: a claude-... session whose stand-in pauses 100 ms
#     before the first text token; a subscriber that asked for previews
#     (event_deltas[]=agent.message) notes when the first event_delta
#     reaches it.  Reported: that moment minus the moment the stand-in
#     wrote the token (both CLOCK_MONOTONIC), median and worst of RUNS,
#     twice: with the following tokens 1 ms apart ("paced": still faster
#     than any model streams, from a machine of its own), and with the
#     whole rest of the response written at once right after the first
#     token ("burst": the stand-in's own writing then competes with the
#     harness for this machine's cores).
#  2. CPU per token: a 200,000-token response streamed as fast as the
#     stand-in can write it, one preview subscriber attached; CPU time
#     (utime+stime) over the turn divided by the tokens, median of RUNS/4
#     turns: of the brain's own threads ("ph-worker": receiving, parsing,
#     emitting and storing the events), and of the whole harness (with
#     libmicrohttpd sending every preview to the subscriber).
#  3. bench/brain_token: the same cost token by token, in process.
set -u
RUNS=${1:-20}
top=$(cd "$(dirname "$0")/.." && pwd)
PH=$top/pilothouse
STANDIN=$top/tests/integration/brain_standin
FIRST=$top/bench/brain_first_delta
for f in "$PH" "$STANDIN" "$FIRST" "$top/bench/brain_token"; do
	[ -x "$f" ] || { echo "brain.sh: $f is missing: run make check" >&2; exit 1; }
done
T=$(mktemp -d "${TMPDIR:-/tmp}/ph-bench.XXXXXX")
export XDG_CONFIG_HOME=$T/config XDG_DATA_HOME=$T/data \
    XDG_STATE_HOME=$T/state XDG_CACHE_HOME=$T/cache XDG_RUNTIME_DIR=$T/run
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
S=$XDG_RUNTIME_DIR/pilothouse/harness.sock
pids=
trap 'kill $pids 2>/dev/null; rm -rf "$T"' EXIT
c() { curl -s --unix-socket "$S" "$@"; }
median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

BIG=200000
"$top/bench/brain_token" -w "$T/big.sse" $BIG
TURNS=$(( RUNS / 4 > 0 ? RUNS / 4 : 1 ))
{
	for pace in "pace=1" ""; do
		i=0; while [ $i -lt "$RUNS" ]; do
			echo "200 $top/tests/data/brains/anthropic-long/1.sse pause=3:100 $pace"
			i=$((i + 1))
		done
	done
	i=0; while [ $i -lt $TURNS ]; do
		echo "200 $T/big.sse"
		i=$((i + 1))
	done
} >"$T/script"
mkdir -p "$T/si"
"$STANDIN" -s "$T/script" -d "$T/si" &
pids="$pids $!"
while [ ! -s "$T/si/port" ]; do sleep 0.01; done
ANTHROPIC_API_KEY=sk-bench PILOTHOUSE_ANTHROPIC_BASE_URL=http://127.0.0.1:$(cat "$T/si/port") \
    "$PH" serve --unsafe-no-sandbox >/dev/null 2>&1 &
HPID=$!
pids="$pids $HPID"
while ! c http://h/pilothouse/v1/health >/dev/null 2>&1; do sleep 0.01; done
AG=$(c http://h/v1/agents -d '{"name":"b","model":"claude-sonnet-4-5","tools":[]}' | jq -r .id)
EN=$(c http://h/v1/environments -d '{"name":"e"}' | jq -r .id)

idle() {	# idle SESSION N: wait until N turns have ended
	while [ "$(c "http://h/v1/sessions/$1/events?limit=1000&types[]=session.status_idle" | jq '.data | length')" -lt "$2" ]; do
		sleep 0.01
	done
}

# 1. The first preview: RUNS paced, then RUNS burst (the script's order).
n=0
: >"$T/lat"
while [ $n -lt $((2 * RUNS)) ]; do
	n=$((n + 1))
	SE=$(c http://h/v1/sessions -d "{\"agent\":\"$AG\",\"environment_id\":\"$EN\"}" | jq -r .id)
	"$FIRST" "$S" "$SE" >"$T/first" &
	fp=$!
	while ! grep -q ready "$T/first" 2>/dev/null; do sleep 0.005; done
	c "http://h/v1/sessions/$SE/events" -d '{"events":[{"type":"user.message","content":[{"type":"text","text":"go"}]}]}' >/dev/null
	wait $fp
	idle "$SE" 1
	got=$(tail -1 "$T/first")
	wrote=$(sed -n 3p "$T/si/$n.marks")	# message_start, block start, token
	echo $((got - wrote)) >>"$T/lat"
done
for part in "paced 1" "burst $((RUNS + 1))"; do
	set -- $part
	tail -n +"$2" "$T/lat" | head -n "$RUNS" >"$T/lat.$1"
	echo "first event_delta after the first token, $1 ($RUNS runs, us): median $(median <"$T/lat.$1"), max $(sort -n "$T/lat.$1" | tail -1)"
done

# 2. CPU per token, end to end.
hz=$(getconf CLK_TCK)
# workers: utime+stime of the harness's worker threads, which run the brain.
workers() {
	for t in /proc/$HPID/task/*; do
		[ "$(cat "$t/comm")" = ph-worker ] && cat "$t/stat"
	done | awk '{ s += $14 + $15 } END { print s + 0 }'
}
: >"$T/cpu"
: >"$T/wcpu"
t=0
while [ $t -lt $TURNS ]; do
	t=$((t + 1))
	SE=$(c http://h/v1/sessions -d "{\"agent\":\"$AG\",\"environment_id\":\"$EN\"}" | jq -r .id)
	curl -sN --unix-socket "$S" "http://h/v1/sessions/$SE/events/stream?event_deltas[]=agent.message" >/dev/null &
	sp=$!
	sleep 0.2	# let the subscription start (a benchmark, not a test)
	before=$(awk '{ print $14 + $15 }' "/proc/$HPID/stat")
	wbefore=$(workers)
	c "http://h/v1/sessions/$SE/events" -d '{"events":[{"type":"user.message","content":[{"type":"text","text":"go"}]}]}' >/dev/null
	idle "$SE" 1
	after=$(awk '{ print $14 + $15 }' "/proc/$HPID/stat")
	wafter=$(workers)
	kill $sp 2>/dev/null
	echo "$after $before $hz $BIG" | awk '{ printf "%.2f\n", ($1 - $2) / $3 * 1e6 / $4 }' >>"$T/cpu"
	echo "$wafter $wbefore $hz $BIG" | awk '{ printf "%.2f\n", ($1 - $2) / $3 * 1e6 / $4 }' >>"$T/wcpu"
done
echo "brain threads' CPU per streamed token, over HTTP from the stand-in ($TURNS turns of $BIG tokens, us): median $(median <"$T/wcpu"), all: $(tr '\n' ' ' <"$T/wcpu")"
echo "harness CPU per streamed token, end to end ($TURNS turns of $BIG tokens, us): median $(median <"$T/cpu"), all: $(tr '\n' ' ' <"$T/cpu")"

# 3. In process, token by token.
"$top/bench/brain_token" 100000
