#!/bin/sh
# tests/integration/cli_steer.sh -- send, interrupt, approve, deny, wait
# and sessions against the fault server: the requests on the wire, the
# echoes, the exit statuses.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/fault.sh"

fs_start --events 30 --history 4 --interval 15 --no-terminate
export ANTHROPIC_API_KEY=sk-ant-steer-key

id=$("$PILOTHOUSE" send "$SESSION" 'hello "world"')
is "$?" 0 "send exits 0"
case $id in sevt_*) ok 0 "send prints the event id ($id)" ;;
*) ok 1 "send prints the event id (got '$id')" ;; esac
is "$(fs_requests "POST /v1/sessions/$SESSION/events anthropic-version=2023-06-01 anthropic-beta=managed-agents-2026-04-01 x-api-key=sk-ant-steer-key user-agent=pilothouse/")" 1 \
    "send: the SDK's headers"
is "$(fs_requests 'body={"events":[{"type":"user.message","content":[{"type":"text","text":"hello \"world\""}]}]}')" 1 \
    "send: a user.message with the text"

"$PILOTHOUSE" interrupt "$SESSION" >/dev/null
is "$?" 0 "interrupt exits 0"
is "$(fs_requests 'body={"events":[{"type":"user.interrupt"}]}')" 1 \
    "interrupt: a user.interrupt"

"$PILOTHOUSE" approve "$SESSION" sevt_011CTOOLUSE >/dev/null
is "$?" 0 "approve exits 0"
is "$(fs_requests 'body={"events":[{"type":"user.tool_confirmation","tool_use_id":"sevt_011CTOOLUSE","result":"allow"}]}')" 1 \
    "approve: a tool confirmation, allow"
"$PILOTHOUSE" deny "$SESSION" sevt_011CTOOLUSE --message "not today" \
    >/dev/null
is "$?" 0 "deny exits 0"
is "$(fs_requests 'body={"events":[{"type":"user.tool_confirmation","tool_use_id":"sevt_011CTOOLUSE","result":"deny","deny_message":"not today"}]}')" 1 \
    "deny: deny with the message"
"$PILOTHOUSE" approve "$SESSION" sevt_011CTOOLUSE --message x 2>/dev/null
is "$?" 2 "approve --message is a usage error"
"$PILOTHOUSE" deny "$SESSION" 2>/dev/null
is "$?" 2 "deny without an event id is a usage error"
n=$(fs_requests POST)
"$PILOTHOUSE" --readonly send "$SESSION" hi 2>"$T/err"
is "$?" 2 "--readonly refuses send"
is "$(fs_requests POST)" "$n" "and sends nothing"
"$PILOTHOUSE" send sesn_011CNOPE hi 2>"$T/err"
is "$?" 3 "send to an unknown session: exit 3"
is "$(cat "$T/err")" \
    "pilothouse: 404 not_found_error: session not found" \
    "the error envelope, as the API gave it"

# wait: the echo agent answers every user.message with idle:end_turn.
"$PILOTHOUSE" send "$SESSION" again >/dev/null
wait_for 10 sh -c "grep -q 'echo: ' '$T/events.log'"
"$PILOTHOUSE" wait "$SESSION" --until idle
is "$?" 0 "wait --until idle on an idle session returns at once"
"$PILOTHOUSE" wait "$SESSION" 2>/dev/null
is "$?" 2 "wait without --until is a usage error"
"$PILOTHOUSE" wait "$SESSION" --until busy 2>/dev/null
is "$?" 2 "wait --until busy is a usage error"

# sessions.
"$PILOTHOUSE" sessions >"$T/list"
is "$?" 0 "sessions exits 0"
grep -q "^$SESSION " "$T/list"
ok $? "sessions lists the session"
"$PILOTHOUSE" sessions --json --status idle,running >"$T/json"
is "$?" 0 "sessions --json --status"
grep -q "^{\"type\":\"session\",\"id\":\"$SESSION\"" "$T/json"
ok $? "--json: the session's JSON as received"
is "$(fs_requests 'GET /v1/sessions?limit=100&statuses%5B%5D=idle&statuses%5B%5D=running ')" 1 \
    "--status: statuses[] for each state"
"$PILOTHOUSE" sessions --status sleeping 2>/dev/null
is "$?" 2 "an unknown status is a usage error"
done_testing
