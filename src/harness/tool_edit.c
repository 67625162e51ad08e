/* ISC licence: see COPYING.  The edit tool. */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "harness/tool_impl.h"

/* Non-overlapping occurrences of needle, left to right (JS split). */
static size_t
tool_edit_count(const char *hay, size_t hlen, const char *needle,
    size_t nlen)
{
	const char	*p = hay, *end = hay + hlen, *q;
	size_t		 n = 0;

	while ((size_t)(end - p) >= nlen &&
	    (q = memmem(p, (size_t)(end - p), needle, nlen)) != NULL) {
		n++;
		p = q + nlen;
	}
	return n;
}

/* Replace the first (or every) occurrence, inserting new literally. */
static void
tool_edit_replace(const char *hay, size_t hlen, const char *old,
    size_t olen, const char *new, size_t nlen, int all, struct buf *out)
{
	const char	*p = hay, *end = hay + hlen, *q;
	int		 rv = 0;

	while ((size_t)(end - p) >= olen &&
	    (q = memmem(p, (size_t)(end - p), old, olen)) != NULL) {
		rv |= buf_append(out, p, (size_t)(q - p));
		rv |= buf_append(out, new, nlen);
		p = q + olen;
		if (!all)
			break;
	}
	rv |= buf_append(out, p, (size_t)(end - p));
	if (rv != 0)
		fatalx("edit: buffer overflow");
}

/* Replace old_string with new_string in a file. */
int
tool_edit_run(struct toolbox *tb, json_t *in, struct cancel *cancel,
    struct tool_result *r, char **cause)
{
	struct wspath	 wp;
	struct stat	 st;
	struct buf	 data, out;
	const char	*p, *old, *new;
	size_t		 len, olen, nlen, count;
	int		 all, fd, error;

	if (tool_input_string(in, "edit", "file_path", &p, &len, r) < 0)
		return 0;
	if (p == NULL || len == 0) {
		tool_fail(r, "edit: file_path is required");
		return 0;
	}
	if (tool_input_string(in, "edit", "old_string", &old, &olen, r) < 0)
		return 0;
	if (old == NULL || olen == 0) {
		tool_fail(r, "edit: old_string is required");
		return 0;
	}
	if (tool_input_string(in, "edit", "new_string", &new, &nlen, r) < 0)
		return 0;
	if (new == NULL) {
		tool_fail(r, "edit: new_string is required");
		return 0;
	}
	all = tool_input_truthy(in, "replace_all");
	if ((error = tool_resolve(tb, p, len, 0, &wp, r)) == -1)
		return 0;
	if ((fd = tool_open_file("edit", p, error, &wp, &st, r)) == -1)
		return 0;
	if (st.st_size > tb->max_file) {
		tool_fail(r, "edit: %s is %lld bytes, exceeds %lld-byte limit. "
		    "The edit tool loads the whole file and cannot modify a "
		    "file this large.", p, (long long)st.st_size,
		    (long long)tb->max_file);
		goto out;
	}
	if (tool_foreign_link(tb, &st)) {
		tool_fail(r, "edit: %s has other hard links and does not "
		    "belong to the sandbox user; refusing to edit it", p);
		goto out;
	}
	buf_init(&data, BUF_UNBOUNDED);
	if ((error = tool_read_all(fd, tb->max_file, &data)) != 0) {
		tool_fail(r, "edit: %s: %s", p, tool_errno_text(error));
		buf_clear(&data);
		goto out;
	}
	count = tool_edit_count(data.data, data.len, old, olen);
	if (count == 0)
		tool_fail(r, "edit: old_string not found in %s", p);
	else if (count > 1 && !all)
		tool_fail(r, "edit: old_string appears %zu times in %s (must "
		    "be unique)", count, p);
	else {
		buf_init(&out, BUF_UNBOUNDED);
		tool_edit_replace(data.data, data.len, old, olen, new, nlen,
		    all, &out);
		/* The file keeps its permissions and owner. */
		error = wspath_write(wp.dirfd, wp.name, buf_cstr(&out),
		    out.len, st.st_mode & 0777, &tb->owner, st.st_uid,
		    st.st_gid);
		buf_clear(&out);
		if (error != 0)
			tool_fail(r, "edit: write: %s: %s", p,
			    tool_errno_text(error));
		else
			tool_okf(r, "edited %s (%zu replacement(s))", p,
			    all ? count : 1);
	}
	buf_clear(&data);
out:
	close(fd);
	wspath_clear(&wp);
	return 0;
}
