/*
 * tool_impl.h -- what toolbox.c and the tool_*.c files share: the
 * toolbox itself, each tool's entry point, and the helpers that give
 * every tool the same input checks, path handling and error wordings
 * (harness.md section 1, which copies the reference toolset's).
 *
 * Not for use outside src/harness: the public contract is tool.h.
 */
#ifndef PILOTHOUSE_TOOL_IMPL_H
#define PILOTHOUSE_TOOL_IMPL_H

#include <sys/stat.h>

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/cancel.h"
#include "base/compiler.h"
#include "harness/sandbox.h"
#include "harness/tool.h"
#include "harness/wspath.h"

#define TOOL_MAX_FILE		(256 * 1024)	/* read/edit whole-file cap */
#define TOOL_BASH_OUTPUT	(100 * 1024)	/* bash output kept (tail) */
#define TOOL_BASH_TIMEOUT	120000		/* default timeout_ms */
#define TOOL_BASH_TIMEOUT_MAX	600000		/* cap on timeout_ms */
#define TOOL_GREP_OUTPUT	(100 * 1024)	/* grep output budget */
#define TOOL_GREP_TIMEOUT_MS	60000
#define TOOL_GREP_MAX_LINE	2000		/* UTF-16 units */
#define TOOL_GLOB_RESULTS	200
#define TOOL_SCAN_MAX		(1LL << 30)	/* read: bytes scanned for a
						   view_range of a big file */

struct toolbox {
	char			*workspace;	/* canonical host path */
	int			 wsfd;		/* O_PATH|O_DIRECTORY */
	struct sandbox		*sb;
	const char		*root;		/* the workspace as the model
						   sees it (sandbox_root) */
	struct wspath_owner	 owner;		/* who new files belong to */
	char			*cwd;		/* bash: carried directory */
	char			*env;		/* bash: carried exports */
	int64_t			 max_file;	/* read/edit cap */
};

typedef int	(*tool_run_fn)(struct toolbox *, json_t *, struct cancel *,
		    struct tool_result *, char **);

int	 tool_bash_run(struct toolbox *, json_t *, struct cancel *,
	    struct tool_result *, char **);
int	 tool_read_run(struct toolbox *, json_t *, struct cancel *,
	    struct tool_result *, char **);
int	 tool_write_run(struct toolbox *, json_t *, struct cancel *,
	    struct tool_result *, char **);
int	 tool_edit_run(struct toolbox *, json_t *, struct cancel *,
	    struct tool_result *, char **);
int	 tool_glob_run(struct toolbox *, json_t *, struct cancel *,
	    struct tool_result *, char **);
int	 tool_grep_run(struct toolbox *, json_t *, struct cancel *,
	    struct tool_result *, char **);

/* Open wp's regular file (O_RDONLY|O_NONBLOCK, the inode the walk saw);
 * -1 with errno, EINVAL when it is not a regular file. */
int	 tool_open_regular(const struct wspath *, struct stat *);
/*
 * Open the regular file a tool_resolve led to (error is what it
 * returned: 0, ENOENT or ENOTDIR).  Returns the descriptor; or -1 with
 * "TOOL: <p> is not a regular file" or "TOOL: <p>: <error>" set and wp
 * cleared.
 */
int	 tool_open_file(const char *, const char *, int, struct wspath *,
	    struct stat *, struct tool_result *);
/* Resolve the search root of glob and grep: p, or the workspace when it
 * is absent or empty.  As tool_resolve. */
int	 tool_search_root(struct toolbox *, const char *, size_t,
	    struct wspath *, struct tool_result *);
/* Non-zero for a hard-linked file the sandbox user does not own. */
int	 tool_foreign_link(const struct toolbox *, const struct stat *);
/* Read fd into b, at most max bytes: 0 or an errno value. */
int	 tool_read_all(int, int64_t, struct buf *);

/* Append bytes (NULs included) to an unbounded buffer. */
void	 tool_emit_mem(struct buf *, const void *, size_t);

/* Set a success result to len bytes of text (copied). */
void	 tool_ok(struct tool_result *, const char *, size_t);
/* Set a success result from b (its contents are taken). */
void	 tool_ok_buf(struct tool_result *, struct buf *);
/* Set a formatted success result. */
void	 tool_okf(struct tool_result *, const char *, ...)
	    AD_PRINTFLIKE(2, 3);
/* Set an error result. */
void	 tool_fail(struct tool_result *, const char *, ...)
	    AD_PRINTFLIKE(2, 3);
/* Set an error result from b (taken). */
void	 tool_fail_buf(struct tool_result *, struct buf *);

/*
 * The string input key: 0 with *s (borrowed) and *len, 1 when absent or
 * null, -1 (and an error result "TOOL: KEY must be a string") otherwise.
 */
int	 tool_input_string(json_t *, const char *, const char *,
	    const char **, size_t *, struct tool_result *);
/* JavaScript truthiness of an optional input (absent is false). */
int	 tool_input_truthy(json_t *, const char *);

/*
 * Resolve the path input p (len bytes) as the reference's resolvePath
 * does, with wspath flags.  On failure sets the error result (the
 * confinement errors name the path as given, with no tool prefix) and
 * returns -1.
 */
int	 tool_resolve(struct toolbox *, const char *, size_t, int,
	    struct wspath *, struct tool_result *);
/* "<p>: no such file or directory" and the other fixed wordings. */
const char *tool_errno_text(int);
/* The model-visible path of canon ("/workspace/a/b"), into b. */
void	 tool_visible_path(const struct toolbox *, const char *,
	    struct buf *);
/* Append s as JSON.stringify would quote it. */
void	 tool_quote(struct buf *, const char *, size_t);
/* Length of valid UTF-8 text in UTF-16 code units (JS .length). */
size_t	 tool_utf16_len(const char *, size_t);
/* Append len bytes as UTF-8, each invalid sequence replaced by U+FFFD
 * the way TextDecoder (and Node's Buffer.toString) does it. */
void	 tool_utf8_append(struct buf *, const char *, size_t);

#endif
