/*
 * report.h -- the post-mortem of a cached session: its Markdown report
 * and the files it touched.
 *
 * Both fold the session's events in log order through the reducer
 * (model/session.h) and the file model (model/files.h), the code the
 * console uses, so every number is the console's.  Untrusted text is
 * made inert with base/sanitize.h and escaped for Markdown.
 */
#ifndef PILOTHOUSE_REPORT_H
#define PILOTHOUSE_REPORT_H

#include <stdio.h>

#include "base/buf.h"
#include "model/files.h"
#include "store/store.h"

/* Write the Markdown report of a cached session to f; -1 with *cause. */
int		 report_markdown(struct store *, const char *, FILE *, char **);
/* Rebuild the files a session touched; NULL with *cause.  Caller frees
 * with files_free. */
struct files	*report_files(struct store *, const char *, char **);
/* Append s as inert, single-line Markdown text (at most max bytes of
 * it, cut at a character). */
void		 report_md_inline(struct buf *, const char *, size_t, size_t);
/* Append s as an inert fenced code block with an info string. */
void		 report_md_block(struct buf *, const char *, size_t,
		    const char *);

#endif
