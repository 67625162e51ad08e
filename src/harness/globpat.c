/* ISC licence: see COPYING.  Glob patterns (minimatch semantics). */

#include "config.h"

#define PCRE2_CODE_UNIT_WIDTH 8

#include <errno.h>
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "harness/globpat.h"

#define GLOBPAT_MATCH_LIMIT	100000	/* PCRE2 backtracking budget */
#define GLOBPAT_MAX_SEQUENCE	1024	/* elements of one {a..b} */

/* One segment of an expanded pattern. */
struct globpat_seg {
	int		 globstar;	/* "**" */
	char		*literal;	/* no wildcard: compare the name */
	pcre2_code	*re;		/* wildcard: anchored regex */
};

/* One brace-expanded pattern. */
struct globpat_alt {
	struct globpat_seg	*segs;
	size_t			 nsegs;
};

struct globpat {
	struct globpat_alt	*alts;
	size_t			 nalts;
	int			 dirs_only;
	pcre2_match_context	*mctx;
	pcre2_match_data	*md;
};

/* A list of strings being built by brace expansion. */
struct globpat_list {
	char		**v;
	size_t		 n;
	int		 overflow;
};

static void	globpat_expand(const char *, struct globpat_list *);

/* Add s (taken) to the list, unless the list is full. */
static void
globpat_list_add(struct globpat_list *l, char *s)
{
	if (l->n >= GLOBPAT_MAX_EXPANSIONS) {
		l->overflow = 1;
		free(s);
		return;
	}
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

/* Free the list's strings. */
static void
globpat_list_clear(struct globpat_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	memset(l, 0, sizeof *l);
}

/* The index of the '}' closing the '{' at s[open], or -1. */
static long
globpat_close(const char *s, size_t open)
{
	int	depth = 0;

	for (size_t i = open; s[i] != '\0'; i++) {
		if (s[i] == '{')
			depth++;
		else if (s[i] == '}' && --depth == 0)
			return (long)i;
	}
	return -1;
}

/* Whether body (len bytes) has a comma outside nested braces. */
static int
globpat_has_comma(const char *body, size_t len)
{
	int	depth = 0;

	for (size_t i = 0; i < len; i++) {
		if (body[i] == '{')
			depth++;
		else if (body[i] == '}')
			depth--;
		else if (body[i] == ',' && depth == 0)
			return 1;
	}
	return 0;
}

/*
 * Expand a sequence body "x..y" or "x..y..step" (numbers, optionally
 * zero-padded, or single characters) into out; 0 if body is not one.
 */
static int
globpat_sequence(const char *body, struct globpat_list *out)
{
	char		 a[32], b[32], *s;
	long long	 x, y, step = 1, n;
	int		 width = 0, alpha;

	if (strlen(body) >= 64 ||
	    (sscanf(body, "%31[^.]..%31[^.]..%lld", a, b, &step) != 3 &&
	    sscanf(body, "%31[^.]..%31[^.]", a, b) != 2))
		return 0;
	if (strstr(body, "...") != NULL)
		return 0;
	alpha = strlen(a) == 1 && strlen(b) == 1 &&
	    !(a[0] >= '0' && a[0] <= '9') && !(b[0] >= '0' && b[0] <= '9');
	if (alpha) {
		x = (unsigned char)a[0];
		y = (unsigned char)b[0];
	} else {
		char *e1, *e2;

		x = strtoll(a, &e1, 10);
		y = strtoll(b, &e2, 10);
		if (*a == '\0' || *b == '\0' || *e1 != '\0' || *e2 != '\0')
			return 0;
		if ((a[0] == '0' && a[1] != '\0') ||
		    (a[0] == '-' && a[1] == '0' && a[2] != '\0') ||
		    (b[0] == '0' && b[1] != '\0'))
			width = (int)AD_MAX(strlen(a), strlen(b));
	}
	if (step < 0)
		step = -step;
	if (step == 0)
		step = 1;
	n = (x > y ? x - y : y - x) / step + 1;
	if (n > GLOBPAT_MAX_SEQUENCE) {
		out->overflow = 1;
		return 1;
	}
	for (long long i = 0; i < n; i++) {
		long long v = x <= y ? x + i * step : x - i * step;

		if (alpha)
			xasprintf(&s, "%c", (int)v);
		else
			xasprintf(&s, "%0*lld", width, v);
		globpat_list_add(out, s);
	}
	return 1;
}

/*
 * Brace expansion as npm's brace-expansion does it: the first "{...}"
 * holding a top-level comma or a sequence is replaced by each of its
 * (recursively expanded) members, and the rest of the pattern is
 * expanded in turn.  A brace group with neither ("{a}", "{}") is
 * literal.
 */
static void
globpat_expand(const char *s, struct globpat_list *out)
{
	struct globpat_list	 members, tails;
	const char		*p;
	char			*pre, *body, *r;
	long			 close;
	size_t			 open, start, depth;

	for (p = s; (p = strchr(p, '{')) != NULL; p++) {
		open = (size_t)(p - s);
		if ((close = globpat_close(s, open)) == -1)
			break;
		body = xstrndup(s + open + 1, (size_t)close - open - 1);
		memset(&members, 0, sizeof members);
		if (globpat_has_comma(body, strlen(body))) {
			depth = 0;
			start = 0;
			for (size_t i = 0;; i++) {
				if (body[i] == '{')
					depth++;
				else if (body[i] == '}')
					depth--;
				if (body[i] == '\0' ||
				    (body[i] == ',' && depth == 0)) {
					r = xstrndup(body + start, i - start);
					globpat_expand(r, &members);
					free(r);
					start = i + 1;
					if (body[i] == '\0')
						break;
				}
			}
		} else if (!globpat_sequence(body, &members)) {
			free(body);
			continue;
		}
		free(body);
		memset(&tails, 0, sizeof tails);
		globpat_expand(s + close + 1, &tails);
		pre = xstrndup(s, open);
		for (size_t i = 0; i < members.n; i++)
			for (size_t j = 0; j < tails.n; j++) {
				xasprintf(&r, "%s%s%s", pre, members.v[i],
				    tails.v[j]);
				globpat_list_add(out, r);
			}
		out->overflow |= members.overflow | tails.overflow;
		free(pre);
		globpat_list_clear(&members);
		globpat_list_clear(&tails);
		return;
	}
	globpat_list_add(out, xstrdup(s));
}

/* Whether a segment has any wildcard (else it is compared literally). */
static int
globpat_magic(const char *seg)
{
	for (const char *p = seg; *p != '\0'; p++) {
		if (*p == '*' || *p == '?')
			return 1;
		if (strchr("+@!", *p) != NULL && p[1] == '(')
			return 1;
		if (*p == '[' && strchr(p + 1, ']') != NULL)
			return 1;
	}
	return 0;
}

/* Append c to the regex, escaped if PCRE2 would read it specially. */
static void
globpat_re_char(struct buf *re, char c)
{
	if (strchr("\\^$.|?*+()[]{}/", c) != NULL)
		buf_xprintf(re, "%c", '\\');
	buf_xprintf(re, "%c", c);
}

/* The index just past the ']' closing a class at p[0] == '[', or 0. */
static size_t
globpat_class_end(const char *p)
{
	size_t	i = 1;

	if (p[i] == '!' || p[i] == '^')
		i++;
	if (p[i] == ']')
		i++;
	for (; p[i] != '\0'; i++) {
		if (p[i] == '[' && p[i + 1] == ':') {
			const char *e = strstr(p + i + 2, ":]");

			if (e != NULL) {
				i = (size_t)(e - p) + 1;
				continue;
			}
		}
		if (p[i] == ']')
			return i + 1;
	}
	return 0;
}

/* Append the class p[0..end) as a PCRE2 class. */
static void
globpat_re_class(struct buf *re, const char *p, size_t end)
{
	size_t	i = 1;

	buf_xprintf(re, "%c", '[');
	if (p[i] == '!' || p[i] == '^') {
		buf_xprintf(re, "%c", '^');
		i++;
	}
	if (p[i] == ']') {
		buf_xprintf(re, "%s", "\\]");
		i++;
	}
	for (; i < end - 1; i++) {
		if (p[i] == '[' && p[i + 1] == ':') {
			const char *e = strstr(p + i + 2, ":]");

			buf_xprintf(re, "%.*s", (int)((size_t)(e - p) + 2 - i),
			    p + i);
			i = (size_t)(e - p) + 1;
		} else if (p[i] == '[' || p[i] == '\\')
			buf_xprintf(re, "\\%c", p[i]);
		else
			buf_xprintf(re, "%c", p[i]);
	}
	buf_xprintf(re, "%c", ']');
}

/* The index of the ')' closing an extglob opened at p[1] == '(', or 0. */
static size_t
globpat_ext_end(const char *p)
{
	int	depth = 0;

	for (size_t i = 1; p[i] != '\0'; i++) {
		if (p[i] == '[') {
			size_t e = globpat_class_end(p + i);

			if (e > 0) {
				i += e - 1;
				continue;
			}
		}
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && --depth == 0)
			return i;
	}
	return 0;
}

static void	globpat_re_seq(struct buf *, const char *, size_t, int);

/* Append one extglob p[0] '(' ... ')' at p[end]: the rest is tail. */
static void
globpat_re_ext(struct buf *re, const char *p, size_t end, const char *tail,
    size_t tlen, int first)
{
	struct buf	alts;
	int		depth = 0;
	size_t		start = 2;

	buf_init(&alts, BUF_UNBOUNDED);
	buf_xprintf(&alts, "%s", "");
	for (size_t i = 2; i <= end; i++) {
		if (p[i] == '(')
			depth++;
		else if (p[i] == ')' && depth > 0 && i < end)
			depth--;
		else if (p[i] == '[') {
			size_t e = globpat_class_end(p + i);

			if (e > 0)
				i += e - 1;
		} else if ((p[i] == '|' && depth == 0) || i == end) {
			if (alts.len > 0)
				buf_xprintf(&alts, "%c", '|');
			globpat_re_seq(&alts, p + start, i - start, first);
			start = i + 1;
		}
	}
	switch (p[0]) {
	case '@':
		buf_xprintf(re, "(?:%s)", alts.data);
		break;
	case '?':
		buf_xprintf(re, "(?:%s)?", alts.data);
		break;
	case '+':
		buf_xprintf(re, "(?:%s)+", alts.data);
		break;
	case '*':
		buf_xprintf(re, "(?:%s)*", alts.data);
		break;
	case '!':
		/* Anything that is not one of them followed by the rest. */
		buf_xprintf(re, "(?:(?!(?:%s)", alts.data);
		globpat_re_seq(re, tail, tlen, 0);
		buf_xprintf(re, "$)%s[^/]*?)", first ? "(?!\\.)" : "");
		break;
	}
	buf_clear(&alts);
}

/*
 * Translate p (len bytes, one segment or part of one) to regex syntax.
 * first: p starts the segment (wildcards there must not match a dot).
 */
static void
globpat_re_seq(struct buf *re, const char *p, size_t len, int first)
{
	size_t	 i = 0, end;
	char	*seq = xstrndup(p, len);

	len = strlen(seq);
	while (i < len) {
		const char	*q = seq + i;
		int		 at_start = first && i == 0;

		if (strchr("?*+@!", q[0]) != NULL && q[1] == '(' &&
		    (end = globpat_ext_end(q)) > 0) {
			globpat_re_ext(re, q, end, q + end + 1,
			    len - i - end - 1, at_start);
			i += end + 1;
		} else if (q[0] == '*') {
			if (at_start)
				buf_xprintf(re, "%s", "(?!\\.)");
			while (i < len && seq[i] == '*')
				i++;
			buf_xprintf(re, "%s", "[^/]*?");
		} else if (q[0] == '?') {
			if (at_start)
				buf_xprintf(re, "%s", "(?!\\.)");
			buf_xprintf(re, "%s", "[^/]");
			i++;
		} else if (q[0] == '[' && (end = globpat_class_end(q)) > 0) {
			if (at_start)
				buf_xprintf(re, "%s", "(?!\\.)");
			globpat_re_class(re, q, end);
			i += end;
		} else {
			globpat_re_char(re, q[0]);
			i++;
		}
	}
	free(seq);
}

/* Compile one segment; a regex PCRE2 refuses matches nothing. */
static void
globpat_seg_init(struct globpat_seg *sg, const char *seg)
{
	struct buf	 re;
	PCRE2_SIZE	 off;
	int		 err;

	memset(sg, 0, sizeof *sg);
	if (strcmp(seg, "**") == 0) {
		sg->globstar = 1;
		return;
	}
	if (!globpat_magic(seg)) {
		sg->literal = xstrdup(seg);
		return;
	}
	buf_init(&re, BUF_UNBOUNDED);
	buf_xprintf(&re, "%c", '^');
	globpat_re_seq(&re, seg, strlen(seg), 1);
	buf_xprintf(&re, "%c", '$');
	sg->re = pcre2_compile((PCRE2_SPTR)re.data, re.len,
	    PCRE2_UTF|PCRE2_UCP|PCRE2_MATCH_INVALID_UTF|PCRE2_DOLLAR_ENDONLY,
	    &err, &off, NULL);
	buf_clear(&re);
}

/* Split one expanded pattern into segments (dropping "" and "."). */
static int
globpat_alt_init(struct globpat_alt *alt, const char *s, int *dirs_only)
{
	const char	*p = s, *e;
	char		*seg;
	size_t		 len;

	memset(alt, 0, sizeof *alt);
	len = strlen(s);
	if (len > 0 && s[len - 1] == '/')
		*dirs_only = 1;
	while (*p != '\0') {
		e = strchr(p, '/');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		if (len > 0 && !(len == 1 && p[0] == '.')) {
			if (alt->nsegs == GLOBPAT_MAX_SEGMENTS)
				return -1;
			seg = xstrndup(p, len);
			alt->segs = xreallocarray(alt->segs, alt->nsegs + 1,
			    sizeof *alt->segs);
			globpat_seg_init(&alt->segs[alt->nsegs++], seg);
			free(seg);
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return 0;
}

/* Compile a pattern. */
struct globpat *
globpat_create(const char *pattern, size_t len, char **cause)
{
	struct globpat		*gp;
	struct globpat_list	 l;
	char			*s;

	s = xstrndup(pattern, len);
	for (char *p = s; *p != '\0'; p++)
		if (*p == '\\')
			*p = '/';
	memset(&l, 0, sizeof l);
	globpat_expand(s, &l);
	free(s);
	if (l.overflow) {
		xasprintf(cause, "the pattern expands to more than %d "
		    "alternatives", GLOBPAT_MAX_EXPANSIONS);
		globpat_list_clear(&l);
		return NULL;
	}
	gp = xcalloc(1, sizeof *gp);
	gp->alts = xcalloc(l.n, sizeof *gp->alts);
	for (size_t i = 0; i < l.n; i++) {
		gp->nalts++;
		if (globpat_alt_init(&gp->alts[i], l.v[i],
		    &gp->dirs_only) != 0) {
			xasprintf(cause, "the pattern has more than %d "
			    "segments", GLOBPAT_MAX_SEGMENTS);
			globpat_list_clear(&l);
			globpat_free(gp);
			return NULL;
		}
	}
	globpat_list_clear(&l);
	gp->mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(gp->mctx, GLOBPAT_MATCH_LIMIT);
	gp->md = pcre2_match_data_create(1, NULL);
	return gp;
}

/* Free a pattern. */
void
globpat_free(struct globpat *gp)
{
	if (gp == NULL)
		return;
	for (size_t i = 0; i < gp->nalts; i++) {
		for (size_t j = 0; j < gp->alts[i].nsegs; j++) {
			free(gp->alts[i].segs[j].literal);
			pcre2_code_free(gp->alts[i].segs[j].re);
		}
		free(gp->alts[i].segs);
	}
	free(gp->alts);
	pcre2_match_context_free(gp->mctx);
	pcre2_match_data_free(gp->md);
	free(gp);
}

/* Whether the pattern ends in "/" (it names directories only). */
int
globpat_dirs_only(const struct globpat *gp)
{
	return gp->dirs_only;
}

/* Whether one segment matches the name (len bytes). */
static int
globpat_seg_match(const struct globpat *gp, const struct globpat_seg *sg,
    const char *name, size_t len)
{
	if (sg->literal != NULL)
		return strlen(sg->literal) == len &&
		    memcmp(sg->literal, name, len) == 0;
	if (sg->re == NULL)
		return 0;
	return pcre2_match(sg->re, (PCRE2_SPTR)name, len, 0, 0, gp->md,
	    gp->mctx) >= 0;
}

/* Add state i and, through "**" matching nothing, the states after it. */
static void
globpat_state_add(const struct globpat_alt *alt, unsigned char *set,
    size_t i)
{
	while (i <= alt->nsegs && !set[i]) {
		set[i] = 1;
		if (i == alt->nsegs || !alt->segs[i].globstar)
			break;
		i++;
	}
}

#define GLOBPAT_FULL	0x1	/* the whole path matches */
#define GLOBPAT_MORE	0x2	/* a longer path could match */

/* Run one alternative's segment NFA over path: GLOBPAT_* flags. */
static int
globpat_run(const struct globpat *gp, const struct globpat_alt *alt,
    const char *path)
{
	unsigned char	 cur[GLOBPAT_MAX_SEGMENTS + 1];
	unsigned char	 next[GLOBPAT_MAX_SEGMENTS + 1];
	const char	*p = path, *e;
	size_t		 len, n = alt->nsegs;
	int		 any;

	memset(cur, 0, n + 1);
	globpat_state_add(alt, cur, 0);
	while (*p != '\0') {
		e = strchr(p, '/');
		len = e != NULL ? (size_t)(e - p) : strlen(p);
		memset(next, 0, n + 1);
		any = 0;
		for (size_t i = 0; i < n; i++) {
			const struct globpat_seg *sg = &alt->segs[i];

			if (!cur[i])
				continue;
			if (sg->globstar) {
				if (p[0] != '.') {
					globpat_state_add(alt, next, i);
					any = 1;
				}
			} else if (globpat_seg_match(gp, sg, p, len)) {
				globpat_state_add(alt, next, i + 1);
				any = 1;
			}
		}
		if (!any)
			return 0;
		memcpy(cur, next, n + 1);
		p += len;
		if (*p == '/')
			p++;
	}
	any = cur[n] ? GLOBPAT_FULL : 0;
	for (size_t i = 0; i < n; i++)
		if (cur[i])
			return any | GLOBPAT_MORE;
	return any;
}

/* Whether something below directory rel could match. */
int
globpat_enter(const struct globpat *gp, const char *rel)
{
	for (size_t i = 0; i < gp->nalts; i++)
		if (globpat_run(gp, &gp->alts[i], rel) & GLOBPAT_MORE)
			return 1;
	return 0;
}

/* Whether the file rel matches. */
int
globpat_match(const struct globpat *gp, const char *rel)
{
	if (gp->dirs_only)
		return 0;
	for (size_t i = 0; i < gp->nalts; i++)
		if (gp->alts[i].nsegs > 0 &&
		    (globpat_run(gp, &gp->alts[i], rel) & GLOBPAT_FULL))
			return 1;
	return 0;
}
