#!/bin/sh
# tests/integration/cli_export.sh -- export of a session that is not in
# the cache: fetched from the API (the fault server) with its whole
# history, stored, and written out; then exported again from the cache
# alone.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/fault.sh"

fs_start --events 40 --history 40 --page-max 7 --client-every 5
"$PILOTHOUSE" export "$SESSION" >"$T/out" 2>"$T/err"
is "$?" 0 "export of an uncached session fetches it"
fs_log "$SESSION" >"$T/want"
cmp -s "$T/out" "$T/want"
ok $? "every event, in order, as the server's history has them"
[ "$(fs_requests "/events?")" -ge 6 ]
ok $? "paging through the whole history ($(fs_requests "/events?") pages)"
is "$(fs_requests "GET /v1/sessions/$SESSION ")" 1 "and the session object"
fs_stop
"$PILOTHOUSE" export "$SESSION" >"$T/again" 2>/dev/null
is "$?" 0 "a second export needs no server"
cmp -s "$T/again" "$T/want"
ok $? "the cache kept it all"
"$PILOTHOUSE" sessions >/dev/null 2>&1
is "$?" 4 "(the server is gone indeed)"

fs_start --events 3
"$PILOTHOUSE" export sesn_011CNOPE >/dev/null 2>"$T/err"
is "$?" 3 "an unknown session: exit 3"
grep -q "sesn_011CNOPE: 404 not_found_error" "$T/err"
ok $? "with the API's error"
done_testing
