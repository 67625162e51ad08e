/*
 * diff.h -- line diffs of two texts, in hunks with context, for the
 * console's diff views and the post-mortem report.
 *
 * Myers' O(ND) algorithm on lines after trimming the common prefix and
 * suffix; lines are compared by hash first.  The number of differences
 * searched is capped (DIFF_MAX_EDITS): past it the changed middle is
 * given as all of the old lines removed and all of the new lines added,
 * and the diff says so (approximate), so a hostile pair of 10 MB files
 * costs bounded time and memory.  Lines point into the two texts, which
 * the caller keeps alive as long as the diff.
 */
#ifndef PILOTHOUSE_DIFF_H
#define PILOTHOUSE_DIFF_H

#include <stddef.h>

#include "base/buf.h"
#include "base/compiler.h"

#define DIFF_MAX_EDITS	1000
#define DIFF_CONTEXT	3

enum diff_op {
	DIFF_SAME,
	DIFF_DEL,
	DIFF_ADD
};

struct diff_line {
	enum diff_op	 op;
	const char	*s;		/* borrowed from a or b, no newline */
	size_t		 len;
	size_t		 aline;		/* 1-based line in a, 0 for ADD */
	size_t		 bline;		/* 1-based line in b, 0 for DEL */
};

struct diff_hunk {
	size_t		 astart, alen;	/* as in "@@ -astart,alen ..." */
	size_t		 bstart, blen;
	size_t		 first, count;	/* its lines in diff->lines */
};

struct diff {
	struct diff_line	*lines;		/* hunk lines, in order */
	size_t			 nlines;
	struct diff_hunk	*hunks;
	size_t			 nhunks;
	size_t			 added, removed;
	int			 approximate;	/* hit DIFF_MAX_EDITS */
	size_t			 alines, blines;	/* lines of a and b */
	int			 a_no_eol;	/* a lacks a final newline */
	int			 b_no_eol;
};

/* Diff a (old) against b (new) with ctx lines of context.  Caller
 * frees with diff_free; a and b are borrowed for the diff's life. */
struct diff	*diff_create(const char *, size_t, const char *, size_t, int);
void		 diff_free(struct diff *);
/* The diff in unified format with ---/+++ headers. */
int		 diff_unified(const struct diff *, const char *, const char *,
		    struct buf *) AD_WARN_UNUSED;

#endif
