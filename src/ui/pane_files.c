/* ISC licence: see COPYING.  The files a session touched. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "model/diff.h"
#include "model/files.h"
#include "ui/console_int.h"
#include "ui/draw.h"

/* Net line counts of one file, kept until the file changes again. */
struct files_row {
	size_t	ops;		/* reads + writes + edits when counted */
	long	added;		/* -1: not known */
	long	removed;
};

struct fpane {
	struct console		*con;
	char			*session;
	struct files_row	*rows;
	size_t			 nrows;
	size_t			 sel;
	size_t			 top;
	int			 h;
};

/* The session, or NULL if it went away. */
static struct console_session *
fpane_session(struct fpane *fp)
{
	return console_find(fp->con, fp->session);
}

/* The counts of file i (a diff when its content changed). */
static struct files_row *
fpane_row(struct fpane *fp, const struct files *fs, size_t i)
{
	const struct files_file	*f = files_at(fs, i);
	struct diff		*df;
	size_t			 ops = f->reads + f->writes + f->edits;

	if (i >= fp->nrows) {
		fp->rows = xreallocarray(fp->rows, i + 1, sizeof *fp->rows);
		memset(&fp->rows[fp->nrows], 0, (i + 1 - fp->nrows) *
		    sizeof *fp->rows);
		for (size_t k = fp->nrows; k <= i; k++)
			fp->rows[k].ops = (size_t)-1;
		fp->nrows = i + 1;
	}
	if (fp->rows[i].ops != ops) {
		fp->rows[i].ops = ops;
		fp->rows[i].added = fp->rows[i].removed = -1;
		if ((df = files_net_diff(fs, i, 0)) != NULL) {
			fp->rows[i].added = (long)df->added;
			fp->rows[i].removed = (long)df->removed;
			diff_free(df);
		}
	}
	return &fp->rows[i];
}

/* What is known of a file, in a word. */
static const char *
fpane_word(const struct files_file *f)
{
	if (!f->changed)
		return "read";
	if (!f->current_known)
		return "unknown";
	if (f->created)
		return "new";
	return f->initial_known ? "changed" : "written";
}

/* Draw the list. */
static void
fpane_draw(struct pane *p, const struct pane_frame *fr)
{
	struct fpane		*fp = p->data;
	struct console_session	*cs = fpane_session(fp);
	struct draw_opts	 o = { .flags = DRAW_ONELINE | DRAW_ELLIPSIS };
	const struct files_file	*f;
	struct files_row	*r;
	char			 buf[64];
	int			 w = canvas_region_width(&fr->body);
	int			 h = canvas_region_height(&fr->body), y;
	size_t			 n;
	uint16_t		 st;

	o.theme = ui_theme(p->ui);
	canvas_fill(&fr->body, 0, 0, w, h, UI_STYLE_NORMAL);
	canvas_fill(&fr->body, 0, 0, w, 1, UI_STYLE_COLUMN);
	draw_text(&fr->body, 2, 0, -1, UI_STYLE_COLUMN, "STATE");
	draw_text(&fr->body, 11, 0, -1, UI_STYLE_COLUMN, "+/-");
	draw_text(&fr->body, 24, 0, -1, UI_STYLE_COLUMN, "R/W/E");
	draw_text(&fr->body, 36, 0, -1, UI_STYLE_COLUMN, "PATH");
	fp->h = h - 1;
	n = cs != NULL ? files_count(cs->files) : 0;
	if (n == 0) {
		draw_text(&fr->body, 2, 1, -1, UI_STYLE_DIM,
		    "no file read, written or edited yet");
		return;
	}
	if (fp->sel >= n)
		fp->sel = n - 1;
	if (fp->sel < fp->top)
		fp->top = fp->sel;
	if (fp->sel >= fp->top + (size_t)fp->h)
		fp->top = fp->sel - (size_t)fp->h + 1;
	for (y = 1; y < h && fp->top + (size_t)(y - 1) < n; y++) {
		size_t	i = fp->top + (size_t)(y - 1);

		f = files_at(cs->files, i);
		r = fpane_row(fp, cs->files, i);
		st = i == fp->sel ? UI_STYLE_SELECTED : UI_STYLE_NORMAL;
		canvas_fill(&fr->body, 0, y, w, 1, st);
		draw_text(&fr->body, 2, y, 8, st, fpane_word(f));
		if (r->added >= 0) {
			snprintf(buf, sizeof buf, "+%ld", r->added);
			draw_text(&fr->body, 11, y, 6, i == fp->sel ? st :
			    UI_STYLE_DIFF_ADD, buf);
			snprintf(buf, sizeof buf, "-%ld", r->removed);
			draw_text(&fr->body, 17, y, 6, i == fp->sel ? st :
			    UI_STYLE_DIFF_DEL, buf);
		}
		snprintf(buf, sizeof buf, "%zu/%zu/%zu", f->reads, f->writes,
		    f->edits);
		draw_text(&fr->body, 24, y, 11, st, buf);
		draw_untrusted(&fr->body, 36, y, w - 36, st, f->path,
		    strlen(f->path), &o, NULL);
	}
}

/* Enter: the file's net diff, or why there is none. */
static void
fpane_open(struct pane *p, struct fpane *fp)
{
	struct console_session	*cs = fpane_session(fp);
	const struct files_file	*f;
	struct diff		*df;
	struct buf		 out;
	char			*title;

	if (cs == NULL || (f = files_at(cs->files, fp->sel)) == NULL)
		return;
	buf_init(&out, BUF_UNBOUNDED);
	if ((df = files_net_diff(cs->files, fp->sel, DIFF_CONTEXT)) != NULL) {
		if (diff_unified(df, f->initial_known ? f->path : "/dev/null",
		    f->path, &out) != 0 || (df->nhunks == 0 &&
		    buf_puts(&out, "no net change\n") != 0))
			buf_reset(&out);
		diff_free(df);
	} else if (!f->changed) {
		if (buf_puts(&out, "read only, never changed\n") != 0)
			buf_reset(&out);
	} else if (buf_printf(&out, "The content is not known: %s.\n"
	    "It becomes known again after a full read or a write.\n",
	    !f->current_known ? "an edit was made to content never read, "
	    "or that no longer matched" : "it was never read before the "
	    "session changed it") != 0)
		buf_reset(&out);
	xasprintf(&title, "net diff: %s", f->path);
	ui_push(p->ui, pane_text_create(p->ui, title, out.data != NULL ?
	    buf_steal(&out, NULL) : xstrdup(""), 1));
	free(title);
}

/* Keys. */
static int
fpane_action(struct pane *p, enum ui_action a, int arg)
{
	struct fpane		*fp = p->data;
	struct console_session	*cs = fpane_session(fp);
	size_t			 n = cs != NULL ? files_count(cs->files) : 0;

	if (pane_list_move(a, n, (size_t)AD_MAX(fp->h, 1), &fp->sel))
		return 1;
	switch (a) {
	case UI_ACT_OPEN:
		fpane_open(p, fp);
		return 1;
	case UI_ACT_BACK:
	case UI_ACT_QUIT:
		ui_pop(p->ui);
		return 1;
	default:
		return 0;
	}
}

/* List keys and global keys. */
static int
fpane_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_LIST;
	v[1] = UI_CTX_GLOBAL;
	return 2;
}

/* The breadcrumb. */
static void
fpane_crumb(struct pane *p, char *buf, size_t size)
{
	str_lcpy(buf, "files", size);
}

/* Free the pane. */
static void
fpane_free(struct pane *p)
{
	struct fpane	*fp = p->data;

	free(fp->session);
	free(fp->rows);
	free(fp);
	free(p);
}

/* y: the selected file's path. */
static int
fpane_copy(struct pane *p, char *buf, size_t size)
{
	struct fpane			*fp = p->data;
	struct console_session		*cs = fpane_session(fp);
	const struct files_file		*f;

	if (cs == NULL || (f = files_at(cs->files, fp->sel)) == NULL)
		return 0;
	str_lcpy(buf, f->path, size);
	return 1;
}

static const struct pane_ops fpane_ops = {
	.name = "files",
	.contexts = fpane_contexts,
	.draw = fpane_draw,
	.action = fpane_action,
	.copy = fpane_copy,
	.crumb = fpane_crumb,
	.free = fpane_free,
};

/* The files view of a session. */
struct pane *
pane_files_create(struct console *con, struct console_session *cs)
{
	struct pane	*p;
	struct fpane	*fp;

	fp = xcalloc(1, sizeof *fp);
	fp->con = con;
	fp->session = xstrdup(cs->id);
	p = pane_create(con->ui, &fpane_ops, fp, 0);
	return p;
}
