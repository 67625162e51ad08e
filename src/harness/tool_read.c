/* ISC licence: see COPYING.  The read tool. */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "harness/tool_impl.h"

#define TOOL_READ_CHUNK		(64 * 1024)

/* Lines [start, end) of a file, collected as the reference does it. */
struct tool_lines {
	int64_t		 start;		/* first line wanted, 0-based */
	int64_t		 end;		/* one past the last; INT64_MAX */
	int64_t		 line;		/* current line, 0-based */
	int64_t		 limit;		/* byte cap, or -1 for none */
	struct buf	*out;
	int		 over;		/* the cap was passed */
};

/*
 * Open the regular file wp names, never blocking on a FIFO and never
 * following a final symlink: the walk saw a regular file, and the
 * descriptor must be that same file.  Returns the descriptor, or -1 with
 * errno (EINVAL when it is not a regular file).
 */
int
tool_open_regular(const struct wspath *wp, struct stat *st)
{
	int	fd;

	if (!wp->exists) {
		errno = ENOENT;
		return -1;
	}
	if (!S_ISREG(wp->st.st_mode)) {
		errno = EINVAL;
		return -1;
	}
	if ((fd = wspath_open(wp, O_RDONLY|O_NONBLOCK)) == -1)
		return -1;
	if (fstat(fd, st) != 0 || !S_ISREG(st->st_mode) ||
	    st->st_ino != wp->st.st_ino || st->st_dev != wp->st.st_dev) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	return fd;
}

/* Open the file a resolution led to, or set the tool's error. */
int
tool_open_file(const char *tool, const char *p, int error, struct wspath *wp,
    struct stat *st, struct tool_result *r)
{
	int	fd = -1;

	if (error != 0 || (fd = tool_open_regular(wp, st)) == -1) {
		if (error == 0)
			error = errno;
		wspath_clear(wp);
		if (error == EINVAL)
			tool_fail(r, "%s: %s is not a regular file", tool, p);
		else
			tool_fail(r, "%s: %s: %s", tool, p,
			    tool_errno_text(error));
	}
	return fd;
}

/*
 * A root harness reads with privileges the sandbox lacks, so a hard link
 * to a file the sandbox user does not own is refused: it can only be a
 * way to reach a file outside (sandbox.md section 10).  Writes never
 * touch a linked inode (they rename a new file into place), and a
 * harness running as the user can read nothing the sandbox could not.
 */
int
tool_foreign_link(const struct toolbox *tb, const struct stat *st)
{
	return st->st_nlink > 1 && tb->owner.chown &&
	    st->st_uid != tb->owner.uid;
}

/* Read all of fd into b, at most max bytes; 0 or an errno value. */
int
tool_read_all(int fd, int64_t max, struct buf *b)
{
	char	 chunk[TOOL_READ_CHUNK];
	ssize_t	 n;

	while ((int64_t)b->len < max) {
		n = read(fd, chunk, (size_t)AD_MIN((int64_t)sizeof chunk,
		    max - (int64_t)b->len));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0)
			break;
		if (buf_append(b, chunk, (size_t)n) != 0)
			return EFBIG;
	}
	return 0;
}

/* Collect part of one line (len bytes; nl: a newline ended it). */
static void
tool_lines_take(struct tool_lines *tl, const char *p, size_t len, int nl)
{
	if (buf_append(tl->out, p, len) != 0)
		fatalx("read: buffer overflow");
	if (nl && tl->line + 1 < tl->end && buf_putc(tl->out, '\n') != 0)
		fatalx("read: buffer overflow");
	if (tl->limit >= 0 && (int64_t)tl->out->len > tl->limit)
		tl->over = 1;
}

/* Feed one chunk; returns non-zero once the range is complete. */
static int
tool_lines_feed(struct tool_lines *tl, const char *p, size_t len)
{
	const char	*nl;
	size_t		 at = 0, end;

	while (at < len && tl->line < tl->end && !tl->over) {
		nl = memchr(p + at, '\n', len - at);
		end = nl != NULL ? (size_t)(nl - p) : len;
		if (tl->line >= tl->start)
			tool_lines_take(tl, p + at, end - at, nl != NULL);
		if (nl == NULL)
			break;
		tl->line++;
		at = end + 1;
	}
	return tl->line >= tl->end || tl->over;
}

/* A view_range element: an integral number (JSON integer or real). */
static int
tool_read_line_number(json_t *v, int64_t *n)
{
	double	d;

	if (json_is_integer(v)) {
		*n = json_integer_value(v);
		return 0;
	}
	if (json_is_real(v) && isfinite(d = json_real_value(v)) &&
	    d == floor(d) && fabs(d) < 9e15) {
		*n = (int64_t)d;
		return 0;
	}
	return -1;
}

/* Parse view_range: 0 none, 1 a range, -1 bad (result set). */
static int
tool_read_range(json_t *in, int64_t *first, int64_t *last,
    struct tool_result *r)
{
	json_t	*v = json_object_get(in, "view_range");

	if (v == NULL || json_is_null(v) ||
	    (json_is_array(v) && json_array_size(v) == 0))
		return 0;
	if (!json_is_array(v) || json_array_size(v) != 2 ||
	    tool_read_line_number(json_array_get(v, 0), first) != 0 ||
	    tool_read_line_number(json_array_get(v, 1), last) != 0) {
		tool_fail(r, "read: view_range must be [start_line, end_line]");
		return -1;
	}
	return 1;
}

/* Read a file, or a range of its lines. */
int
tool_read_run(struct toolbox *tb, json_t *in, struct cancel *cancel,
    struct tool_result *r, char **cause)
{
	struct tool_lines	 tl;
	struct wspath		 wp;
	struct stat		 st;
	struct buf		 out;
	char			 chunk[TOOL_READ_CHUNK];
	const char		*p;
	size_t			 len;
	ssize_t			 n;
	int64_t			 first = 0, last = 0, scanned = 0;
	int			 ranged, fd, error;

	if (tool_input_string(in, "read", "file_path", &p, &len, r) < 0)
		return 0;
	if (p == NULL || len == 0) {
		tool_fail(r, "read: file_path is required");
		return 0;
	}
	if ((error = tool_resolve(tb, p, len, 0, &wp, r)) == -1)
		return 0;
	if ((ranged = tool_read_range(in, &first, &last, r)) < 0) {
		wspath_clear(&wp);
		return 0;
	}
	if ((fd = tool_open_file("read", p, error, &wp, &st, r)) == -1)
		return 0;
	wspath_clear(&wp);
	if (tool_foreign_link(tb, &st)) {
		close(fd);
		tool_fail(r, "read: %s has other hard links and does not "
		    "belong to the sandbox user; refusing to read it", p);
		return 0;
	}
	if (st.st_size > tb->max_file && !ranged) {
		close(fd);
		tool_fail(r, "read: %s is %lld bytes, exceeds %lld-byte limit. "
		    "Use the view_range parameter to read specific line "
		    "ranges, e.g. view_range: [1, 500].", p,
		    (long long)st.st_size,
		    (long long)tb->max_file);
		return 0;
	}

	buf_init(&out, BUF_UNBOUNDED);
	memset(&tl, 0, sizeof tl);
	tl.start = ranged && first > 1 ? first - 1 : 0;
	tl.end = ranged && last > 0 ? last : INT64_MAX;
	tl.limit = st.st_size > tb->max_file ? tb->max_file : -1;
	tl.out = &out;
	error = 0;
	while (tl.end > tl.start) {
		if ((n = read(fd, chunk, sizeof chunk)) < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			error = n < 0 ? errno : 0;
			break;
		}
		scanned += n;
		if (tool_lines_feed(&tl, chunk, (size_t)n))
			break;
		if (!ranged && (int64_t)out.len > tb->max_file)
			break;	/* it grew since fstat; keep the cap */
		if (scanned >= TOOL_SCAN_MAX ||
		    (cancel != NULL && cancel_fired(cancel))) {
			error = ECANCELED;
			break;
		}
	}
	close(fd);
	if (tl.over && tl.end - tl.start == 1)
		tool_fail(r, "read: line %lld of %s alone exceeds %lld-byte "
		    "limit. The read tool cannot return part of a line, so "
		    "view_range cannot narrow this further.",
		    (long long)tl.start + 1, p, (long long)tb->max_file);
	else if (tl.over)
		tool_fail(r, "read: view_range [%lld, %lld] of %s exceeds "
		    "%lld-byte limit. Narrow the view_range to read a smaller "
		    "portion.", (long long)first, (long long)last, p,
		    (long long)tb->max_file);
	else if (error == ECANCELED)
		tool_fail(r, "read: stopped after scanning %lld bytes of %s; "
		    "the view_range lies too far into the file", (long long)
		    scanned, p);
	else if (error != 0)
		tool_fail(r, "read: %s: %s", p, tool_errno_text(error));
	else
		tool_ok_buf(r, &out);
	buf_clear(&out);
	return 0;
}
