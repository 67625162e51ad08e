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
	char	safe[UI_NOTIFY_MAX + 1];
	size_t	n = 0;

	if (how == UI_NOTIFY_OFF)
		return;
	for (; *text != '\0' && n < UI_NOTIFY_MAX; text++)
		if (*text >= 0x20 && *text < 0x7f)
			safe[n++] = *text;
	safe[n] = '\0';
	b->ops->notify(b, how, safe);
}

/* Turn mouse reporting on or off. */
void
ui_backend_set_mouse(struct ui_backend *b, int on)
{
	b->opt.mouse = on;
	b->ops->set_mouse(b, on);
}
