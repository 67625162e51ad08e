/* ISC licence: see COPYING.  The screen, the pane stack and the loop. */

#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/loop.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/draw.h"
#include "ui/layout.h"
#include "ui/pane_help.h"
#include "ui/pane_prompt.h"
#include "ui/ui.h"
#include "ui/width.h"

#define UI_MAX_PANES	32
#define UI_MAX_TOAST	256
#define UI_MAX_CHAIN	8
#define UI_MAX_HISTORY	64	/* entries per prompt */
#define UI_MAX_HISTORIES 8	/* prompt labels */

struct ui_history {
	char	*label;
	char	*items[UI_MAX_HISTORY];	/* oldest first */
	int	 n;
};

struct ui {
	struct loop		*loop;
	struct ui_backend	*backend;
	struct canvas		*canvas;
	struct theme		*theme;
	struct keymap		*keymap;
	struct ui_hooks		 hooks;
	struct ui_options	 opt;
	struct layout		 layout;

	struct pane		*panes[UI_MAX_PANES];
	int			 npanes;
	struct pane		*dead[UI_MAX_PANES];	/* to free later */
	int			 ndead;

	struct loop_io		*io;		/* terminal input */
	struct loop_timer	*frame_timer;	/* coalesced redraw */
	struct loop_timer	*esc_timer;	/* pending partial input */
	struct loop_timer	*toast_timer;
	int			 dirty;
	int64_t			 last_frame;	/* ms */
	uint64_t		 frames;

	char			 toast[UI_MAX_TOAST];
	int			 toast_error;

	struct ui_history	 hist[UI_MAX_HISTORIES];
};

static void	ui_reap(struct ui *);

/* Steering actions: refused in read-only mode, hidden from hints. */
int
ui_action_steers(enum ui_action a)
{
	switch (a) {
	case UI_ACT_STEER:
	case UI_ACT_INTERRUPT:
	case UI_ACT_ESC_INTERRUPT:
	case UI_ACT_APPROVE:
	case UI_ACT_DENY:
	case UI_ACT_DENY_REASON:
	case UI_ACT_APPROVE_BATCH:
	case UI_ACT_CUSTOM_RESULT:
	case UI_ACT_CARD_ALLOW:
	case UI_ACT_CARD_DENY:
	case UI_ACT_CARD_DENY_REASON:
	case UI_ACT_CARD_PRESS:
		return 1;
	default:
		return 0;
	}
}

/* Draw a frame when the coalescing timer fires. */
static void
ui_frame_cb(struct loop_timer *t, void *arg)
{
	ui_frame(arg);
}

/* The toast's time is up. */
static void
ui_toast_cb(struct loop_timer *t, void *arg)
{
	struct ui	*ui = arg;

	ui->toast[0] = '\0';
	ui_dirty(ui);
}

/* Re-arm the Esc timer if the backend holds partial input. */
static void
ui_arm_esc(struct ui *ui)
{
	int	ms = ui_backend_timeout(ui->backend);

	if (ms >= 0)
		loop_timer_arm(ui->esc_timer, ms);
	else
		loop_timer_disarm(ui->esc_timer);
}

/* Handle a batch of decoded input. */
static void
ui_handle(struct ui *ui, struct ui_input *ev, int n)
{
	for (int i = 0; i < n; i++)
		ui_input(ui, &ev[i]);
}

/* Handle the input the backend holds now. */
void
ui_drain(struct ui *ui)
{
	struct ui_input	ev[UI_INPUT_BATCH];
	int		n;

	do {
		n = ui_backend_read(ui->backend, ev, UI_INPUT_BATCH);
		ui_handle(ui, ev, n);
	} while (n == UI_INPUT_BATCH);
	ui_arm_esc(ui);
}

/* The terminal has input. */
static void
ui_io_cb(struct loop_io *io, int fd, int events, void *arg)
{
	ui_drain(arg);
}

/* Partial input timed out: it was typed as is (a lone Esc). */
static void
ui_esc_cb(struct loop_timer *t, void *arg)
{
	struct ui	*ui = arg;
	struct ui_input	 ev[UI_INPUT_BATCH];
	int		 n;

	n = ui_backend_expire(ui->backend, ev, UI_INPUT_BATCH);
	ui_handle(ui, ev, n);
	ui_arm_esc(ui);
}

/* The terminal changed size: relayout at once (not at the next tick). */
void
ui_resized(struct ui *ui)
{
	ui_backend_resize(ui->backend);
	canvas_resize(ui->canvas, ui->backend->w, ui->backend->h);
	ui_dirty(ui);
	ui_frame(ui);
}

/* SIGWINCH, delivered on the loop thread. */
static void
ui_winch_cb(int sig, void *arg)
{
	ui_resized(arg);
}

/* Set up the screen. */
struct ui *
ui_create(struct loop *loop, const struct ui_options *opt, struct keymap *km,
    const struct ui_hooks *hooks, char **cause)
{
	struct ui_backend_options	 bo;
	struct ui			*ui;
	enum theme_depth		 depth;
	char				*why = NULL;
	int				 fd;

	ui = xcalloc(1, sizeof *ui);
	ui->loop = loop;
	ui->opt = *opt;
	ui->frame_timer = loop_timer_create(loop, ui_frame_cb, ui);
	ui->esc_timer = loop_timer_create(loop, ui_esc_cb, ui);
	ui->toast_timer = loop_timer_create(loop, ui_toast_cb, ui);
	ui->keymap = km;
	if (hooks != NULL)
		ui->hooks = *hooks;
	depth = opt->depth >= 0 ? (enum theme_depth)opt->depth :
	    theme_depth_detect();
	ui->theme = theme_load(opt->theme != NULL ? opt->theme : "default",
	    depth, opt->ascii, &why);
	if (ui->theme == NULL) {
		ui->theme = theme_builtin(depth, opt->ascii);
		ui_toast(ui, 1, "%s; using the plain theme", why);
		free(why);
	}
	memset(&bo, 0, sizeof bo);
	bo.mouse = opt->mouse;
	bo.escdelay = 25;
	bo.width = opt->width;
	bo.height = opt->height;
	ui->backend = ui_backend_create(opt->backend != NULL ? opt->backend :
	    "ncurses", &bo, cause);
	if (ui->backend == NULL) {
		loop_timer_free(ui->frame_timer);
		loop_timer_free(ui->esc_timer);
		loop_timer_free(ui->toast_timer);
		theme_free(ui->theme);
		keymap_free(km);
		free(ui);
		return NULL;
	}
	ui->canvas = canvas_create(ui->backend->w, ui->backend->h);
	if ((fd = ui_backend_input_fd(ui->backend)) >= 0) {
		ui->io = loop_io_add(loop, fd, LOOP_READ, ui_io_cb, ui);
		if (loop_signal(loop, SIGWINCH, ui_winch_cb, ui) != 0)
			ui_toast(ui, 1, "cannot watch for resizes");
	}
	ui->last_frame = -1000;
	ui_dirty(ui);
	return ui;
}

/* Tear everything down and give the terminal back. */
void
ui_free(struct ui *ui)
{
	if (ui == NULL)
		return;
	while (ui->npanes > 0)
		ui_pop(ui);
	ui_reap(ui);
	if (ui->io != NULL)
		loop_io_remove(ui->io);
	loop_timer_free(ui->frame_timer);
	loop_timer_free(ui->esc_timer);
	loop_timer_free(ui->toast_timer);
	ui_backend_free(ui->backend);
	canvas_free(ui->canvas);
	theme_free(ui->theme);
	keymap_free(ui->keymap);
	for (int i = 0; i < UI_MAX_HISTORIES; i++) {
		free(ui->hist[i].label);
		for (int j = 0; j < ui->hist[i].n; j++)
			free(ui->hist[i].items[j]);
	}
	free(ui);
}

/* Push a pane. */
void
ui_push(struct ui *ui, struct pane *p)
{
	if (ui->npanes == UI_MAX_PANES) {
		/* Deeper than anyone can follow: drop the new one. */
		ui_toast(ui, 1, "too many panes open; press Esc");
		p->ops->free(p);
		return;
	}
	p->ui = ui;
	ui->panes[ui->npanes++] = p;
	ui_dirty(ui);
}

/* Pop the top pane; it is freed after the current event. */
void
ui_pop(struct ui *ui)
{
	if (ui->npanes == 0)
		return;
	ui->dead[ui->ndead++] = ui->panes[--ui->npanes];
	ui_dirty(ui);
}

/* Pop until p is the top pane. */
void
ui_pop_to(struct ui *ui, struct pane *p)
{
	while (ui->npanes > 0 && ui->panes[ui->npanes - 1] != p)
		ui_pop(ui);
}

/* Free the panes popped during the last event. */
static void
ui_reap(struct ui *ui)
{
	while (ui->ndead > 0) {
		struct pane	*p = ui->dead[--ui->ndead];

		p->ops->free(p);
	}
}

/* The top pane, or NULL. */
struct pane *
ui_top(struct ui *ui)
{
	return ui->npanes > 0 ? ui->panes[ui->npanes - 1] : NULL;
}

/* The pane below p, or NULL. */
struct pane *
ui_below(struct ui *ui, struct pane *p)
{
	for (int i = ui->npanes - 1; i > 0; i--)
		if (ui->panes[i] == p)
			return ui->panes[i - 1];
	return NULL;
}

/* Number of panes on the stack. */
int
ui_depth(struct ui *ui)
{
	return ui->npanes;
}

/* Schedule a frame, at most UI_MAX_FPS a second. */
void
ui_dirty(struct ui *ui)
{
	int64_t	delay;

	if (ui->dirty)
		return;
	ui->dirty = 1;
	delay = ui->last_frame + 1000 / UI_MAX_FPS - loop_now(ui->loop);
	loop_timer_arm(ui->frame_timer, delay > 0 ? delay : 0);
}

/* A toast, or the breadcrumbs and the top pane's status. */
static void
ui_draw_status(struct ui *ui, const struct canvas_region *rg)
{
	struct draw_opts	 o = { .flags = DRAW_ONELINE | DRAW_ELLIPSIS };
	char			 crumb[128], status[256];
	const char		*sep;
	int			 x = 0, w = canvas_region_width(rg), sw;

	o.theme = ui->theme;
	canvas_fill(rg, 0, 0, w, 1, UI_STYLE_STATUS);
	if (ui->toast[0] != '\0') {
		draw_untrusted(rg, 0, 0, w, ui->toast_error ?
		    UI_STYLE_TOAST_ERROR : UI_STYLE_TOAST, ui->toast,
		    strlen(ui->toast), &o, NULL);
		return;
	}
	status[0] = '\0';
	for (int i = ui->npanes - 1; i >= 0; i--) {
		if (!ui->panes[i]->modal) {
			if (ui->panes[i]->ops->status != NULL)
				ui->panes[i]->ops->status(ui->panes[i],
				    status, sizeof status);
			break;
		}
	}
	sw = width_str(status, strlen(status));
	sep = theme_glyph(ui->theme, UI_GLYPH_SEPARATOR);
	for (int i = 0; i < ui->npanes; i++) {
		if (ui->panes[i]->modal || ui->panes[i]->ops->crumb == NULL)
			continue;
		crumb[0] = '\0';
		ui->panes[i]->ops->crumb(ui->panes[i], crumb, sizeof crumb);
		if (x > 0) {
			x += draw_text(rg, x, 0, -1, UI_STYLE_STATUS, " ");
			x += draw_text(rg, x, 0, -1, UI_STYLE_STATUS, sep);
			x += draw_text(rg, x, 0, -1, UI_STYLE_STATUS, " ");
		}
		x += draw_untrusted(rg, x, 0, AD_MAX(w - sw - 1 - x, 0),
		    i == ui->npanes - 1 ? UI_STYLE_TITLE : UI_STYLE_STATUS,
		    crumb, strlen(crumb), &o, NULL);
	}
	if (sw > 0 && sw < w)
		draw_text(rg, w - sw, 0, sw, UI_STYLE_STATUS, status);
}

/* The key-hint row, from the keymap for the top pane's contexts. */
static void
ui_draw_hints(struct ui *ui, const struct canvas_region *rg)
{
	const struct keymap_entry	*e;
	enum ui_context			 chain[UI_MAX_CHAIN];
	struct pane			*top = ui_top(ui);
	int				 seen[UI_ACT__COUNT], n = 0, x = 0;
	int				 w = canvas_region_width(rg), kw, lw;
	char				 key[UI_KEY_NAME_MAX];
	const char			*label;

	canvas_fill(rg, 0, 0, w, 1, UI_STYLE_HINT);
	memset(seen, 0, sizeof seen);
	if (top != NULL)
		n = top->ops->contexts(top, chain, UI_MAX_CHAIN);
	for (int c = 0; c < n; c++) {
		for (size_t i = 0; (e = keymap_entry_at(ui->keymap, i)) !=
		    NULL; i++) {
			if (e->ctx != chain[c] || !e->hint || seen[e->action])
				continue;
			if (ui->opt.readonly && ui_action_steers(e->action))
				continue;
			seen[e->action] = 1;
			ui_key_name(e->key, e->mods, key, sizeof key);
			label = keymap_action_label(e->action);
			kw = width_str(key, strlen(key));
			lw = width_str(label, strlen(label));
			if (x + kw + 1 + lw > w)
				return;
			x += draw_text(rg, x, 0, -1, UI_STYLE_HINT_KEY, key);
			x += draw_text(rg, x, 0, -1, UI_STYLE_HINT, " ");
			x += draw_text(rg, x, 0, -1, UI_STYLE_HINT, label);
			x += draw_text(rg, x, 0, -1, UI_STYLE_HINT, "  ");
		}
	}
}


/*
 * Below 80x24 the views are not drawn: short centred lines say what size
 * is needed and what the terminal is, readable down to 16 columns.
 */
static void
ui_draw_too_small(const struct canvas_region *all, int w, int h)
{
	char	lines[3][32];
	int	y;

	snprintf(lines[0], sizeof lines[0], "too small");
	snprintf(lines[1], sizeof lines[1], "need %dx%d", LAYOUT_MIN_WIDTH,
	    LAYOUT_MIN_HEIGHT);
	snprintf(lines[2], sizeof lines[2], "this is %dx%d", w, h);
	canvas_fill(all, 0, 0, w, h, UI_STYLE_NORMAL);
	y = h > 3 ? (h - 3) / 2 : 0;
	for (int i = 0; i < 3 && y + i < h; i++)
		draw_text(all, AD_MAX(0, (w - (int)strlen(lines[i])) / 2),
		    y + i, w, UI_STYLE_ERROR, lines[i]);
}
/* Draw and present a frame, if anything is dirty. */
void
ui_frame(struct ui *ui)
{
	struct pane_frame	 f;
	struct canvas_region	 all, rg;
	int			 first = 0, w, h;

	if (!ui->dirty)
		return;
	ui->dirty = 0;
	loop_timer_disarm(ui->frame_timer);
	ui->last_frame = loop_now(ui->loop);
	ui->frames++;
	w = canvas_width(ui->canvas);
	h = canvas_height(ui->canvas);
	layout_screen(&ui->layout, w, h, !ui->opt.no_header,
	    !ui->opt.no_hints);
	canvas_region_init(&all, ui->canvas);
	canvas_set_cursor(ui->canvas, 0, 0, 0);
	if (ui->layout.too_small) {
		ui_draw_too_small(&all, w, h);
		ui_backend_present(ui->backend, ui->canvas, ui->theme);
		return;
	}
	f.screen = all;
	canvas_region_sub(&f.body, &all, ui->layout.body.x, ui->layout.body.y,
	    ui->layout.body.w, ui->layout.body.h);
	canvas_region_sub(&f.status, &all, ui->layout.status.x,
	    ui->layout.status.y, ui->layout.status.w, ui->layout.status.h);
	if (ui->layout.header.h > 0) {
		canvas_region_sub(&rg, &all, 0, 0, w, ui->layout.header.h);
		canvas_fill(&rg, 0, 0, w, rg.r.h, UI_STYLE_HEADER);
		if (ui->hooks.header != NULL)
			ui->hooks.header(ui->hooks.arg, ui, &rg);
	}
	/*
	 * The top normal pane first (the status line shows what it just
	 * worked out), then the status line and hints, then the modal
	 * panes above it (a prompt takes over the status line).
	 */
	for (int i = ui->npanes - 1; i >= 0; i--) {
		if (!ui->panes[i]->modal) {
			first = i;
			break;
		}
	}
	if (ui->npanes == 0)
		canvas_fill(&f.body, 0, 0, w, h, UI_STYLE_NORMAL);
	else if (!ui->panes[first]->modal)
		ui->panes[first]->ops->draw(ui->panes[first], &f);
	ui_draw_status(ui, &f.status);
	if (ui->layout.hints.h > 0) {
		canvas_region_sub(&rg, &all, 0, ui->layout.hints.y, w, 1);
		ui_draw_hints(ui, &rg);
	}
	for (int i = first; i < ui->npanes; i++)
		if (ui->panes[i]->modal)
			ui->panes[i]->ops->draw(ui->panes[i], &f);
	ui_backend_present(ui->backend, ui->canvas, ui->theme);
}

/* The ":" line was entered. */
static void
ui_command_submit(void *arg, const char *line)
{
	struct ui	*ui = arg;
	char		*cause = NULL;

	while (*line == ' ' || *line == ':')
		line++;
	if (*line == '\0')
		return;
	if (strcmp(line, "q") == 0 || strcmp(line, "quit") == 0 ||
	    strcmp(line, "q!") == 0) {
		if (ui->hooks.quit != NULL)
			ui->hooks.quit(ui->hooks.arg, ui);
		return;
	}
	if (strncmp(line, "theme ", 6) == 0) {
		if (ui_set_theme(ui, line + 6, &cause) != 0) {
			ui_toast(ui, 1, "%s", cause);
			free(cause);
		} else
			ui_toast(ui, 0, "theme %s", line + 6);
		return;
	}
	if (ui->hooks.command == NULL ||
	    ui->hooks.command(ui->hooks.arg, ui, line, &cause) != 0) {
		ui_toast(ui, 1, "%s", cause != NULL ? cause :
		    "unknown command (Tab completes)");
		free(cause);
	}
}

/* Completions for the ":" line: the ui's own, then the hook's. */
static char **
ui_command_complete(void *arg, const char *line)
{
	static const char	*own[] = { "quit", "theme " };
	struct ui		*ui = arg;
	char			**v, **themes, **extra = NULL;
	size_t			  n = 0, cap = 16;

	v = xcalloc(cap, sizeof *v);
	if (strncmp(line, "theme ", 6) == 0) {
		themes = theme_list();
		for (size_t i = 0; themes[i] != NULL; i++) {
			if (!str_has_prefix(themes[i], line + 6))
				continue;
			if (n + 1 >= cap)
				v = xreallocarray(v, cap *= 2, sizeof *v);
			xasprintf(&v[n++], "theme %s", themes[i]);
		}
		theme_list_free(themes);
		v[n] = NULL;
		return v;
	}
	if (ui->hooks.complete != NULL)
		extra = ui->hooks.complete(ui->hooks.arg, ui, line);
	for (size_t i = 0; extra != NULL && extra[i] != NULL; i++) {
		if (n + 1 >= cap)
			v = xreallocarray(v, cap *= 2, sizeof *v);
		v[n++] = xstrdup(extra[i]);
	}
	ui_strv_free(extra);
	for (size_t i = 0; i < AD_NITEMS(own); i++) {
		if (!str_has_prefix(own[i], line))
			continue;
		if (n + 1 >= cap)
			v = xreallocarray(v, cap *= 2, sizeof *v);
		v[n++] = xstrdup(own[i]);
	}
	v[n] = NULL;
	return v;
}

/* What the ui does with an action no pane took. */
static void
ui_default_action(struct ui *ui, enum ui_action a, int arg)
{
	struct pane	*p;
	char		 text[UI_COPY_MAX + 1];

	switch (a) {
	case UI_ACT_HELP:
		ui_push(ui, pane_help_create(ui));
		break;
	case UI_ACT_QUIT:
		if (ui->npanes > 1)
			ui_pop(ui);
		else if (ui->hooks.quit != NULL)
			ui->hooks.quit(ui->hooks.arg, ui);
		break;
	case UI_ACT_DETACH:
		if (ui->hooks.quit != NULL)
			ui->hooks.quit(ui->hooks.arg, ui);
		break;
	case UI_ACT_BACK:
	case UI_ACT_ESC_INTERRUPT:
		if (ui->npanes > 1)
			ui_pop(ui);
		break;
	case UI_ACT_COMMAND:
		p = pane_prompt_create(ui, ":", "", 0, ui_command_submit,
		    NULL, ui_command_complete, ui);
		ui_push(ui, p);
		break;
	case UI_ACT_COPY:
		p = ui_top(ui);
		if (p == NULL || p->ops->copy == NULL ||
		    !p->ops->copy(p, text, sizeof text))
			ui_toast(ui, 1, "nothing to copy here");
		else
			ui_copy(ui, text);
		break;
	case UI_ACT_REPAINT:
		ui_backend_repaint(ui->backend);
		canvas_dirty_all(ui->canvas);
		break;
	default:
		break;
	}
}

/* Dispatch one input event to the top pane or the ui. */
void
ui_input(struct ui *ui, const struct ui_input *in)
{
	enum ui_context	 chain[UI_MAX_CHAIN];
	enum ui_action	 a = UI_ACT_NONE;
	struct pane	*top = ui_top(ui);
	int		 n = 0, arg = 0;

	if (in->type == UI_INPUT_MOUSE) {
		if (top != NULL && top->ops->mouse != NULL)
			top->ops->mouse(top, in);
		goto out;
	}
	if (top != NULL)
		n = top->ops->contexts(top, chain, UI_MAX_CHAIN);
	else {
		chain[0] = UI_CTX_GLOBAL;
		n = 1;
	}
	a = keymap_lookup(ui->keymap, chain, n, in->key, in->mods, &arg);
	if (a == UI_ACT_NONE) {
		if (top != NULL && top->ops->key != NULL)
			top->ops->key(top, in);
		goto out;
	}
	if (ui->opt.readonly && ui_action_steers(a)) {
		if (a == UI_ACT_ESC_INTERRUPT)
			ui_default_action(ui, UI_ACT_BACK, 0);
		else
			ui_toast(ui, 1, "read-only: steering is disabled "
			    "(--readonly)");
		goto out;
	}
	if (top != NULL && top->ops->action(top, a, arg))
		goto out;
	if (ui->hooks.action != NULL &&
	    ui->hooks.action(ui->hooks.arg, ui, a, arg))
		goto out;
	ui_default_action(ui, a, arg);
out:
	ui_reap(ui);
	ui_dirty(ui);
}

/* Show a toast on the status line. */
void
ui_toast(struct ui *ui, int error, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	vsnprintf(ui->toast, sizeof ui->toast, fmt, ap);
	va_end(ap);
	ui->toast_error = error;
	if (ui->toast_timer != NULL) {
		loop_timer_arm(ui->toast_timer, error ? UI_TOAST_ERROR_MS :
		    UI_TOAST_MS);
		ui_dirty(ui);
	}
}

/* Notify as configured. */
void
ui_notify(struct ui *ui, const char *text)
{
	ui_backend_notify(ui->backend, ui->opt.notify, text);
}

/*
 * Copy an id: OSC 52 if [ui] clipboard allows it, else the toast shows
 * it for the terminal's own selection.  Anything but printable ASCII is
 * refused (event ids come from the server).
 */
void
ui_copy(struct ui *ui, const char *text)
{
	char	*cause = NULL;

	if (ui_backend_copy(ui->backend, ui->opt.clipboard, text,
	    &cause) != 0) {
		ui_toast(ui, 1, "%s", cause);
		free(cause);
	} else if (ui->opt.clipboard == UI_CLIPBOARD_OFF)
		ui_toast(ui, 0, "%s (clipboard off: [ui] clipboard)", text);
	else
		ui_toast(ui, 0, "copied %s", text);
}

/* Switch themes. */
int
ui_set_theme(struct ui *ui, const char *name, char **cause)
{
	struct theme	*t;

	t = theme_load(name, theme_depth(ui->theme), ui->opt.ascii, cause);
	if (t == NULL)
		return -1;
	theme_free(ui->theme);
	ui->theme = t;
	ui_backend_repaint(ui->backend);
	canvas_dirty_all(ui->canvas);
	ui_dirty(ui);
	return 0;
}

/* The loop the ui runs in. */
struct loop *
ui_loop(struct ui *ui)
{
	return ui->loop;
}

/* The current theme. */
const struct theme *
ui_theme(struct ui *ui)
{
	return ui->theme;
}

/* The keymap. */
const struct keymap *
ui_keymap(struct ui *ui)
{
	return ui->keymap;
}

/* The backend (tests read the headless screen through it). */
struct ui_backend *
ui_backend(struct ui *ui)
{
	return ui->backend;
}

/* Is the console read-only? */
int
ui_readonly(struct ui *ui)
{
	return ui->opt.readonly;
}

/* Monotonic milliseconds. */
int64_t
ui_now(struct ui *ui)
{
	return loop_now(ui->loop);
}

/* The body size of the current layout. */
void
ui_body_size(struct ui *ui, int *w, int *h)
{
	layout_screen(&ui->layout, canvas_width(ui->canvas),
	    canvas_height(ui->canvas), !ui->opt.no_header, !ui->opt.no_hints);
	*w = ui->layout.body.w;
	*h = ui->layout.body.h;
}

/* Frames drawn so far. */
uint64_t
ui_frames(struct ui *ui)
{
	return ui->frames;
}

/* Free a NULL-ended string array. */
void
ui_strv_free(char **v)
{
	if (v == NULL)
		return;
	for (size_t i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* The history of a prompt label, created on first use (or NULL). */
static struct ui_history *
ui_history_find(struct ui *ui, const char *label, int create)
{
	for (int i = 0; i < UI_MAX_HISTORIES; i++) {
		if (ui->hist[i].label == NULL) {
			if (!create)
				return NULL;
			ui->hist[i].label = xstrdup(label);
			return &ui->hist[i];
		}
		if (strcmp(ui->hist[i].label, label) == 0)
			return &ui->hist[i];
	}
	return NULL;
}

/* Remember an entered line (not twice in a row, not empty). */
void
ui_history_add(struct ui *ui, const char *label, const char *text)
{
	struct ui_history	*h;

	if (*text == '\0' || (h = ui_history_find(ui, label, 1)) == NULL)
		return;
	if (h->n > 0 && strcmp(h->items[h->n - 1], text) == 0)
		return;
	if (h->n == UI_MAX_HISTORY) {
		free(h->items[0]);
		memmove(h->items, h->items + 1, (UI_MAX_HISTORY - 1) *
		    sizeof *h->items);
		h->n--;
	}
	h->items[h->n++] = xstrdup(text);
}

/* The n-th newest history entry. */
const char *
ui_history_get(struct ui *ui, const char *label, int n)
{
	struct ui_history	*h = ui_history_find(ui, label, 0);

	if (h == NULL || n < 0 || n >= h->n)
		return NULL;
	return h->items[h->n - 1 - n];
}
