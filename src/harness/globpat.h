/*
 * globpat.h -- glob patterns as the reference toolset's glob tool reads
 * them (Node's fs.glob, which is minimatch with dot:false, nonegate,
 * nocomment and windowsPathsNoEscape).
 *
 * A pattern is brace-expanded ("{a,b}", "{1..3}"), split on "/" (a
 * backslash counts as "/", there are no escapes), and each segment is
 * either "**" (any number of directories whose names do not start with
 * "."), a literal name, or a wildcard segment -- "*", "?", "[...]" with
 * "!"/"^" negation and POSIX classes, extglobs "?(a|b)" "*(..)" "+(..)"
 * "@(..)" "!(..)" -- translated to an anchored PCRE2 regex as minimatch
 * translates it to a JavaScript one.  Wildcards never match a leading
 * "." unless the segment itself starts with one.
 *
 * Matching is on paths relative to the search root, segment by segment
 * (a small NFA over the segments, so "**" costs no backtracking), and
 * each regex runs under a PCRE2 match limit: a hostile pattern cannot
 * stall the harness.  This module parses model input: it has a fuzz
 * target (tests/fuzz/globpat_fuzz.c).
 */
#ifndef PILOTHOUSE_GLOBPAT_H
#define PILOTHOUSE_GLOBPAT_H

#include <stddef.h>

#define GLOBPAT_MAX_EXPANSIONS	1024	/* brace expansion results */
#define GLOBPAT_MAX_SEGMENTS	256	/* per expanded pattern */

struct globpat;

/*
 * Compile pattern (len bytes).  NULL with *cause when it expands past
 * GLOBPAT_MAX_EXPANSIONS or has too many segments.  Caller frees with
 * globpat_free.
 */
struct globpat	*globpat_create(const char *, size_t, char **);
void		 globpat_free(struct globpat *);
/* Non-zero when the pattern can only match directories (trailing "/"). */
int		 globpat_dirs_only(const struct globpat *);
/* Non-zero when a file below directory rel ("a/b") could match. */
int		 globpat_enter(const struct globpat *, const char *);
/* Non-zero when the file path rel ("a/b/c.txt") matches. */
int		 globpat_match(const struct globpat *, const char *);

#endif
