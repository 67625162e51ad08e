/* ISC licence: see COPYING.  The backend table and its dispatch. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/xmalloc.h"
#include "ui/backend.h"

/* Every backend built in; the first is the default. */
static const struct ui_backend_ops *ui_backends[] = {
	&ui_backend_ncurses_ops,
#ifdef HAVE_TICKIT
	&ui_backend_tickit_ops,
#endif
	&ui_backend_text_ops,
};

/* "ncurses, tickit, text" for messages. */
const char *
ui_backend_names(void)
{
	static char	names[64];

	if (names[0] == '\0') {
		for (size_t i = 0; i < AD_NITEMS(ui_backends); i++) {
			if (i > 0)
				strncat(names, ", ", sizeof names -
				    strlen(names) - 1);
			strncat(names, ui_backends[i]->name, sizeof names -
			    strlen(names) - 1);
		}
	}
	return names;
}

/* Find and open a backend. */
struct ui_backend *
ui_backend_create(const char *name, const struct ui_backend_options *opt,
    char **cause)
{
	const struct ui_backend_ops	*ops = NULL;
	struct ui_backend		*b;

	for (size_t i = 0; i < AD_NITEMS(ui_backends); i++)
		if (strcmp(ui_backends[i]->name, name) == 0)
			ops = ui_backends[i];
	if (ops == NULL) {
		xasprintf(cause, "no console backend \"%s\" (this build has: "
		    "%s)", name, ui_backend_names());
		return NULL;
	}
	b = xcalloc(1, sizeof *b);
	b->ops = ops;
	b->opt = *opt;
	if (ops->open(b, cause) != 0) {
		free(b);
		return NULL;
	}
	return b;
}

/* Restore the terminal and free the backend. */
void
ui_backend_free(struct ui_backend *b)
{
	if (b == NULL)
		return;
	b->ops->close(b);
	free(b);
}

/* The descriptor to watch for input, or -1. */
int
ui_backend_input_fd(struct ui_backend *b)
{
	return b->ops->input_fd(b);
}

/* Decode available input. */
int
ui_backend_read(struct ui_backend *b, struct ui_input *ev, int n)
{
	return b->ops->read(b, ev, n);
}

/* Milliseconds until ui_backend_expire() is due, or -1. */
int
ui_backend_timeout(struct ui_backend *b)
{
	return b->ops->timeout(b);
}

/* Take pending partial input as typed. */
int
ui_backend_expire(struct ui_backend *b, struct ui_input *ev, int n)
{
	return b->ops->expire(b, ev, n);
}

/* Query the new terminal size. */
void
ui_backend_resize(struct ui_backend *b)
{
	b->ops->resize(b);
}

/* Present the changed rows of c, if any. */
void
ui_backend_present(struct ui_backend *b, struct canvas *c,
    const struct theme *t)
{
	if (!canvas_any_dirty(c))
		return;
	b->ops->present(b, c, t);
	canvas_clean(c);
}

/* Forget what the terminal shows. */
void
ui_backend_repaint(struct ui_backend *b)
{
	b->ops->repaint(b);
}

/*
 * Notify the user (bell or OSC 9).  The text may come from an agent (a
 * session title), so only printable ASCII is passed on: anything else
 * could end the OSC string early or inject a sequence of its own.
 */
void
ui_backend_notify(struct ui_backend *b, enum ui_notify how, const char *text)
{
	char	seq[UI_NOTIFY_MAX + 8];
	size_t	n;

	switch (how) {
	case UI_NOTIFY_OFF:
		return;
	case UI_NOTIFY_BEL:
		b->ops->emit(b, "\007", 1);
		return;
	case UI_NOTIFY_OSC9:
		break;
	}
	memcpy(seq, "\033]9;", 4);
	n = 4;
	for (; *text != '\0' && n < 4 + UI_NOTIFY_MAX; text++)
		if (*text >= 0x20 && *text < 0x7f)
			seq[n++] = *text;
	seq[n++] = '\007';
	b->ops->emit(b, seq, n);
}

/*
 * Set the clipboard: OSC 52 with the text in base64 ("c": the
 * clipboard selection).  Only printable ASCII is accepted, so what lands
 * in the clipboard is exactly what the toast shows; with the clipboard
 * off the text is checked the same way and nothing is sent.
 */
int
ui_backend_copy(struct ui_backend *b, enum ui_clipboard how,
    const char *text, char **cause)
{
	static const char	 al[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
				    "abcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char	*p = (const unsigned char *)text;
	char			 seq[8 + (UI_COPY_MAX + 2) / 3 * 4 + 2];
	size_t			 len = strlen(text), n;
	uint32_t		 v;

	if (len == 0 || len > UI_COPY_MAX) {
		xasprintf(cause, "nothing to copy (%zu bytes; at most %d)",
		    len, UI_COPY_MAX);
		return -1;
	}
	for (size_t i = 0; i < len; i++)
		if (p[i] < 0x20 || p[i] >= 0x7f) {
			xasprintf(cause, "not copied: byte %zu is not "
			    "printable ASCII", i);
			return -1;
		}
	if (how == UI_CLIPBOARD_OFF)
		return 0;
	memcpy(seq, "\033]52;c;", 7);
	n = 7;
	for (size_t i = 0; i < len; i += 3) {
		v = (uint32_t)p[i] << 16;
		if (i + 1 < len)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < len)
			v |= p[i + 2];
		seq[n++] = al[(v >> 18) & 63];
		seq[n++] = al[(v >> 12) & 63];
		seq[n++] = i + 1 < len ? al[(v >> 6) & 63] : '=';
		seq[n++] = i + 2 < len ? al[v & 63] : '=';
	}
	seq[n++] = '\007';
	b->ops->emit(b, seq, n);
	return 0;
}

/* Turn mouse reporting on or off. */
void
ui_backend_set_mouse(struct ui_backend *b, int on)
{
	b->opt.mouse = on;
	b->ops->set_mouse(b, on);
}
