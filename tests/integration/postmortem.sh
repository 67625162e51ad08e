#!/bin/sh
# postmortem.sh -- export --format markdown and files on the generated
# realistic session: a lossless round trip, the report's numbers equal
# the facts the generator computed on its own, files reproduces the
# known final contents, and no hostile byte reaches any output.
. "$top_srcdir/tests/lib.sh"

command -v python3 >/dev/null 2>&1 || skip_all "python3 is not installed"
PH="$PILOTHOUSE"
G="$T/gen"
S=sesn_011CpostmortemTest000001
python3 "$top_srcdir/tests/data/session/gen-session.py" "$G" ||
    { echo "Bail out! gen-session.py failed"; exit 99; }
fact() { awk -v k="$1" '$1 == k { print $2 }' "$G/expected.txt"; }

"$PH" import --session $S "$G/session.jsonl" >/dev/null
is "$?" 0 "import the generated session"
"$PH" export $S >"$T/out.jsonl"
cmp -s "$T/out.jsonl" "$G/session.jsonl"
ok $? "export --format jsonl gives it back byte for byte"

"$PH" export --format markdown $S >"$T/report.md"
is "$?" 0 "export --format markdown succeeds"
row() { sed -n "s/^| $1 | \\(.*\\) |\$/\\1/p" "$T/report.md"; }
is "$(row 'Model requests')" "$(fact model_requests)" "model requests"
is "$(row 'Model request errors')" "$(fact model_request_errors)" \
    "model request errors"
is "$(row 'Input tokens')" "$(fact input_tokens)" "input tokens"
is "$(row 'Output tokens')" "$(fact output_tokens)" "output tokens"
is "$(row 'Cache read tokens')" "$(fact cache_read_tokens)" "cache read tokens"
is "$(row 'Cache creation tokens')" "$(fact cache_creation_tokens)" \
    "cache creation tokens"
c=$(fact cost_cents)
is "$(row Cost)" "\$$((c / 100)).$(printf %02d $((c % 100)))" "cost"
is "$(row 'Tool uses')" "$(fact tool_uses)" "tool uses"
is "$(row 'Tool errors')" "$(fact tool_errors)" "tool errors"
is "$(row 'Confirmations allowed')" "$(fact allowed)" "allowed"
is "$(row 'Confirmations denied')" "$(fact denied)" "denied"
is "$(row Interrupts)" "$(fact interrupts)" "interrupts"
is "$(row Errors)" "$(fact errors)" "errors"
is "$(row Retries)" "$(fact retries)" "retries"
is "$(row Threads)" "$(fact threads)" "threads"
awk '$1 == "tool" { print $2, $3, $4 }' "$G/expected.txt" | sort \
    >"$T/tools.want"
sed -n '/^| Tool | Uses/,/^$/p' "$T/report.md" | sed 1,2d |
    sed 's/\\_/_/g' | awk -F' \\| ' 'NF == 3 { sub(/^\| /, "", $1);
    sub(/ \|$/, "", $3); print $1, $2, $3 }' | sort >"$T/tools.got"
cmp -s "$T/tools.want" "$T/tools.got"
ok $? "tool uses and errors by tool"
is "$(grep -c '^- Active time: '"$(fact active_seconds)"' s$' "$T/report.md")" \
    1 "active time"
is "$(grep -c '^- Final state: '"$(fact status)"'$' "$T/report.md")" 1 \
    "final state"
is "$(grep -c '^- Stop reason: '"$(fact stop_reason)"'$' "$T/report.md")" 1 \
    "stop reason"
is "$(grep -c '^[0-9]*\. \*\*' "$T/report.md")" "$(fact user_turns)" \
    "one timeline entry per user turn"
n=0; bad=0
for i in $(seq 1 "$(fact denied)"); do
	grep -q "^- sevt\\\\_[^:]*: denied \\\\#$i: not on production" \
	    "$T/report.md" || bad=$((bad + 1))
done
# Deny messages holding a NUL are not read by the reducer (see report).
nul=$(grep -c '^deny .*u0000' "$G/expected.txt")
is "$bad" "$nul" "every deny message is listed (but those with a NUL)"

# files: every final content, byte for byte
awk '$1 == "file" { sub(/^file /, ""); print }' "$G/expected.txt" |
    while IFS= read -r p; do
	"$PH" files $S "$p" >"$T/file" || echo "files failed: $p"
	cmp -s "$T/file" "$G/files/$p" || echo "differs: $p"
done >"$T/files.err"
is "$(cat "$T/files.err")" "" "files reproduces every known final content"
"$PH" files $S >"$T/list"
is "$(wc -l <"$T/list" | tr -d ' ')" "$(awk '$1 == "file"' "$G/expected.txt" |
    wc -l | tr -d ' ')" "files lists every file touched"
"$PH" files --diff $S src/main.c >"$T/diff"
grep -q '^+++ src/main.c' "$T/diff"
ok $? "files --diff gives a unified net diff"
"$PH" files $S no/such/file 2>"$T/err"
is "$?" 5 "an untouched path is an error"
grep -q 'not touched' "$T/err"
ok $? "which says so"

# query: the documented views over the same session
q() { "$PH" query --json "$1" | jq -r '.[0].v'; }
is "$(q "select count(*) v from q_usage where session_id = '$S'")" \
    "$(fact model_requests)" "q_usage has one row per model request"
is "$(q "select sum(input_tokens) v from q_usage")" "$(fact input_tokens)" \
    "q_usage sums the input tokens"
is "$(q "select sum(cache_read_tokens) v from q_usage")" \
    "$(fact cache_read_tokens)" "and the cache read tokens"
is "$(q "select count(*) v from q_tool_calls")" "$(fact tool_uses)" \
    "q_tool_calls has one row per tool use"
is "$(q "select count(*) v from q_tool_calls where outcome = 'error'")" \
    "$(fact tool_errors)" "its errors are the tool errors"
is "$(q "select count(*) v from q_tool_calls where outcome = 'denied'")" \
    "$(fact denied)" "its denials are the denied confirmations"
is "$(q "select count(*) v from q_tool_calls where outcome = 'ok'
    and duration_ms > 0")" \
    "$(($(fact tool_uses) - $(fact tool_errors) - $(fact denied)))" \
    "every other call succeeded, with a duration"
is "$(q "select count(*) v from q_confirmations where result = 'allow'")" \
    "$(fact allowed)" "q_confirmations has the allowed ones"
is "$(q "select count(*) v from q_confirmations where tool = 'bash'")" \
    "$(($(fact allowed) + $(fact denied)))" "each with its tool"
is "$(q "select events v from q_sessions where id = '$S'")" "$(fact events)" \
    "q_sessions counts the events"
is "$(q "select count(distinct thread_id) v from q_events")" \
    "$(fact threads)" "q_events carries the thread ids"
is "$(q "select event_id v from q_events order by seq desc limit 1")" \
    "$(fact last_event)" "q_events in log order"
"$PH" query --limit 5 "select type from q_events" >"$T/q5"
is "$(sed -n '3,$p' "$T/q5" | grep -c '^[a-z]')" 5 "--limit caps the rows"
grep -q 'more not shown' "$T/q5"
ok $? "and says there were more"
for sql in "delete from events" "insert into audit (time_us, action) \
    values (1, 'x')" "update sessions set title = 'x'" "drop view q_usage" \
    "create table t (x)" "attach '$T/x.db' as x" "pragma user_version = 9" \
    "select 1; delete from events"; do
	"$PH" query "$sql" >/dev/null 2>"$T/err"
	st=$?
	is "$st" 5 "refused: $sql"
done
grep -q 'one statement' "$T/err"
ok $? "a second statement is refused with a clear error"
"$PH" query "delete from events" 2>&1 | grep -q 'read-only'
ok $? "a write is refused as read-only"
is "$(q "select count(*) v from q_events")" "$(fact events)" \
    "and nothing was deleted"
"$PH" query "select deny_message, json from q_events e join
    q_confirmations c using (event_id)" >"$T/qtable"
"$PH" query --limit 100000 "select json from q_events" >"$T/qall"

# No hostile byte in any output: ESC, BEL, NUL, C1 CSI, bidi overrides
for f in "$T/report.md" "$T/list" "$T/diff" "$T/qtable" "$T/qall"; do
	LC_ALL=C grep -c -P '\x1b|\x07|\x00|\xc2\x9b|\xe2\x80[\xaa-\xae]|\xe2\x81[\xa6-\xa9]' \
	    "$f" >"$T/hits"
	is "$(cat "$T/hits")" 0 "no raw control or bidi bytes in $(basename "$f")"
done
grep -v '^```\(diff\)\{0,1\}$' "$T/report.md" |
    grep -q '^```\|^#* not a heading\|<script>'
is "$?" 1 "no injected fence, heading or HTML in the report"

done_testing
