#!/bin/sh
# export_import.sh -- pilothouse import and export against the real cache
# file: lossless round trips of the fixtures, page objects, queued echoes,
# idempotence, and clear errors for bad input and uncached sessions.
. "$top_srcdir/tests/lib.sh"

F="$top_srcdir/tests/data/fixtures"
PH="$PILOTHOUSE"

# export of a session nobody cached, and no API to fetch it from
out=$(ANTHROPIC_BASE_URL=http://127.0.0.1:1 "$PH" export sesn_nothere 2>&1)
is "$?" 4 "export of an uncached session, API unreachable, exits 4"
case $out in *"cannot reach"*) ok 0 "and says so";; *) ok 1 "and says so: $out";; esac
"$PH" export --format xml sesn_x >/dev/null 2>&1
is "$?" 2 "an unknown format is a usage error"

# JSON lines: export gives the file back byte for byte
grep -v '"type":"event_' "$F/events-catalog.jsonl" >"$T/catalog.jsonl"
out=$("$PH" import --session sesn_cat "$T/catalog.jsonl"); st=$?
is "$st" 0 "import the catalogue"
is "$out" "imported 35 events into sesn_cat (35 new)" "it reports what it did"
"$PH" export sesn_cat >"$T/catalog.out"
cmp -s "$T/catalog.jsonl" "$T/catalog.out"
ok $? "export of the catalogue is byte-identical to what was imported"
mode=$(stat -c %a "$XDG_CACHE_HOME/pilothouse/cache.db")
is "$mode" 600 "the cache file is 0600"
is "$(stat -c %a "$XDG_CACHE_HOME/pilothouse")" 700 "its directory is 0700"
out=$("$PH" import --session sesn_cat "$T/catalog.jsonl")
is "$out" "imported 35 events into sesn_cat (0 new)" "importing twice adds nothing"
"$PH" export sesn_cat | cmp -s - "$T/catalog.jsonl"
ok $? "and the export is unchanged"

cp "$F/user-events-echo.jsonl" "$T/sesn_011Cecho0000000000000000.jsonl"
out=$("$PH" import "$T/sesn_011Cecho0000000000000000.jsonl")
is "$out" "imported 7 events into sesn_011Cecho0000000000000000 (7 new)" \
    "a file named after a session gives the id"
"$PH" export sesn_011Cecho0000000000000000 | cmp -s - "$F/user-events-echo.jsonl"
ok $? "client event echoes round-trip"

# Page objects: pretty-printed, two pages, one session
"$PH" import --session sesn_pages "$F/events-page.json" "$F/events-page-2.json" >/dev/null
is "$?" 0 "import two events-list pages"
"$PH" export sesn_pages >"$T/pages.out"
is "$(wc -l <"$T/pages.out" | tr -d ' ')" 16 "16 events, one per line"
# What the stream sent for the same events, compact: the processed copies.
sed -n 's/^data: //p' "$F/stream.sse" | grep '"id":' | \
    grep -v '"processed_at":null' >"$T/stream-processed.jsonl"
cmp -s "$T/pages.out" "$T/stream-processed.jsonl"
ok $? "the pages export as the compact events the stream sent, in order"
"$PH" import --session sesn_again "$T/pages.out" >/dev/null
"$PH" export sesn_again | cmp -s - "$T/pages.out"
ok $? "export, import, export is byte-identical"

# The raw stream, queued echoes and all: the processed copies win
sed -n 's/^data: //p' "$F/stream.sse" | grep '"id":' >"$T/stream.jsonl"
out=$("$PH" import --session sesn_stream "$T/stream.jsonl")
is "$out" "imported 18 events into sesn_stream (16 new)" \
    "18 stream events are 16 once the echoes are resolved"
"$PH" export sesn_stream | cmp -s - "$T/stream-processed.jsonl"
ok $? "in the history's order"

# Bad input imports nothing and says where
printf '%s\n' "$(head -n 1 "$F/user-events-echo.jsonl")" '{"type":"x",' \
    >"$T/bad.jsonl"
out=$("$PH" import --session sesn_bad "$T/bad.jsonl" 2>&1); st=$?
is "$st" 5 "a bad line fails the import"
case $out in *"bad.jsonl: line 2: invalid JSON"*) ok 0 "naming the line";;
    *) ok 1 "naming the line: $out";; esac
ANTHROPIC_BASE_URL=http://127.0.0.1:1 "$PH" export sesn_bad >/dev/null 2>&1
is "$?" 4 "and nothing was imported (export looked for it at the API)"
out=$("$PH" import --session sesn_bad "$F/events-catalog.jsonl" 2>&1)
is "$?" 5 "a preview (no id) cannot be imported"
case $out in *"has no id"*) ok 0 "and the error says why";;
    *) ok 1 "and the error says why: $out";; esac
"$PH" import --session sesn_bad "$T/missing.jsonl" >/dev/null 2>&1
is "$?" 5 "a missing file"
"$PH" import >/dev/null 2>&1
is "$?" 2 "no file is a usage error"

done_testing
