/* ISC licence: see COPYING.  Line diffs (Myers) in unified hunks. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/xmalloc.h"
#include "model/diff.h"

struct diff_text {
	const char	**s;		/* line starts */
	size_t		 *len;		/* without the newline */
	uint64_t	 *hash;
	size_t		  n;
	int		  no_eol;	/* the last line has no newline */
};

/* FNV-1a of a line. */
static uint64_t
diff_hash(const char *s, size_t len)
{
	uint64_t	h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

/* Cut text into lines. */
static void
diff_split(struct diff_text *t, const char *s, size_t len)
{
	const char	*p = s, *end = s + len, *nl;
	size_t		 cap = 16;

	memset(t, 0, sizeof *t);
	t->s = xreallocarray(NULL, cap, sizeof *t->s);
	t->len = xreallocarray(NULL, cap, sizeof *t->len);
	t->hash = xreallocarray(NULL, cap, sizeof *t->hash);
	while (p < end) {
		if (t->n == cap) {
			cap *= 2;
			t->s = xreallocarray(t->s, cap, sizeof *t->s);
			t->len = xreallocarray(t->len, cap, sizeof *t->len);
			t->hash = xreallocarray(t->hash, cap, sizeof *t->hash);
		}
		nl = memchr(p, '\n', (size_t)(end - p));
		t->s[t->n] = p;
		t->len[t->n] = (size_t)((nl != NULL ? nl : end) - p);
		t->hash[t->n] = diff_hash(p, t->len[t->n]);
		t->n++;
		if (nl == NULL) {
			t->no_eol = 1;
			break;
		}
		p = nl + 1;
	}
}

/* Free the line arrays. */
static void
diff_text_clear(struct diff_text *t)
{
	free(t->s);
	free(t->len);
	free(t->hash);
}

/*
 * Are line i of a and line j of b equal?  A last line without its
 * newline differs from the same text with one, as in diff(1).
 */
static int
diff_eq(const struct diff_text *a, size_t i, const struct diff_text *b,
    size_t j)
{
	return a->hash[i] == b->hash[j] && a->len[i] == b->len[j] &&
	    (a->no_eol && i + 1 == a->n) == (b->no_eol && j + 1 == b->n) &&
	    memcmp(a->s[i], b->s[j], a->len[i]) == 0;
}

/* The whole edit script, one op per line of either side. */
struct diff_script {
	enum diff_op	*op;
	size_t		 n, cap;
};

/* Append an op. */
static void
diff_push(struct diff_script *sc, enum diff_op op)
{
	if (sc->n == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 64;
		sc->op = xreallocarray(sc->op, sc->cap, sizeof *sc->op);
	}
	sc->op[sc->n++] = op;
}

/*
 * Myers' greedy algorithm on a[ao, ao + n) and b[bo, bo + m), with the
 * furthest-reaching x of each diagonal kept for every d so the path can
 * be walked back.  Memory is (D + 1)^2 integers for D differences, which
 * is why D is capped.  Returns 0, or -1 when the cap was reached (then
 * nothing is appended).
 */
static int
diff_myers(const struct diff_text *a, size_t ao, size_t n,
    const struct diff_text *b, size_t bo, size_t m, struct diff_script *sc)
{
	int32_t		*v, *trace;
	enum diff_op	*rev;
	size_t		 nrev = 0, max;
	long		 d, k, x, y, found = -1, px, py, pk;

	max = AD_MIN(n + m, (size_t)DIFF_MAX_EDITS);
	v = xcalloc(2 * max + 3, sizeof *v);
	trace = xreallocarray(NULL, (max + 1) * (max + 1), sizeof *trace);
#define V(k)	v[(k) + (long)max + 1]
#define T(d, k)	trace[(d) * (d) + (k) + (d)]
	for (d = 0; d <= (long)max && found < 0; d++) {
		for (k = -d; k <= d; k += 2) {
			if (k == -d || (k != d && V(k - 1) < V(k + 1)))
				x = V(k + 1);
			else
				x = V(k - 1) + 1;
			y = x - k;
			while (x < (long)n && y < (long)m &&
			    diff_eq(a, ao + (size_t)x, b, bo + (size_t)y)) {
				x++;
				y++;
			}
			V(k) = (int32_t)x;
			if (x >= (long)n && y >= (long)m)
				found = d;
		}
		for (k = -d; k <= d; k++)
			T(d, k) = V(k);
	}
	free(v);
	if (found < 0) {
		free(trace);
		return -1;
	}
	/* Walk back from (n, m), collecting ops in reverse. */
	rev = xreallocarray(NULL, n + m + 1, sizeof *rev);
	x = (long)n;
	y = (long)m;
	for (d = found; d > 0; d--) {
		k = x - y;
		if (k == -d || (k != d && T(d - 1, k - 1) < T(d - 1, k + 1)))
			pk = k + 1;
		else
			pk = k - 1;
		px = T(d - 1, pk);
		py = px - pk;
		while (x > px && y > py) {
			rev[nrev++] = DIFF_SAME;
			x--;
			y--;
		}
		rev[nrev++] = pk == k + 1 ? DIFF_ADD : DIFF_DEL;
		x = px;
		y = py;
	}
	while (x > 0 && y > 0) {
		rev[nrev++] = DIFF_SAME;
		x--;
		y--;
	}
#undef V
#undef T
	free(trace);
	while (nrev > 0)
		diff_push(sc, rev[--nrev]);
	free(rev);
	return 0;
}

/* Add one line to the diff. */
static void
diff_add_line(struct diff *df, enum diff_op op, const struct diff_text *a,
    size_t i, const struct diff_text *b, size_t j)
{
	struct diff_line	*l;

	df->lines = xreallocarray(df->lines, df->nlines + 1,
	    sizeof *df->lines);
	l = &df->lines[df->nlines++];
	l->op = op;
	l->aline = op == DIFF_ADD ? 0 : i + 1;
	l->bline = op == DIFF_DEL ? 0 : j + 1;
	l->s = op == DIFF_ADD ? b->s[j] : a->s[i];
	l->len = op == DIFF_ADD ? b->len[j] : a->len[i];
}

/*
 * Group the script into hunks: each change with ctx lines of context on
 * either side, changes closer than 2 * ctx lines sharing a hunk.
 */
static void
diff_hunks(struct diff *df, const struct diff_script *sc,
    const struct diff_text *a, const struct diff_text *b, int ctx)
{
	struct diff_hunk	*h;
	size_t			*apos, *bpos, k = 0, s, e, last;
	size_t			 c = (size_t)ctx;

	/* Lines of a and b before each op. */
	apos = xreallocarray(NULL, sc->n + 1, sizeof *apos);
	bpos = xreallocarray(NULL, sc->n + 1, sizeof *bpos);
	apos[0] = bpos[0] = 0;
	for (size_t i = 0; i < sc->n; i++) {
		apos[i + 1] = apos[i] + (sc->op[i] != DIFF_ADD);
		bpos[i + 1] = bpos[i] + (sc->op[i] != DIFF_DEL);
	}
	while (k < sc->n) {
		if (sc->op[k] == DIFF_SAME) {
			k++;
			continue;
		}
		/* The previous hunk ended at least c lines before this. */
		s = k > c ? k - c : 0;
		last = k;
		for (e = k; e < sc->n; e++) {
			if (sc->op[e] != DIFF_SAME)
				last = e;
			else if (e - last > 2 * c)
				break;
		}
		e = AD_MIN(last + 1 + c, sc->n);
		df->hunks = xreallocarray(df->hunks, df->nhunks + 1,
		    sizeof *df->hunks);
		h = &df->hunks[df->nhunks++];
		h->first = df->nlines;
		h->astart = apos[s] + 1;
		h->bstart = bpos[s] + 1;
		h->alen = apos[e] - apos[s];
		h->blen = bpos[e] - bpos[s];
		for (size_t i = s; i < e; i++) {
			diff_add_line(df, sc->op[i], a, apos[i], b, bpos[i]);
			df->added += sc->op[i] == DIFF_ADD;
			df->removed += sc->op[i] == DIFF_DEL;
		}
		h->count = df->nlines - h->first;
		/* An empty side starts at the line before, as diff(1) says. */
		if (h->alen == 0)
			h->astart--;
		if (h->blen == 0)
			h->bstart--;
		k = e;
	}
	free(apos);
	free(bpos);
}

/* Diff two texts. */
struct diff *
diff_create(const char *as, size_t alen, const char *bs, size_t blen, int ctx)
{
	struct diff		*df;
	struct diff_text	 a, b;
	struct diff_script	 sc = { 0 };
	size_t			 pre = 0, suf = 0, i;

	df = xcalloc(1, sizeof *df);
	diff_split(&a, as, alen);
	diff_split(&b, bs, blen);
	df->a_no_eol = a.no_eol;
	df->b_no_eol = b.no_eol;
	df->alines = a.n;
	df->blines = b.n;
	while (pre < a.n && pre < b.n && diff_eq(&a, pre, &b, pre))
		pre++;
	while (suf < a.n - pre && suf < b.n - pre &&
	    diff_eq(&a, a.n - 1 - suf, &b, b.n - 1 - suf))
		suf++;
	for (i = 0; i < pre; i++)
		diff_push(&sc, DIFF_SAME);
	if (diff_myers(&a, pre, a.n - pre - suf, &b, pre, b.n - pre - suf,
	    &sc) != 0) {
		df->approximate = 1;
		for (i = pre; i < a.n - suf; i++)
			diff_push(&sc, DIFF_DEL);
		for (i = pre; i < b.n - suf; i++)
			diff_push(&sc, DIFF_ADD);
	}
	for (i = 0; i < suf; i++)
		diff_push(&sc, DIFF_SAME);
	diff_hunks(df, &sc, &a, &b, ctx);
	free(sc.op);
	diff_text_clear(&a);
	diff_text_clear(&b);
	return df;
}

/* Free a diff; NULL does nothing. */
void
diff_free(struct diff *df)
{
	if (df == NULL)
		return;
	free(df->lines);
	free(df->hunks);
	free(df);
}

/* Unified format. */
int
diff_unified(const struct diff *df, const char *aname, const char *bname,
    struct buf *out)
{
	const struct diff_hunk	*h;
	const struct diff_line	*l;
	static const char	 mark[] = { ' ', '-', '+' };

	if (df->nhunks == 0)
		return 0;
	if (buf_printf(out, "--- %s\n+++ %s\n", aname, bname) != 0)
		return -1;
	for (size_t i = 0; i < df->nhunks; i++) {
		h = &df->hunks[i];
		if (buf_printf(out, "@@ -%zu,%zu +%zu,%zu @@\n", h->astart,
		    h->alen, h->bstart, h->blen) != 0)
			return -1;
		for (size_t j = h->first; j < h->first + h->count; j++) {
			l = &df->lines[j];
			if (buf_putc(out, mark[l->op]) != 0 ||
			    buf_append(out, l->s, l->len) != 0 ||
			    buf_putc(out, '\n') != 0)
				return -1;
			if (((l->op != DIFF_ADD && df->a_no_eol &&
			    l->aline == df->alines) || (l->op != DIFF_DEL &&
			    df->b_no_eol && l->bline == df->blines)) &&
			    buf_puts(out, "\\ No newline at end of file\n") !=
			    0)
				return -1;
		}
	}
	return 0;
}
