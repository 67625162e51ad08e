#!/bin/sh
# tests/integration/cli_config.sh -- where the API is: the configuration
# file, contexts, key files, the environment and --api-url, checked by
# what reaches the fault server; and the local harness fallback.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/fault.sh"

fs_start --events 3 --history 3
url=$ANTHROPIC_BASE_URL
unset ANTHROPIC_BASE_URL
mkdir -p "$XDG_CONFIG_HOME/pilothouse"
conf=$XDG_CONFIG_HOME/pilothouse/config
printf 'sk-from-api-file\n' >"$XDG_CONFIG_HOME/pilothouse/api.key"
printf 'sk-from-ctx-file\n' >"$T/ctx.key"
chmod 600 "$XDG_CONFIG_HOME/pilothouse/api.key" "$T/ctx.key"
cat >"$conf" <<EOT
# a comment
[api]
url = $url
key_file = api.key
[context.other]
url = http://127.0.0.1:1
key_file = $T/ctx.key
EOT

"$PILOTHOUSE" sessions >/dev/null
is "$?" 0 "[api] url and key_file"
is "$(fs_requests "x-api-key=sk-from-api-file")" 1 "the key from the file"
ANTHROPIC_API_KEY=sk-from-env "$PILOTHOUSE" sessions >/dev/null
is "$(fs_requests "x-api-key=sk-from-env")" 1 "ANTHROPIC_API_KEY beats [api]"
"$PILOTHOUSE" --context other --api-url "$url" sessions >/dev/null
is "$(fs_requests "x-api-key=sk-from-ctx-file")" 1 \
    "--context picks the key; --api-url beats the context's url"
"$PILOTHOUSE" --context other sessions >/dev/null 2>"$T/err"
is "$?" 4 "the context's own url (nothing listens there): exit 4"
"$PILOTHOUSE" --context nope sessions 2>"$T/err"
is "$?" 2 "an unknown context: exit 2"
grep -q 'no context "nope"' "$T/err"
ok $? "named in the message"
chmod 644 "$T/ctx.key"
"$PILOTHOUSE" --context other sessions 2>"$T/err"
is "$?" 2 "a key file others can read is refused"
grep -q "chmod 600" "$T/err"
ok $? "with the fix in the message"
printf '[api]\nurl = %s\ncolour = red\n' "$url" >"$T/bad.conf"
"$PILOTHOUSE" --config "$T/bad.conf" sessions 2>"$T/err"
is "$?" 5 "an unknown key in --config: exit 5"
grep -q 'unknown key "colour" in \[api\]' "$T/err"
ok $? "named in the message"
"$PILOTHOUSE" --config "$T/missing.conf" sessions 2>/dev/null
is "$?" 5 "a missing --config file: exit 5"
ANTHROPIC_BASE_URL=http://example.com "$PILOTHOUSE" sessions 2>"$T/err"
is "$?" 2 "plain http to a remote host is refused"
grep -q "refusing plain http" "$T/err"
ok $? "with the reason"

# No URL and no key anywhere: the local harness, started on demand (and
# stopped at the end).
rm -f "$conf"
at_exit '"$PILOTHOUSE" serve --stop >/dev/null 2>&1' 
"$PILOTHOUSE" --log "$T/log" -vv sessions >/dev/null 2>"$T/err"
st=$?
if "$PILOTHOUSE" serve --help >/dev/null 2>&1; then
	is "$st" 0 "no key: the local harness was started and answered"
	test -S "$XDG_RUNTIME_DIR/pilothouse/harness.sock"
	ok $? "on its socket under XDG_RUNTIME_DIR"
else
	is "$st" 4 "no key and no harness in this build: exit 4"
	grep -q "cannot start the local harness" "$T/err"
	ok $? "saying the harness could not be started"
fi
grep -q "harness.sock" "$T/log"
ok $? "the log names the harness socket"
! grep -q "sk-from" "$T/log"
ok $? "no key in the log"
done_testing
