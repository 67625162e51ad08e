/* ISC licence: see COPYING.  Text entry on the status line. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "ui/draw.h"
#include "ui/pane_prompt.h"
#include "ui/ui.h"
#include "ui/width.h"

#define PROMPT_SHOWN_CANDIDATES	6

struct prompt {
	char			*label;
	char			*text;		/* NUL-ended */
	size_t			 len, cap;
	size_t			 cursor;	/* byte offset */
	int			 flags;
	prompt_submit_cb	 submit;
	prompt_cancel_cb	 cancel;
	prompt_complete_cb	 complete;
	void			*arg;
	char			**cands;	/* last completions */
	int			 ncands;
	int			 cand;		/* shown candidate, or -1 */
	int			 hist;		/* history entry shown, or -1 */
	char			*saved;		/* text before history */
};

/* Replace the text. */
static void
prompt_set(struct prompt *pr, const char *s)
{
	size_t	len = strlen(s);

	if (len > PROMPT_MAX)
		len = PROMPT_MAX;
	if (len + 1 > pr->cap) {
		pr->cap = len + 64;
		pr->text = xrealloc(pr->text, pr->cap);
	}
	memcpy(pr->text, s, len);
	pr->text[len] = '\0';
	pr->len = pr->cursor = len;
}

/* Insert bytes at the cursor (refused past PROMPT_MAX). */
static void
prompt_insert(struct prompt *pr, const char *s, size_t n)
{
	if (pr->len + n > PROMPT_MAX)
		return;
	if (pr->len + n + 1 > pr->cap) {
		pr->cap = (pr->len + n + 1) * 2;
		pr->text = xrealloc(pr->text, pr->cap);
	}
	memmove(pr->text + pr->cursor + n, pr->text + pr->cursor,
	    pr->len - pr->cursor + 1);
	memcpy(pr->text + pr->cursor, s, n);
	pr->len += n;
	pr->cursor += n;
}

/* Delete [from, to). */
static void
prompt_delete(struct prompt *pr, size_t from, size_t to)
{
	memmove(pr->text + from, pr->text + to, pr->len - to + 1);
	pr->len -= to - from;
	if (pr->cursor > to)
		pr->cursor -= to - from;
	else if (pr->cursor > from)
		pr->cursor = from;
}

/* The offset of the cluster before off. */
static size_t
prompt_prev(const struct prompt *pr, size_t off)
{
	struct width_cluster	wc;
	size_t			at = 0, prev = 0;

	while (at < off) {
		prev = at;
		if (pr->text[at] == '\n')
			at++;
		else
			at += width_next(pr->text + at, pr->len - at, &wc);
	}
	return prev;
}

/* The offset of the cluster after off. */
static size_t
prompt_next(const struct prompt *pr, size_t off)
{
	struct width_cluster	wc;

	if (off >= pr->len)
		return pr->len;
	if (pr->text[off] == '\n')
		return off + 1;
	return off + width_next(pr->text + off, pr->len - off, &wc);
}

/* Forget shown completions. */
static void
prompt_forget(struct prompt *pr)
{
	ui_strv_free(pr->cands);
	pr->cands = NULL;
	pr->ncands = 0;
	pr->cand = -1;
}

/* Free the pane. */
static void
prompt_free(struct pane *p)
{
	struct prompt	*pr = p->data;

	prompt_forget(pr);
	free(pr->label);
	free(pr->text);
	free(pr->saved);
	free(pr);
	free(p);
}

/* A prompt only knows its own keys. */
static int
prompt_contexts(struct pane *p, enum ui_context *v, int n)
{
	v[0] = UI_CTX_PROMPT;
	return 1;
}

/* Columns of text[from, to) as drawn (breaks count one). */
static int
prompt_cols(const struct prompt *pr, size_t from, size_t to)
{
	struct draw_opts	o = { .flags = DRAW_ONELINE };

	return draw_untrusted(NULL, 0, 0, -1, 0, pr->text + from, to - from,
	    &o, NULL);
}

/* Draw the label, the text around the cursor and any candidates. */
static void
prompt_draw(struct pane *p, const struct pane_frame *f)
{
	struct prompt		*pr = p->data;
	struct draw_opts	 o = { .flags = DRAW_ONELINE };
	const struct canvas_region *rg = &f->status;
	struct canvas_region	 list;
	size_t			 start = 0;
	int			 w = canvas_region_width(rg), lw, avail, cx;
	int			 shown, first, bh;

	o.theme = ui_theme(p->ui);
	canvas_fill(rg, 0, 0, w, 1, UI_STYLE_PROMPT);
	lw = draw_text(rg, 0, 0, w / 2, UI_STYLE_PROMPT, pr->label);
	avail = w - lw - 1;
	/* Scroll so that the cursor stays visible. */
	while (start < pr->cursor && prompt_cols(pr, start, pr->cursor) >=
	    avail)
		start = prompt_next(pr, start);
	draw_untrusted(rg, lw, 0, avail, UI_STYLE_NORMAL, pr->text + start,
	    pr->len - start, &o, NULL);
	cx = lw + prompt_cols(pr, start, pr->cursor);
	canvas_set_cursor(rg->c, rg->r.x + cx, rg->r.y, 1);
	if (pr->ncands < 2)
		return;
	/* Candidates in the bottom rows of the body. */
	bh = canvas_region_height(&f->body);
	shown = AD_MIN(AD_MIN(pr->ncands, PROMPT_SHOWN_CANDIDATES), bh);
	first = pr->cand >= shown ? pr->cand - shown + 1 : 0;
	canvas_region_sub(&list, &f->body, 0, bh - shown, w, shown);
	for (int i = 0; i < shown; i++) {
		uint16_t	st = first + i == pr->cand ? UI_STYLE_SELECTED :
		    UI_STYLE_STATUS;

		canvas_fill(&list, 0, i, w, 1, st);
		draw_untrusted(&list, 1, i, w - 2, st, pr->cands[first + i],
		    strlen(pr->cands[first + i]), &o, NULL);
	}
}

/* Tab: complete to the only candidate, or the common prefix, or cycle. */
static void
prompt_complete(struct prompt *pr)
{
	char	**v;
	size_t	  common;
	int	  n;

	if (pr->complete == NULL)
		return;
	if (pr->ncands > 1 && pr->cand >= 0 &&
	    strcmp(pr->text, pr->cands[pr->cand]) == 0) {
		pr->cand = (pr->cand + 1) % pr->ncands;
		prompt_set(pr, pr->cands[pr->cand]);
		return;
	}
	prompt_forget(pr);
	v = pr->complete(pr->arg, pr->text);
	for (n = 0; v != NULL && v[n] != NULL; n++)
		;
	if (n == 0) {
		ui_strv_free(v);
		return;
	}
	if (n == 1) {
		prompt_set(pr, v[0]);
		ui_strv_free(v);
		return;
	}
	common = strlen(v[0]);
	for (int i = 1; i < n; i++) {
		size_t	j = 0;

		while (j < common && v[i][j] == v[0][j])
			j++;
		common = j;
	}
	pr->cands = v;
	pr->ncands = n;
	if (common > pr->len) {
		char	*prefix = xstrndup(v[0], common);

		prompt_set(pr, prefix);
		free(prefix);
	} else {
		pr->cand = 0;
		prompt_set(pr, v[0]);
	}
}

/* Walk the history by dir (+1 older, -1 newer). */
static void
prompt_history(struct pane *p, int dir)
{
	struct prompt	*pr = p->data;
	const char	*s;
	int		 to = pr->hist + dir;

	if (to < -1)
		return;
	if (to == -1) {
		prompt_set(pr, pr->saved != NULL ? pr->saved : "");
		pr->hist = -1;
		return;
	}
	if ((s = ui_history_get(p->ui, pr->label, to)) == NULL)
		return;
	if (pr->hist == -1) {
		free(pr->saved);
		pr->saved = xstrdup(pr->text);
	}
	pr->hist = to;
	prompt_set(pr, s);
}

/* Pop the pane, then hand the text to cb. */
static void
prompt_finish(struct pane *p, int submit)
{
	struct prompt	*pr = p->data;
	char		*text = xstrdup(pr->text);

	ui_pop(p->ui);
	if (submit) {
		ui_history_add(p->ui, pr->label, text);
		if (pr->submit != NULL)
			pr->submit(pr->arg, text);
	} else if (pr->cancel != NULL)
		pr->cancel(pr->arg, text);
	free(text);
}

/* Editing actions. */
static int
prompt_action(struct pane *p, enum ui_action a, int arg)
{
	struct prompt	*pr = p->data;
	size_t		 at;

	if (a != UI_ACT_COMPLETE)
		prompt_forget(pr);
	switch (a) {
	case UI_ACT_SUBMIT:
		prompt_finish(p, 1);
		return 1;
	case UI_ACT_CANCEL:
		prompt_finish(p, 0);
		return 1;
	case UI_ACT_COMPLETE:
		prompt_complete(pr);
		return 1;
	case UI_ACT_NEWLINE:
		if (pr->flags & PROMPT_MULTILINE)
			prompt_insert(pr, "\n", 1);
		return 1;
	case UI_ACT_HISTORY_PREV:
		prompt_history(p, 1);
		return 1;
	case UI_ACT_HISTORY_NEXT:
		prompt_history(p, -1);
		return 1;
	case UI_ACT_CHAR_LEFT:
		pr->cursor = prompt_prev(pr, pr->cursor);
		return 1;
	case UI_ACT_CHAR_RIGHT:
		pr->cursor = prompt_next(pr, pr->cursor);
		return 1;
	case UI_ACT_LINE_START:
		pr->cursor = 0;
		return 1;
	case UI_ACT_LINE_END:
		pr->cursor = pr->len;
		return 1;
	case UI_ACT_DELETE_BACK:
		if (pr->cursor > 0)
			prompt_delete(pr, prompt_prev(pr, pr->cursor),
			    pr->cursor);
		return 1;
	case UI_ACT_DELETE_FORWARD:
		if (pr->cursor < pr->len)
			prompt_delete(pr, pr->cursor, prompt_next(pr,
			    pr->cursor));
		return 1;
	case UI_ACT_DELETE_WORD:
		at = pr->cursor;
		while (at > 0 && pr->text[at - 1] == ' ')
			at--;
		while (at > 0 && pr->text[at - 1] != ' ')
			at--;
		prompt_delete(pr, at, pr->cursor);
		return 1;
	case UI_ACT_DELETE_LINE:
		prompt_delete(pr, 0, pr->cursor);
		return 1;
	default:
		return 0;	/* C-c: the ui detaches */
	}
}

/* Typed characters go into the text. */
static int
prompt_key(struct pane *p, const struct ui_input *in)
{
	struct prompt	*pr = p->data;
	char		 s[4];
	int		 n;

	if (in->key < 0x20 || in->key >= UI_KEY_BASE || in->key == 0x7f ||
	    (in->mods & (UI_MOD_CTRL | UI_MOD_ALT)))
		return 0;
	if ((n = utf8_encode((uint32_t)in->key, s)) == 0)
		return 0;
	prompt_forget(pr);
	prompt_insert(pr, s, (size_t)n);
	return 1;
}

static const struct pane_ops prompt_ops = {
	.name = "prompt",
	.contexts = prompt_contexts,
	.draw = prompt_draw,
	.action = prompt_action,
	.key = prompt_key,
	.free = prompt_free,
};

/* Create a prompt. */
struct pane *
pane_prompt_create(struct ui *ui, const char *label, const char *initial,
    int flags, prompt_submit_cb submit, prompt_cancel_cb cancel,
    prompt_complete_cb complete, void *arg)
{
	struct pane	*p;
	struct prompt	*pr;

	pr = xcalloc(1, sizeof *pr);
	pr->label = xstrdup(label);
	pr->flags = flags;
	pr->submit = submit;
	pr->cancel = cancel;
	pr->complete = complete;
	pr->arg = arg;
	pr->cand = -1;
	pr->hist = -1;
	prompt_set(pr, initial != NULL ? initial : "");
	p = pane_create(ui, &prompt_ops, pr, 1);
	return p;
}

/* The text so far. */
const char *
pane_prompt_text(struct pane *p)
{
	struct prompt	*pr = p->data;

	return pr->text;
}
