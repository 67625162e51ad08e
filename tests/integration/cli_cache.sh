#!/bin/sh
# tests/integration/cli_cache.sh -- tail of a live session that is in the
# cache: the cached history is printed (and flushed) at once, then only
# what is new is fetched and followed.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/fault.sh"

fs_start --events 30 --history 30 --no-terminate
"$PILOTHOUSE" tail --json "$SESSION" >"$T/first" 2>/dev/null &
tp=$!
at_exit "kill $tp"
wait_for 10 sh -c "[ \$(cat '$T/first' 2>/dev/null | wc -l) -ge 30 ]"
ok $? "tail of a live session prints its history"
kill "$tp"
wait "$tp" 2>/dev/null
fs_log "$SESSION" | cmp -s - "$T/first"
ok $? "all of it, as the server has it"

"$PILOTHOUSE" tail --json "$SESSION" >"$T/second" 2>/dev/null &
tp=$!
at_exit "kill $tp"
wait_for 5 sh -c "[ \$(cat '$T/second' 2>/dev/null | wc -l) -ge 30 ]"
ok $? "a second tail shows the cached history at once, with nothing new"
"$PILOTHOUSE" send "$SESSION" "after the cache" >/dev/null
wait_for 10 grep -q '"text":"after the cache"' "$T/second"
ok $? "then follows live"
kill -INT "$tp"
wait "$tp"
is "$?" 130 "SIGINT stops tail with exit status 130"
head -n 30 "$T/second" | cmp -s - "$T/first"
ok $? "the cached part is the same log"
fs_log "$SESSION" | cmp -s - "$T/second"
ok $? "and the whole output is the server's log, each event once"
fs_stop
"$PILOTHOUSE" export "$SESSION" | cmp -s - "$T/second"
ok $? "what tail printed before SIGINT is all in the cache"
done_testing
