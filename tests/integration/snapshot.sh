#!/bin/sh
# tests/integration/snapshot.sh -- "pilothouse snapshot" prints the
# console's screen from the cache, with no terminal and no network.
. "$top_srcdir/tests/lib.sh"

"$top_builddir/tests/integration/console_host_test" --populate ||
    skip_all "could not fill a cache"

out=$("$PILOTHOUSE" snapshot --size 100x30)
ok $? "snapshot runs"
is "$(printf '%s\n' "$out" | wc -l)" 30 "30 rows"
case "$out" in
*"Fix the unit CI job"*"needs approval"*) ok 0 "the fleet is shown" ;;
*) ok 1 "the fleet is shown"; printf '%s\n' "$out" | sed 's/^/# /' ;;
esac
out=$("$PILOTHOUSE" snapshot --session sesn_011CZkZAtmR3yMPDzynErfc2 \
    --keys "k k C-o")
ok $? "a session with keys"
case "$out" in
*"Rename util.h"*"model_overloaded_error"*) ok 0 "its timeline" ;;
*) ok 1 "its timeline"; printf '%s\n' "$out" | sed 's/^/# /' ;;
esac
printf '%s' "$out" | grep -q "$(printf '\033')"
ok $((! $?)) "no escape character in the output"
printf '%s' "$out" | grep -qF "$(printf '\342\200\256')"
ok $((! $?)) "no bidi override in the output"
out=$("$PILOTHOUSE" snapshot --styles --size 80x24)
is "$(printf '%s\n' "$out" | grep -c '^.*$')" 48 "--styles: a style row each"
"$PILOTHOUSE" snapshot --size 10 >/dev/null 2>"$T/err"
is $? 2 "a bad size is a usage error"
"$PILOTHOUSE" snapshot --keys "Hyper-q" >/dev/null 2>"$T/err"
is $? 2 "a bad key name is a usage error"
grep -q "Hyper-q" "$T/err"
ok $? "and says which"
done_testing
