/*
 * ISC licence: see COPYING.  A small program that puts the ui layer (a
 * real backend, the loop, the keymap, the canvas) on a real terminal,
 * for the tmux tests: it shows hostile text read from a file, an
 * alignment line of wide and combining characters, the terminal size and
 * the last key or action it received.  "q" quits.
 *
 * usage: ui_probe BACKEND [FILE]
 */

#include "config.h"

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/loop.h"
#include "base/xmalloc.h"
#include "ui/draw.h"
#include "ui/ui.h"

struct probe {
	struct buf	text;		/* the hostile file */
	char		last[64];	/* last key or action */
	int		nkeys;
};

/* Contexts: the global ones only. */
static int
probe_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_GLOBAL;
	return 1;
}

/* Draw everything. */
static void
probe_draw(struct pane *p, const struct pane_frame *f)
{
	struct probe		*pr = p->data;
	struct draw_opts	 o = { .flags = DRAW_SGR };
	const struct canvas_region *b = &f->body;
	char			 line[128];
	const char		*s = pr->text.data;
	size_t			 left = pr->text.len, used;
	int			 w = canvas_region_width(b), y;

	o.theme = ui_theme(p->ui);
	canvas_fill(b, 0, 0, w, canvas_region_height(b), UI_STYLE_NORMAL);
	snprintf(line, sizeof line, "probe ready size %dx%d keys %d last %s",
	    canvas_width(b->c), canvas_height(b->c), pr->nkeys, pr->last);
	draw_text(b, 0, 0, w, UI_STYLE_BOLD, line);
	/* Wide, combining, emoji: |END must land in column 20. */
	draw_text(b, 0, 1, w, UI_STYLE_NORMAL, "\xe4\xb8\xad\xe6\x96\x87"
	    "e\xcc\x81\xf0\x9f\x91\xa8\xe2\x80\x8d\xf0\x9f\x91\xa9\xe2\x80\x8d"
	    "\xf0\x9f\x91\xa7\xf0\x9f\x87\xab\xf0\x9f\x87\xb7" "abcdefghi");
	draw_text(b, 20, 1, w, UI_STYLE_NORMAL, "|END");
	for (y = 2; left > 0 && y < canvas_region_height(b); y++) {
		draw_untrusted(b, 0, y, w, UI_STYLE_NORMAL, s, left, &o,
		    &used);
		s += used;
		left -= used;
	}
}

/* Record the action; let the ui quit, help and take commands. */
static int
probe_action(struct pane *p, enum ui_action a, int arg)
{
	struct probe	*pr = p->data;

	if (a == UI_ACT_QUIT || a == UI_ACT_DETACH || a == UI_ACT_HELP ||
	    a == UI_ACT_COMMAND || a == UI_ACT_REPAINT)
		return 0;
	pr->nkeys++;
	snprintf(pr->last, sizeof pr->last, "action-%s",
	    keymap_action_name(a));
	return 1;
}

/* Record an unbound key. */
static int
probe_key(struct pane *p, const struct ui_input *in)
{
	struct probe	*pr = p->data;
	char		 name[UI_KEY_NAME_MAX];

	pr->nkeys++;
	snprintf(pr->last, sizeof pr->last, "key-%s", ui_key_name(in->key,
	    in->mods, name, sizeof name));
	return 1;
}

/* The breadcrumb. */
static void
probe_crumb(struct pane *p, char *buf, size_t size)
{
	snprintf(buf, size, "probe");
}

/* Free the pane. */
static void
probe_free(struct pane *p)
{
	struct probe	*pr = p->data;

	buf_clear(&pr->text);
	free(pr);
	free(p);
}

static const struct pane_ops probe_ops = {
	.name = "probe",
	.contexts = probe_contexts,
	.draw = probe_draw,
	.action = probe_action,
	.key = probe_key,
	.crumb = probe_crumb,
	.free = probe_free,
};

/* Quit hook. */
static void
probe_quit(void *arg, struct ui *ui)
{
	loop_exit(ui_loop(ui), 0);
}

int
main(int argc, char **argv)
{
	struct ui_options	 opt = { .depth = -1 };
	struct ui_hooks		 hooks = { .quit = probe_quit };
	struct loop		*loop;
	struct ui		*ui;
	struct pane		*p;
	struct probe		*pr;
	char			*cause = NULL;
	int			 rv;

	if (argc < 2) {
		fprintf(stderr, "usage: ui_probe BACKEND [FILE]\n");
		return 2;
	}
	setlocale(LC_ALL, "");
	pr = xcalloc(1, sizeof *pr);
	buf_init(&pr->text, 4 << 20);
	snprintf(pr->last, sizeof pr->last, "none");
	if (argc > 2 && io_read_file(argv[2], 4 << 20, &pr->text,
	    &cause) != 0) {
		fprintf(stderr, "ui_probe: %s\n", cause);
		return 1;
	}
	loop = loop_create();
	opt.backend = argv[1];
	ui = ui_create(loop, &opt, keymap_create(), &hooks, &cause);
	if (ui == NULL) {
		fprintf(stderr, "ui_probe: %s\n", cause);
		return 1;
	}
	p = pane_create(ui, &probe_ops, pr, 0);
	ui_push(ui, p);
	rv = loop_run(loop);
	ui_free(ui);
	loop_free(loop);
	return rv;
}
