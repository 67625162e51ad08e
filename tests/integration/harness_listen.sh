#!/bin/sh
# tests/integration/harness_listen.sh -- where the local harness listens:
# never a non-loopback address; the unix socket sits in a 0700 directory;
# TCP needs the key (x-api-key or Authorization: Bearer), from a key file
# the harness creates 0600 when it is missing.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/harness_lib.sh"

for a in 0.0.0.0:0 192.168.1.5:0 '[::]:0' 10.0.0.1:8080; do
	"$PILOTHOUSE" serve --listen "$a" --key-file "$T/key" >"$T/o" 2>"$T/e"
	rc=$?
	[ $rc -ne 0 ] && grep -q 'not a loopback address' "$T/e"
	ok $? "--listen $a is refused (exit $rc)"
done
[ ! -e "$T/key" ]
ok $? "a refused listener creates no key file"

"$PILOTHOUSE" serve --scripted-fast --listen 127.0.0.1:0 --key-file "$T/key" \
    >"$T/out" 2>"$T/err" &
echo $! >"$T/pid"
at_exit 'kill $(cat "$T/pid") 2>/dev/null'
port_of() { sed -n 's|^listening http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/out"; }
wait_for 10 sh -c "grep -q '^listening http://127.0.0.1:' '$T/out'"
ok $? "serve --listen 127.0.0.1:0 starts"
P=$(port_of)
U=http://127.0.0.1:$P/v1/agents

is "$(stat -c %a "$T/key")" 600 "the key file is created 0600"
is "$(stat -c %a "$XDG_RUNTIME_DIR/pilothouse")" 700 \
    "the socket's directory is 0700"
[ -S "$S" ]
ok $? "the unix socket is there too"
KEY=$(cat "$T/key")
[ ${#KEY} -ge 32 ]
ok $? "the key is long and random (${#KEY} characters)"

code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
is "$(code "$U")" 401 "TCP without a key: 401"
is "$(code -H "x-api-key: wrong" "$U")" 401 "a wrong key: 401"
is "$(code -H "x-api-key: ${KEY}x" "$U")" 401 "the key with a byte more: 401"
is "$(code -H "x-api-key: $KEY" "$U")" 200 "x-api-key: 200"
is "$(code -H "Authorization: Bearer $KEY" "$U")" 200 "Bearer: 200"
is "$(curl -s "$U" | jq -r .error.type)" authentication_error \
    "the refusal is the API's error envelope"
is "$(code --unix-socket "$S" http://h/v1/agents)" 200 \
    "the unix socket needs no key (its directory is the authentication)"
! grep -q "$KEY" "$T/out" "$T/err"
ok $? "the key never reaches the harness's output"
done_testing
