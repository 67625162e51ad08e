#!/bin/sh
# tests/integration/http2.sh -- the client over HTTP/2 with TLS: nghttpx
# (a test certificate, ALPN h2) in front of the local harness on TCP.
# A tail of three sessions sends every stream and history page over one
# connection, multiplexed; SSL_CERT_FILE is what makes the test
# certificate trusted, and without it the connection is refused with
# the reason.
. "$top_srcdir/tests/lib.sh"
. "$top_srcdir/tests/integration/harness_lib.sh"

command -v nghttpx >/dev/null 2>&1 ||
    skip_all "nghttpx not found (Debian: nghttp2-proxy)"
command -v openssl >/dev/null 2>&1 || skip_all "openssl not found"

openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 \
    -addext subjectAltName=IP:127.0.0.1 -keyout "$T/tls.key" \
    -out "$T/tls.crt" >/dev/null 2>&1
ok $? "a test certificate for 127.0.0.1"

harness_start --listen 127.0.0.1:0 --key-file "$T/key"
HP=$(sed -n 's|^listening http://127.0.0.1:\([0-9]*\).*|\1|p' "$T/out")
NP=$("$top_builddir/tests/integration/brain_standin" -P)
nghttpx --conf=/dev/null --workers=1 --frontend="127.0.0.1,$NP" \
    --backend="127.0.0.1,$HP" --accesslog-file="$T/access" \
    --accesslog-format='$remote_port $alpn $method $path $status' \
    "$T/tls.key" "$T/tls.crt" >"$T/nghttpx.log" 2>&1 &
echo $! >"$T/npid"
at_exit 'kill $(cat "$T/npid") 2>/dev/null'
wait_for 10 curl -sf --cacert "$T/tls.crt" -o /dev/null \
    -H "x-api-key: $(cat "$T/key")" "https://127.0.0.1:$NP/v1/agents"
ok $? "nghttpx serves the harness over TLS"

AG=$(c http://h/v1/agents -d '{"name":"h2","model":"scripted:echo"}' |
    jq -r .id)
EN=$(c http://h/v1/environments -d '{"name":"h2"}' | jq -r .id)
for i in 1 2 3; do
	c http://h/v1/sessions \
	    -d "{\"agent\":\"$AG\",\"environment_id\":\"$EN\"}" | jq -r .id
done >"$T/sessions"
is "$(grep -c '^sesn_' "$T/sessions")" 3 "three sessions"

export ANTHROPIC_API_KEY="$(cat "$T/key")"
U="https://127.0.0.1:$NP"

# Without the certificate's authority the connection is refused.
env -u SSL_CERT_FILE "$PILOTHOUSE" --api-url "$U" sessions >/dev/null \
    2>"$T/untrusted"
rc=$?
[ $rc -ne 0 ] && grep -q "certificate was not accepted (set SSL_CERT_FILE" \
    "$T/untrusted"
ok $? "an untrusted certificate is refused, saying what to do (exit $rc)"

# With it: a tail of the three sessions, over one HTTP/2 connection.
: >"$T/access"
SSL_CERT_FILE="$T/tls.crt" "$PILOTHOUSE" --api-url "$U" tail \
    $(cat "$T/sessions") >"$T/tail" 2>"$T/tail.err" &
echo $! >"$T/tpid"
at_exit 'kill $(cat "$T/tpid") 2>/dev/null'
wait_for 10 sh -c "[ \"\$(grep -c ' GET /v1/sessions/sesn_[^/]*/events?' \
    '$T/access')\" -ge 3 ]"
ok $? "the three histories are read"
# A stream is logged when it ends: end them all.
kill "$(cat "$T/tpid")"
wait_for 10 sh -c "[ \"\$(grep -c '/events/stream ' '$T/access')\" -ge 3 ]"
ok $? "the three streams were open"
is "$(awk '{ print $2 }' "$T/access" | sort -u)" h2 \
    "every request went over HTTP/2"
is "$(awk '{ print $1 }' "$T/access" | sort -u | wc -l | tr -d ' ')" 1 \
    "all $(wc -l <"$T/access" | tr -d ' ') requests shared one connection"
! grep -q "$ANTHROPIC_API_KEY" "$T/tail" "$T/tail.err" "$T/access"
ok $? "the key is not in the output or the proxy's log"
done_testing
