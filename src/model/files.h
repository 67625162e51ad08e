/*
 * files.h -- the files a session touched, rebuilt from its events.
 *
 * The built-in tools say what the agent did to files: "read" results
 * carry a file's text, "write" inputs its whole new content, "edit"
 * inputs a replacement.  Fed the session's events in log order,
 * files_apply() keeps for every path what is known of its content
 * before the session changed it (the first full read, if one came before
 * any change) and now, and every write and edit that succeeded (a result
 * without is_error; a denied call never runs and has no effect).  Net
 * diffs per file come from diff.h.
 *
 * What is not known is said, never guessed: a file first written with
 * no read before is "new or unknown before"; an edit to a file whose
 * content is not known (or no longer matches the edit) leaves the
 * content unknown until the next full read or write.  Changes made by
 * other means (bash, MCP tools) are invisible until a later read.
 *
 * Pure: no I/O.  Used by the console (files view, inline diffs) and by
 * the post-mortem report and "pilothouse files".
 */
#ifndef PILOTHOUSE_FILES_H
#define PILOTHOUSE_FILES_H

#include <stddef.h>

#include "model/diff.h"
#include "wire/api_event.h"

#define FILES_MAX_KEPT	(64 * 1024 * 1024)	/* bytes of old versions */

enum files_kind {
	FILES_READ,
	FILES_WRITE,
	FILES_EDIT
};

/* One successful write or edit. */
struct files_op {
	enum files_kind	 kind;
	char		*use_id;	/* the agent.tool_use event id */
	size_t		 file;		/* index for files_at() */
	/* The content before a write, when known and kept. */
	char		*before;
	size_t		 beforelen;
	int		 before_known;
};

struct files_file {
	char		*path;
	char		*initial;	/* content before any change */
	size_t		 initiallen;
	int		 initial_known;
	char		*current;	/* content now */
	size_t		 currentlen;
	int		 current_known;
	int		 created;	/* first change found nothing known */
	int		 changed;	/* written or edited at least once */
	size_t		 reads, writes, edits;
	size_t		 failed;	/* uses that ended in is_error */
};

struct files;

struct files	*files_create(void);
void		 files_free(struct files *);
/* Feed one event in log order; returns 1 if a file's state changed. */
int		 files_apply(struct files *, struct api_event *);
/* Non-zero when files_apply looks into this event's body; a head
 * (api_event_head) is enough to ask. */
int		 files_needs_body(const struct files *,
		    const struct api_event *);
size_t		 files_count(const struct files *);
/* Files in the order they were first touched.  Borrowed; valid until
 * the next files_apply or files_free. */
const struct files_file *files_at(const struct files *, size_t);
const struct files_file *files_find(const struct files *, const char *);
/* The write or edit made by a tool use event, or NULL. */
const struct files_op *files_op(const struct files *, const char *);
/*
 * The net diff of a file: initial to current content (a file created by
 * the session diffs from nothing).  NULL when either side is unknown.
 * Caller frees with diff_free; it borrows from the file (valid until
 * the next files_apply).
 */
struct diff	*files_net_diff(const struct files *, size_t, int);

#endif
