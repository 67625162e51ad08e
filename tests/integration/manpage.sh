#!/bin/sh
# tests/integration/manpage.sh -- pilothouse(1) agrees with the program:
# every command of "pilothouse --help" has an entry under COMMANDS, every
# option a command's --help lists is in that command's entry, every global
# option is under GLOBAL OPTIONS, every environment variable the sources
# read is under ENVIRONMENT, every exit status is listed, and the page is
# clean under mandoc -Tlint.
. "$top_srcdir/tests/lib.sh"

man="$top_srcdir/doc/pilothouse.1"

# The lines of section NAME (from ".Sh NAME" to the next ".Sh").
section() {
	awk -v s="$1" '/^\.Sh /{ on = ($0 == ".Sh " s); next } on' "$man"
}

if command -v mandoc >/dev/null 2>&1; then
	mandoc -Tlint -W warning "$man" >"$T/lint" 2>&1
	ok $? "mandoc -Tlint finds nothing"
	[ -s "$T/lint" ] && sed 's/^/#   /' "$T/lint" | head -20
else
	ok 0 "# SKIP mandoc is not installed"
fi

cmds=$("$PILOTHOUSE" --help | awk '/^Commands:/{ on = 1; next }
    on && /^  [a-z]/{ print $1 } on && /^$/{ on = 0 }')
[ -n "$cmds" ]
ok $? "pilothouse --help lists commands"
section COMMANDS >"$T/commands"
for c in $cmds; do
	# The entry: from ".It Cm c" to the next command's ".It Cm".
	awk -v c="$c" -v all="$(echo $cmds)" '
	    BEGIN { n = split(all, a, " "); for (i = 1; i <= n; i++) isc[a[i]] = 1 }
	    xo && /^\.Cm / { split($0, w, " "); if (isc[w[2]]) on = (w[2] == c) }
	    { xo = ($0 == ".It Xo") }
	    /^\.It Cm / { split($0, w, " "); if (isc[w[3]]) on = (w[3] == c) }
	    on' "$T/commands" >"$T/entry"
	if [ ! -s "$T/entry" ]; then
		ok 1 "$c has an entry under COMMANDS"
		continue
	fi
	missing=
	for o in $("$PILOTHOUSE" "$c" --help | grep -oE '(^|[ ,[])--[a-z][a-z0-9-]*' |
	    sed 's/^[ ,[]*//' | sort -u); do
		grep -q -- "Fl -${o#--}" "$T/entry" || missing="$missing $o"
	done
	is "$missing" "" "$c: every option of --help is in its entry"
done

section "GLOBAL OPTIONS" >"$T/global"
missing=
for o in $("$PILOTHOUSE" --help | awk '/^Global options:/{ on = 1; next }
    /^Commands:/{ on = 0 } on' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u); do
	grep -q -- "Fl -${o#--}" "$T/global" || missing="$missing $o"
done
is "$missing" "" "every global option is under GLOBAL OPTIONS"

section ENVIRONMENT >"$T/env"
missing=
for v in $(grep -rhoE 'getenv\("[A-Z_]+"\)' "$top_srcdir/src" |
    sed 's/getenv("//; s/")//' | sort -u); do
	grep -q "$v" "$T/env" || missing="$missing $v"
done
is "$missing" "" "every environment variable read is under ENVIRONMENT"

section "EXIT STATUS" >"$T/exit"
missing=
for s in 0 1 2 3 4 5 70 130; do
	grep -q "^\.It $s\$" "$T/exit" || missing="$missing $s"
done
is "$missing" "" "every exit status is listed"
done_testing
