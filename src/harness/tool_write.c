/* ISC licence: see COPYING.  The write tool. */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <string.h>

#include "harness/tool_impl.h"

/* Replace (or create) a whole file, atomically. */
int
tool_write_run(struct toolbox *tb, json_t *in, struct cancel *cancel,
    struct tool_result *r, char **cause)
{
	struct wspath	 wp;
	const char	*p, *content;
	size_t		 len, clen;
	mode_t		 mode = 0600;
	uid_t		 uid = tb->owner.uid;
	gid_t		 gid = tb->owner.gid;
	int		 error;

	if (tool_input_string(in, "write", "file_path", &p, &len, r) < 0)
		return 0;
	if (p == NULL || len == 0) {
		tool_fail(r, "write: file_path is required");
		return 0;
	}
	if (tool_input_string(in, "write", "content", &content, &clen, r) < 0)
		return 0;
	if (content == NULL) {
		tool_fail(r, "write: content is required");
		return 0;
	}
	if ((error = tool_resolve(tb, p, len, WSPATH_MKDIR, &wp, r)) == -1)
		return 0;
	if (error == 0 && (wp.name[0] == '\0' ||
	    (wp.exists && S_ISDIR(wp.st.st_mode))))
		error = EISDIR;
	/* An existing file keeps its permissions (as the reference's stat
	 * of whatever is there), and a regular one its owner. */
	if (error == 0 && wp.exists)
		mode = wp.st.st_mode & 0777;
	if (error == 0 && wp.exists && S_ISREG(wp.st.st_mode)) {
		if (tool_foreign_link(tb, &wp.st)) {
			tool_fail(r, "write: %s has other hard links and does "
			    "not belong to the sandbox user; refusing to "
			    "replace it", p);
			wspath_clear(&wp);
			return 0;
		}
		uid = wp.st.st_uid;
		gid = wp.st.st_gid;
	}
	if (error == 0)
		error = wspath_write(wp.dirfd, wp.name, content, clen, mode,
		    &tb->owner, uid, gid);
	wspath_clear(&wp);
	if (error != 0)
		tool_fail(r, "write: %s: %s", p, tool_errno_text(error));
	else
		tool_okf(r, "wrote %zu bytes to %s", clen, p);
	return 0;
}
