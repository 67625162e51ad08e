#!/bin/sh
# tests/integration/cli_wait.sh -- wait blocks until the log says so: a
# scripted session runs, idles, runs again and terminates while wait
# follows it.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/fault.sh"

# The script goes running (first event) ... idle (event 9) ... terminated.
fs_start --events 24 --history 1 --interval 25
"$PILOTHOUSE" wait "$SESSION" --until idle
is "$?" 0 "wait --until idle returns once the session idles"
grep -q '"type":"session.status_idle"' "$T/events.log"
ok $? "and the server had emitted an idle by then"
! grep -q '"type":"session.status_terminated"' "$T/events.log"
ok $? "before the session ended"
"$PILOTHOUSE" wait "$SESSION" --until terminated
is "$?" 0 "wait --until terminated"
grep -q '"type":"session.status_terminated"' "$T/events.log"
ok $? "returns after the terminating event"
"$PILOTHOUSE" wait "$SESSION" --until idle 2>"$T/err"
is "$?" 1 "waiting for idle on a terminated session: exit 1"
grep -q "terminated" "$T/err"
ok $? "saying it terminated"
done_testing
