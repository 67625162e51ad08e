/* ISC licence: see COPYING.  Tests for harness/globpat (minimatch). */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "harness/globpat.h"
#include "tap.h"

/* Compile pattern and check whether path matches. */
static void
m(const char *pattern, const char *path, int want)
{
	struct globpat	*gp;
	char		*cause = NULL;

	if ((gp = globpat_create(pattern, strlen(pattern), &cause)) == NULL) {
		ok(0, "%s compiles (%s)", pattern, cause);
		free(cause);
		return;
	}
	is_int(globpat_match(gp, path), want, "%s %s %s", pattern,
	    want ? "matches" : "does not match", path);
	globpat_free(gp);
}

/* Whether the walk would enter directory dir for pattern. */
static void
enter(const char *pattern, const char *dir, int want)
{
	struct globpat	*gp;
	char		*cause = NULL;

	gp = globpat_create(pattern, strlen(pattern), &cause);
	is_int(globpat_enter(gp, dir), want, "%s %s %s", pattern,
	    want ? "enters" : "skips", dir);
	globpat_free(gp);
}

int
main(void)
{
	struct globpat	*gp;
	char		*cause = NULL;

	/* Stars, question marks and the dot rule. */
	m("*", "a.txt", 1);
	m("*", ".dot", 0);
	m("*", "sub/c.c", 0);
	m("*.c", "x.c", 1);
	m("*.c", ".x.c", 0);
	m(".*", ".dot", 1);
	m("a*b?c", "aXYbZc", 1);
	m("a*b?c", "abc", 0);
	m("?", "a", 1);
	m("?", ".", 0);

	/* Globstar: any depth, but never through dot directories. */
	m("**", "a.txt", 1);
	m("**", "sub/c.c", 1);
	m("**/*", "a/b/c", 1);
	m("**/*.c", "c.c", 1);
	m("**/*.c", "a/b/c.c", 1);
	m("**/*.c", ".hid/c.c", 0);
	m("**/.*", ".dot", 1);
	m("**/.*", "a/.dot", 1);
	m("sub/**", "sub/c.c", 1);
	m("sub/**", "sub/a/b", 1);
	m("sub/**", "other/c.c", 0);
	m("a/**/b", "a/b", 1);
	m("a/**/b", "a/x/y/b", 1);
	m(".hid/*", ".hid/h.c", 1);
	m("x**y", "xaby", 1);

	/* Classes. */
	m("[abc]x", "bx", 1);
	m("[abc]x", "dx", 0);
	m("[!a-c]x", "dx", 1);
	m("[^a-c]x", "ax", 0);
	m("[[:digit:]]", "7", 1);
	m("[]a]", "]", 1);
	m("[a", "[a", 1);
	m("[abc]", ".", 0);

	/* Extglobs. */
	m("+(a|b).txt", "abba.txt", 1);
	m("+(a|b).txt", ".txt", 0);
	m("!(a).txt", "b.txt", 1);
	m("!(a).txt", "a.txt", 0);
	m("*.!(c)", "x.h", 1);
	m("*.!(c)", "x.c", 0);
	m("@(x|y)*", "yes", 1);
	m("?(a)b", "b", 1);
	m("?(a)b", "ab", 1);
	m("*(a|b)", "abab", 1);

	/* Braces. */
	m("{a,b}/c", "b/c", 1);
	m("{a,b}/c", "d/c", 0);
	m("x{1..3}", "x2", 1);
	m("x{1..3}", "x4", 0);
	m("x{01..10}", "x07", 1);
	m("{a..c}", "b", 1);
	m("{,a}b", "b", 1);
	m("{,a}b", "ab", 1);
	m("{a}", "{a}", 1);
	m("{a}", "a", 0);
	m("{a,{b,c}}.txt", "c.txt", 1);

	/* Separators, "." segments and literal names. */
	m("./a.txt", "a.txt", 1);
	m("a//b", "a/b", 1);
	m("a\\b", "a/b", 1);
	m("a.txt", "a.txt", 1);
	m("a.txt", "b/a.txt", 0);

	/* A trailing slash asks for directories: no file matches. */
	gp = globpat_create("**/", 3, &cause);
	ok(gp != NULL && globpat_dirs_only(gp), "**/ names directories only");
	is_int(globpat_match(gp, "a.txt"), 0, "so no file matches it");
	globpat_free(gp);

	/* Which directories a walk enters. */
	enter("sub/*", "sub", 1);
	enter("sub/*", "other", 0);
	enter("*.c", "sub", 0);
	enter("**/*.c", "a", 1);
	enter("**/*.c", ".hid", 0);
	enter("sub/**", "sub", 1);
	enter("{a,b}/x", "b", 1);

	/* Bounds. */
	{
		const char *p = "{a,b}{c,d}{e,f}{g,h}{i,j}{k,l}{m,n}{o,p}{q,r}"
		    "{s,t}{u,v}";

		ok(globpat_create(p, strlen(p), &cause) == NULL,
		    "2048 expansions are refused");
	}
	ok(cause != NULL && strstr(cause, "1024") != NULL, "and say the limit");
	free(cause);
	cause = NULL;
	ok(globpat_create("{1..100000}", 11, &cause) == NULL,
	    "a huge sequence is refused");
	free(cause);
	gp = globpat_create("+(a|aa)+(a|aa)+(a|aa)+(a|aa)+(a|aa)b", 36, &cause);
	is_int(globpat_match(gp, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaac"), 0,
	    "a backtracking pattern ends (match limit)");
	globpat_free(gp);
	return done_testing();
}
