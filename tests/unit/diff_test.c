/* ISC licence: see COPYING.  Tests for model/diff: hunks as diff(1). */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/diff.h"
#include "tap.h"

/* The unified diff of a and b as a new string. */
static char *
unified(const char *a, const char *b, int ctx)
{
	struct diff	*df;
	struct buf	 out;

	df = diff_create(a, strlen(a), b, strlen(b), ctx);
	buf_init(&out, 1 << 24);
	if (diff_unified(df, "a", "b", &out) != 0)
		return NULL;
	diff_free(df);
	return out.data != NULL ? buf_steal(&out, NULL) : strdup("");
}

int
main(void)
{
	struct diff	*df;
	char		*s, *a, *b;
	size_t		 n;

	s = unified("a\nb\nc\n", "a\nb\nc\n", 3);
	is_str(s, "", "equal texts have no hunks");
	free(s);
	s = unified("a\nb\nc\n", "a\nB\nc\n", 3);
	is_str(s, "--- a\n+++ b\n@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
	    "one changed line");
	free(s);
	s = unified("", "x\ny\n", 3);
	is_str(s, "--- a\n+++ b\n@@ -0,0 +1,2 @@\n+x\n+y\n", "a new file");
	free(s);
	s = unified("x\n", "", 3);
	is_str(s, "--- a\n+++ b\n@@ -1,1 +0,0 @@\n-x\n", "a deleted file");
	free(s);
	s = unified("a\n", "a", 3);
	is_str(s, "--- a\n+++ b\n@@ -1,1 +1,1 @@\n-a\n+a\n"
	    "\\ No newline at end of file\n", "a lost final newline");
	free(s);
	s = unified("1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n",
	    "1\nX\n3\n4\n5\n6\n7\n8\n9\n10\nY\n12\n", 1);
	is_str(s, "--- a\n+++ b\n@@ -1,3 +1,3 @@\n 1\n-2\n+X\n 3\n"
	    "@@ -10,3 +10,3 @@\n 10\n-11\n+Y\n 12\n", "two hunks, one line of "
	    "context");
	free(s);
	s = unified("a\nb\nc\nd\n", "a\nc\nd\ne\n", 0);
	is_str(s, "--- a\n+++ b\n@@ -2,1 +1,0 @@\n-b\n@@ -4,0 +4,1 @@\n+e\n",
	    "no context");
	free(s);

	df = diff_create("a\nb\nc\n", 6, "a\nx\nc\ny\n", 8, 3);
	is_int(df->added, 2, "added lines counted");
	is_int(df->removed, 1, "removed lines counted");
	is_int(df->nhunks, 1, "one hunk");
	ok(df->lines[1].op == DIFF_DEL && df->lines[1].aline == 2,
	    "line numbers on the old side");
	ok(df->lines[2].op == DIFF_ADD && df->lines[2].bline == 2,
	    "line numbers on the new side");
	diff_free(df);

	/* Worst case: every line differs, far past the cap. */
	n = 20000;
	a = malloc(n * 8);
	b = malloc(n * 8);
	for (size_t i = 0; i < n; i++) {
		memcpy(a + i * 8, "aaaaaaa\n", 8);
		memcpy(b + i * 8, "bbbbbbb\n", 8);
		a[i * 8] = (char)('a' + i % 7);
		b[i * 8] = (char)('h' + i % 7);
	}
	df = diff_create(a, n * 8, b, n * 8, 3);
	ok(df->approximate, "a huge diff is marked approximate");
	ok(df->added == n && df->removed == n, "and still complete");
	diff_free(df);
	/* One change in a big file is found exactly. */
	memcpy(b, a, n * 8);
	b[n * 4] = 'Z';
	df = diff_create(a, n * 8, b, n * 8, 3);
	ok(!df->approximate && df->added == 1 && df->removed == 1,
	    "one change in 20000 lines is exact");
	diff_free(df);
	free(a);
	free(b);
	return done_testing();
}
