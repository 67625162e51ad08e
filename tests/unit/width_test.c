/* ISC licence: see COPYING.  Tests for ui/width: clusters never break. */

#include "config.h"

#include <locale.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "ui/width.h"
#include "tap.h"

/* The first cluster of s. */
static struct width_cluster
first(const char *s)
{
	struct width_cluster	c;

	(void)width_next(s, strlen(s), &c);
	return c;
}

/* Every code point measures as the C library's wcwidth() says. */
static void
test_against_libc(void)
{
	int	bad = 0, w, mine;

	if (setlocale(LC_CTYPE, "C.UTF-8") == NULL) {
		tap_skip(1, "no C.UTF-8 locale");
		return;
	}
	for (uint32_t cp = 0x20; cp <= 0x10ffff; cp++) {
		if (cp >= 0xd800 && cp <= 0xdfff)
			continue;
		w = wcwidth((wchar_t)cp);
		mine = width_cp(cp);
		/* The table is stricter: controls and separators invalid. */
		if (mine == -1 && w <= 1)
			continue;
		if (w != mine && bad++ < 5)
			diag("U+%04X: ours %d, libc %d", cp, mine, w);
	}
	ok(bad == 0, "width_cp agrees with wcwidth for all code points "
	    "(%d differ)", bad);
	setlocale(LC_CTYPE, "C");
}

int
main(void)
{
	struct width_cluster	c;
	char			zalgo[4096];
	size_t			n;
	int			cols;

	c = first("a");
	is_int(c.width, 1, "ascii is one column");
	is_int(c.len, 1, "ascii is one byte");
	c = first("\xe4\xb8\xad\xe6\x96\x87");	/* 中文 */
	is_int(c.width, 2, "CJK is two columns");
	is_int(c.len, 3, "CJK cluster is one character");
	c = first("e\xcc\x81x");		/* e + combining acute */
	is_int(c.width, 1, "e + combining mark is one column");
	is_int(c.len, 3, "the mark joins the cluster");
	is_str(c.disp, "e\xcc\x81", "the mark is kept for display");
	/* 👨‍👩‍👧 : man ZWJ woman ZWJ girl */
	c = first("\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d"
	    "\xf0\x9f\x91\xa7!");
	is_int(c.len, 18, "a ZWJ family is one cluster");
	is_int(c.width, 2, "and two columns");
	is_str(c.disp, "\xf0\x9f\x91\xa8", "shown as its first member");
	c = first("\xf0\x9f\x91\x8d\xf0\x9f\x8f\xbd");	/* 👍🏽 */
	is_int(c.len, 8, "skin tone joins the emoji");
	is_int(c.width, 2, "thumbs up with skin tone is two columns");
	c = first("\xe2\x9d\xa4\xef\xb8\x8f");		/* ❤️ */
	is_int(c.len, 6, "VS16 joins");
	is_int(c.width, 1, "text-default heart stays one column");
	is_str(c.disp, "\xe2\x9d\xa4", "without the variation selector");
	c = first("1\xef\xb8\x8f\xe2\x83\xa3");		/* keycap 1 */
	is_int(c.len, 7, "keycap sequence is one cluster");
	is_str(c.disp, "1", "shown as its digit");
	/* The flag of France, then a lone D. */
	c = first("\xf0\x9f\x87\xab\xf0\x9f\x87\xb7\xf0\x9f\x87\xa9");
	is_int(c.len, 8, "a flag is two regional indicators");
	is_int(c.width, 2, "a flag is two columns");
	c = first("\xcc\x81");
	is_int(c.width, 1, "a lone mark gets a base");
	ok(strncmp(c.disp, "\xe2\x97\x8c", 3) == 0, "the dotted circle");
	c = first("\xe2\x80\x8b" "a");			/* ZWSP */
	is_int(c.width, 0, "ZWSP takes no column");
	is_int(c.displen, 0, "and is not drawn");
	c = first("\xf4\x8f\xbf\xbf");			/* U+10FFFF */
	is_int(c.width, 1, "a noncharacter is one column");
	ok(c.subst, "shown as a substitute");
	c = first("\xff" "a");
	is_int(c.len, 1, "an invalid byte is skipped alone");
	ok(c.subst && strcmp(c.disp, "\xef\xbf\xbd") == 0, "as U+FFFD");
	c = first("\x1b[2J");
	ok(c.subst && c.len == 1, "ESC never reaches a display form");

	/* Zalgo: one cluster, bounded display. */
	zalgo[0] = 'Z';
	for (n = 1; n + 2 < sizeof zalgo; n += 2)
		memcpy(zalgo + n, "\xcc\x81", 2);
	zalgo[n] = '\0';
	c = first(zalgo);
	is_int(c.len, n, "a thousand marks are one cluster");
	ok(c.displen <= WIDTH_DISPLAY_MAX, "display form is bounded");
	is_int(c.width, 1, "and one column");

	is_int(width_str("a\xe4\xb8\xad" "b", 5), 4, "width_str sums");
	n = width_fit("ab\xe4\xb8\xad" "c", 6, 3, &cols);
	is_int(n, 2, "width_fit never splits a wide character");
	is_int(cols, 2, "and reports the columns used");
	n = width_fit("e\xcc\x81" "f", 4, 1, &cols);
	is_int(n, 3, "width_fit keeps marks with their base");

	test_against_libc();
	return done_testing();
}
