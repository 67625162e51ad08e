/* ISC licence: see COPYING.  The grep tool: a walker with PCRE2. */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xmalloc.h"
#include "harness/jsregex.h"
#include "harness/tool_impl.h"

#define TOOL_GREP_CHUNK		(64 * 1024)	/* Node's stream chunks */
#define TOOL_GREP_LINE_BYTES	6000		/* > this is > 2000 units */
#define TOOL_GREP_MATCH_LIMIT	1000000

/*
 * The search.  The reference reads files with readline over a UTF-8
 * stream: lines end at "\n", "\r\n" or a lone "\r"; a line longer than
 * 2000 UTF-16 units is skipped; a 64 KiB chunk holding a NUL ends the
 * file after that chunk's complete lines.  Each line is decoded (invalid
 * UTF-8 becomes U+FFFD) before the regex sees it.
 */
struct tool_grep {
	struct toolbox		*tb;
	pcre2_code		*re;
	pcre2_match_data	*md;
	pcre2_match_context	*mctx;
	struct buf		 out;
	size_t			 hits;
	int64_t			 budget;	/* UTF-16 units of output */
	int			 full;		/* budget spent */
	int64_t			 deadline;
	struct cancel		*cancel;
	const char		*prefix;	/* visible path of the root */
	struct buf		 line;		/* the current line, raw */
	struct buf		 text;		/* the line decoded */
	int			 toolong;
	int			 cr;		/* last byte was '\r' */
	int			 failed;	/* the regex failed */
	int64_t			 lineno;
};

/* Append one output line, or the truncation marker when over budget. */
static void
tool_grep_push(struct tool_grep *g, const char *label)
{
	struct buf	l;

	buf_init(&l, BUF_UNBOUNDED);
	buf_xprintf(&l, "%s:%lld:", label, (long long)g->lineno);
	tool_emit_mem(&l, g->text.data, g->text.len);
	g->budget -= (int64_t)tool_utf16_len(l.data, l.len) + 1;
	if (g->hits > 0)
		buf_xprintf(&g->out, "%c", '\n');
	if (g->budget < 0) {
		buf_xprintf(&g->out, "[output truncated at %d bytes]",
		    TOOL_GREP_OUTPUT);
		g->full = 1;
	} else
		tool_emit_mem(&g->out, l.data, l.len);
	g->hits++;
	buf_clear(&l);
}

/* A line has ended: match it. */
static void
tool_grep_line(struct tool_grep *g, const char *label)
{
	int	rc;

	g->lineno++;
	if (!g->toolong && !g->failed) {
		buf_reset(&g->text);
		tool_utf8_append(&g->text, buf_cstr(&g->line), g->line.len);
		if (tool_utf16_len(buf_cstr(&g->text), g->text.len) <=
		    TOOL_GREP_MAX_LINE) {
			rc = pcre2_match(g->re, (PCRE2_SPTR)buf_cstr(&g->text),
			    g->text.len, 0, 0, g->md, g->mctx);
			if (rc >= 0)
				tool_grep_push(g, label);
			else if (rc != PCRE2_ERROR_NOMATCH)
				g->failed = 1;
		}
	}
	buf_reset(&g->line);
	g->toolong = 0;
}

/* Search one open regular file (fd is consumed). */
static void
tool_grep_fd(struct tool_grep *g, int fd, const char *label)
{
	char	 chunk[TOOL_GREP_CHUNK];
	ssize_t	 n;
	int	 nul;

	g->lineno = 0;
	g->failed = 0;
	g->toolong = 0;
	g->cr = 0;
	buf_reset(&g->line);
	for (;;) {
		if ((n = read(fd, chunk, sizeof chunk)) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		nul = memchr(chunk, '\0', (size_t)n) != NULL;
		for (ssize_t i = 0; i < n && !g->full && !g->failed; i++) {
			if (chunk[i] == '\n' && g->cr) {
				g->cr = 0;
				continue;
			}
			g->cr = chunk[i] == '\r';
			if (chunk[i] == '\n' || chunk[i] == '\r') {
				tool_grep_line(g, label);
				continue;
			}
			if (g->line.len >= TOOL_GREP_LINE_BYTES)
				g->toolong = 1;
			else if (buf_putc(&g->line, chunk[i]) != 0)
				fatalx("grep: line buffer overflow");
		}
		if (nul || g->full || g->failed)
			goto done;
		if ((g->deadline != 0 && clock_mono_us() >= g->deadline) ||
		    (g->cancel != NULL && cancel_fired(g->cancel)))
			goto done;
	}
	if (n == 0 && (g->line.len > 0 || g->toolong))
		tool_grep_line(g, label);
done:
	close(fd);
}

/* Walker callback: search one regular file. */
static int
tool_grep_file(const struct wspath_entry *e, void *arg)
{
	struct tool_grep	*g = arg;
	struct stat		 st;
	struct buf		 label;
	int			 fd;

	if ((fd = wspath_entry_open(e, O_RDONLY|O_NONBLOCK)) == -1)
		return 0;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    tool_foreign_link(g->tb, &st)) {
		close(fd);
		return 0;
	}
	buf_init(&label, BUF_UNBOUNDED);
	buf_xprintf(&label, "%s/", g->prefix);
	tool_utf8_append(&label, e->rel, strlen(e->rel));
	tool_grep_fd(g, fd, buf_cstr(&label));
	buf_clear(&label);
	return g->full;
}

/* Compile the pattern as JavaScript's RegExp would read it. */
static pcre2_code *
tool_grep_compile(const char *pattern, size_t len, struct tool_result *r)
{
	pcre2_code	*re;
	char		*why = NULL;

	if ((re = jsregex_compile(pattern, len, &why)) == NULL) {
		tool_fail(r, "grep: invalid regex: Invalid regular expression: "
		    "/%.*s/: %s", (int)AD_MIN(len, 200), pattern, why);
		free(why);
	}
	return re;
}

/* Search file contents for a regular expression. */
int
tool_grep_run(struct toolbox *tb, json_t *in, struct cancel *cancel,
    struct tool_result *r, char **cause)
{
	struct tool_grep	 g;
	struct wspath		 wp;
	struct stat		 st;
	struct buf		 prefix;
	const char		*pattern, *p;
	size_t			 plen, len;
	int			 error, fd;

	if (tool_input_string(in, "grep", "pattern", &pattern, &plen, r) < 0 ||
	    tool_input_string(in, "grep", "path", &p, &len, r) < 0)
		return 0;
	if (pattern == NULL || plen == 0) {
		tool_fail(r, "grep: pattern is required");
		return 0;
	}
	if ((error = tool_search_root(tb, p, len, &wp, r)) == -1)
		return 0;
	memset(&g, 0, sizeof g);
	if ((g.re = tool_grep_compile(pattern, plen, r)) == NULL) {
		if (error == 0)
			wspath_clear(&wp);
		return 0;
	}
	g.tb = tb;
	g.md = pcre2_match_data_create_from_pattern(g.re, NULL);
	g.mctx = pcre2_match_context_create(NULL);
	pcre2_set_match_limit(g.mctx, TOOL_GREP_MATCH_LIMIT);
	g.budget = TOOL_GREP_OUTPUT;
	g.deadline = clock_mono_us() + TOOL_GREP_TIMEOUT_MS * 1000LL;
	g.cancel = cancel;
	buf_init(&g.out, BUF_UNBOUNDED);
	buf_init(&g.line, BUF_UNBOUNDED);
	buf_init(&g.text, BUF_UNBOUNDED);
	buf_init(&prefix, BUF_UNBOUNDED);
	if (error == 0)
		tool_visible_path(tb, wp.canon, &prefix);
	g.prefix = buf_cstr(&prefix);

	/* A missing path finds nothing, as in the reference. */
	if (error == 0 && wp.exists && S_ISREG(wp.st.st_mode)) {
		if ((fd = tool_open_regular(&wp, &st)) != -1) {
			if (tool_foreign_link(tb, &st))
				close(fd);
			else
				tool_grep_fd(&g, fd, g.prefix);
		}
	} else if (error == 0 && wp.exists && S_ISDIR(wp.st.st_mode) &&
	    (fd = wspath_open(&wp, O_PATH|O_DIRECTORY)) != -1) {
		wspath_walk(fd, NULL, tool_grep_file, &g, g.deadline, cancel);
		close(fd);
	}
	if (cancel != NULL && cancel_fired(cancel))
		tool_fail(r, "grep: aborted");
	else if (!g.full && clock_mono_us() >= g.deadline) {
		if (g.hits == 0)
			tool_fail(r, "grep: timed out after %ds",
			    TOOL_GREP_TIMEOUT_MS / 1000);
		else {
			buf_xprintf(&g.out, "\n[the search was cut short "
			    "after %d ms]", TOOL_GREP_TIMEOUT_MS);
			tool_ok_buf(r, &g.out);
		}
	} else if (g.hits == 0)
		tool_ok(r, "no matches", 10);
	else
		tool_ok_buf(r, &g.out);

	pcre2_match_data_free(g.md);
	pcre2_match_context_free(g.mctx);
	pcre2_code_free(g.re);
	buf_clear(&g.out);
	buf_clear(&g.line);
	buf_clear(&g.text);
	buf_clear(&prefix);
	if (error == 0)
		wspath_clear(&wp);
	return 0;
}
