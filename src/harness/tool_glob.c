/* ISC licence: see COPYING.  The glob tool. */

#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "harness/globpat.h"
#include "harness/tool_impl.h"

struct tool_glob_hit {
	char		*rel;
	struct timespec	 mtime;
};

struct tool_glob {
	struct globpat		*gp;
	struct tool_glob_hit	*hits;
	size_t			 n;
};

/* Enter a directory only if the pattern can match below it. */
static int
tool_glob_dir(const char *rel, void *arg)
{
	struct tool_glob	*g = arg;

	return globpat_enter(g->gp, rel);
}

/* Keep a matching regular file with its modification time. */
static int
tool_glob_file(const struct wspath_entry *e, void *arg)
{
	struct tool_glob	*g = arg;

	if (!globpat_match(g->gp, e->rel))
		return 0;
	g->hits = xreallocarray(g->hits, g->n + 1, sizeof *g->hits);
	g->hits[g->n].rel = xstrdup(e->rel);
	g->hits[g->n].mtime = e->st->st_mtim;
	g->n++;
	return 0;
}

/* Newest first; ties in byte order of the path. */
static int
tool_glob_cmp(const void *a, const void *b)
{
	const struct tool_glob_hit	*x = a, *y = b;

	if (x->mtime.tv_sec != y->mtime.tv_sec)
		return x->mtime.tv_sec > y->mtime.tv_sec ? -1 : 1;
	if (x->mtime.tv_nsec != y->mtime.tv_nsec)
		return x->mtime.tv_nsec > y->mtime.tv_nsec ? -1 : 1;
	return strcmp(x->rel, y->rel);
}

/* Whether ".." is a piece of the pattern between / \ { } or ,. */
static int
tool_glob_ascends(const char *p)
{
	size_t	len;

	for (;;) {
		len = strcspn(p, "/\\{},");
		if (len == 2 && p[0] == '.' && p[1] == '.')
			return 1;
		if (p[len] == '\0')
			return 0;
		p += len + 1;
	}
}

/* List files matching a glob pattern, newest first. */
int
tool_glob_run(struct toolbox *tb, json_t *in, struct cancel *cancel,
    struct tool_result *r, char **cause)
{
	struct tool_glob	 g;
	struct wspath		 wp;
	struct buf		 out;
	const char		*pattern, *p;
	char			*why = NULL;
	size_t			 plen, len;
	int			 error, fd;

	if (tool_input_string(in, "glob", "pattern", &pattern, &plen, r) < 0 ||
	    tool_input_string(in, "glob", "path", &p, &len, r) < 0)
		return 0;
	if (pattern == NULL || plen == 0) {
		tool_fail(r, "glob: pattern is required");
		return 0;
	}
	if (pattern[0] == '/') {
		tool_fail(r, "glob: absolute pattern not permitted; pass a "
		    "relative pattern (and optionally path)");
		return 0;
	}
	if (strlen(pattern) != plen) {
		tool_fail(r, "glob: the pattern contains a NUL byte");
		return 0;
	}
	if (tool_glob_ascends(pattern)) {
		tool_fail(r, "glob: \"..\" is not permitted in the pattern");
		return 0;
	}
	if ((error = tool_search_root(tb, p, len, &wp, r)) == -1)
		return 0;
	memset(&g, 0, sizeof g);
	if ((g.gp = globpat_create(pattern, plen, &why)) == NULL) {
		tool_fail(r, "glob: %s", why);
		free(why);
		if (error == 0)
			wspath_clear(&wp);
		return 0;
	}
	buf_init(&out, BUF_UNBOUNDED);
	/* A missing or non-directory root lists nothing, as in Node. */
	if (error == 0 && wp.exists && S_ISDIR(wp.st.st_mode) &&
	    (fd = wspath_open(&wp, O_PATH|O_DIRECTORY)) != -1) {
		wspath_walk(fd, tool_glob_dir, tool_glob_file, &g, 0, cancel);
		close(fd);
	}
	if (g.n > 0)
		qsort(g.hits, g.n, sizeof *g.hits, tool_glob_cmp);
	for (size_t i = 0; i < g.n; i++) {
		if (i < TOOL_GLOB_RESULTS) {
			if (i > 0)
				buf_xprintf(&out, "%c", '\n');
			tool_visible_path(tb, wp.canon, &out);
			buf_xprintf(&out, "/%s", g.hits[i].rel);
		}
		free(g.hits[i].rel);
	}
	if (g.n == 0)
		tool_ok(r, "no matches", 10);
	else
		tool_ok_buf(r, &out);
	free(g.hits);
	globpat_free(g.gp);
	buf_clear(&out);
	if (error == 0)
		wspath_clear(&wp);
	return 0;
}
