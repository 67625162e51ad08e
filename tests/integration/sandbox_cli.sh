#!/bin/sh
# tests/integration/sandbox_cli.sh -- pilothouse sandbox exec|check and
# pilothouse tool as an operator runs them: exit statuses, failing closed
# with the cause and the fix, signals, and the JSON a tool prints.
. "$top_srcdir/tests/lib.sh"
P=$PILOTHOUSE
"$P" sandbox check >/dev/null 2>&1 || skip_all "the sandbox cannot run here"
chmod 711 "$T"
W=$T/ws

out=$("$P" sandbox check 2>&1)
ok $? "sandbox check succeeds"
case $out in *"probe:       ok"*"") ok 0 "it proved a sandbox starts" ;;
*) ok 1 "it proved a sandbox starts"; diag "$out" ;; esac

out=$("$P" sandbox exec --workspace "$W" -- 'echo hello; pwd; exit 7' 2>&1)
is "$?" 7 "exec exits with the command's status"
is "$out" "hello
/workspace" "exec runs in /workspace"
out=$("$P" sandbox exec --workspace "$W" -- printf '%s|' "a b" "c'd" 2>&1)
is "$out" "a b|c'd|" "several words are quoted, not re-split"
out=$("$P" sandbox exec --workspace "$W" -- 'echo err >&2' 2>/dev/null)
is "$out" "" "stderr stays stderr"
"$P" sandbox exec --workspace "$W" --timeout 0.5 -- sleep 10 2>"$T/err"
is "$?" 124 "a timeout exits 124"
grep -q "timed out after 0.5 s" "$T/err"
ok $? "and says so"
"$P" sandbox exec --workspace "$W" -- yes >/dev/null 2>"$T/err"
is "$?" 125 "the output cap exits 125"

# Fail closed: no bwrap, or one that cannot make namespaces.
"$P" sandbox exec --workspace "$W" --bwrap /nonexistent/bwrap -- true \
    2>"$T/err"
is "$?" 5 "a missing bwrap fails (status 5)"
grep -q "apt-get install bubblewrap" "$T/err"
ok $? "and says how to fix it"
cat >"$T/fakebwrap" <<'EOS'
#!/bin/sh
echo "bwrap: No permissions to create new namespace, likely because the kernel does not allow non-privileged user namespaces." >&2
exit 1
EOS
chmod 755 "$T/fakebwrap"
"$P" sandbox exec --workspace "$W" --bwrap "$T/fakebwrap" -- true 2>"$T/err"
is "$?" 5 "a bwrap that cannot make namespaces fails (status 5)"
grep -q "unprivileged user namespaces are disabled" "$T/err"
ok $? "and the cause is named"
"$P" sandbox check --bwrap "$T/fakebwrap" >/dev/null 2>"$T/err"
is "$?" 5 "sandbox check fails closed too"
"$P" sandbox exec --workspace "$W" --unsafe-no-sandbox -- 'echo $HOME' \
    >"$T/out" 2>"$T/err"
grep -q "no isolation" "$T/err"
ok $? "--unsafe-no-sandbox warns"
is "$(cat "$T/out")" "$(cd "$W" && pwd -P)" "and runs on the host"

# SIGINT: the command and everything it started go at once.
tok=ph-cli-$$
"$P" sandbox exec --workspace "$W" -- "touch started; exec -a $tok sleep 100" &
pid=$!
wait_for 10 test -e "$W/started"
ok $? "the command started"
kill -INT $pid
wait $pid
is "$?" 130 "SIGINT exits 130"
gone() { ! grep -qs "$tok" /proc/[0-9]*/cmdline; }
wait_for 2 gone
ok $? "nothing of it is left"

# pilothouse tool
out=$("$P" tool --workspace "$W" write '{"file_path":"a.txt","content":"hi\n"}')
is "$out" '{"content":[{"type":"text","text":"wrote 3 bytes to a.txt"}],"is_error":false}' \
    "tool prints the result as JSON"
out=$("$P" tool --workspace "$W" read '{"file_path":"missing"}')
is "$?" 1 "an error result exits 1"
is "$out" '{"content":[{"type":"text","text":"read: missing: no such file or directory"}],"is_error":true}' \
    "with is_error set"
out=$("$P" tool --workspace "$W" bash '{"command":"cat a.txt"}')
is "$out" '{"content":[{"type":"text","text":"hi"}],"is_error":false}' \
    "bash sees what write wrote"
"$P" tool --workspace "$W" read 'not json' 2>/dev/null
is "$?" 2 "bad JSON is a usage error"
"$P" tool --workspace "$W" nope '{}' 2>/dev/null
is "$?" 2 "an unknown tool is a usage error"

# Every option in the help is in the manual page.
for o in $("$P" sandbox --help; "$P" tool --help) ; do
	case $o in --*) grep -q -- "Fl -${o#--}" "$top_srcdir/doc/pilothouse.1" ||
	    { ok 1 "$o is documented"; continue; } ;; esac
done
ok 0 "every option in --help is in pilothouse(1)"
done_testing
