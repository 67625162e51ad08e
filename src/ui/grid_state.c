/* ISC licence: see COPYING.  The grid layout per workspace (state file). */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/grid_state.h"

/* Is n a grid size? */
static int
grid_state_size_ok(long long n)
{
	return n == 2 || n == 4 || n == 6 || n == 9;
}

/*
 * Parse one line (cut at its tabs) into *gs and point *ws at its
 * workspace; 0 if it is not a well-formed layout line.
 */
static int
grid_state_parse(char *line, struct grid_state *gs, const char **ws)
{
	char		*f[5], *tab;
	long long	 v[3];
	char		*why = NULL;
	int		 n = 0;

	f[n++] = line;
	while (n < 5 && (tab = strchr(f[n - 1], '\t')) != NULL) {
		*tab = '\0';
		f[n++] = tab + 1;
	}
	if (n != 5 || strcmp(f[0], "grid") != 0 || f[4][0] == '\0')
		return 0;
	for (int i = 0; i < 3; i++)
		if (str_to_ll(f[i + 1], 0, 9, &v[i], &why) != 0) {
			free(why);
			return 0;
		}
	if (!grid_state_size_ok(v[0]) || v[1] > 1 || v[2] > 1)
		return 0;
	gs->n = (int)v[0];
	gs->zoom = (int)v[1];
	gs->open = (int)v[2];
	*ws = f[4];
	return 1;
}

/* The workspace as written: no tab or line break can be in a field. */
static void
grid_state_name(const char *workspace, char *out, size_t size)
{
	size_t	i;

	for (i = 0; workspace[i] != '\0' && i + 1 < size; i++)
		out[i] = workspace[i] == '\t' || workspace[i] == '\n' ||
		    workspace[i] == '\r' ? ' ' : workspace[i];
	out[i] = '\0';
}

/* Read the layout saved for workspace. */
int
grid_state_load(const char *path, const char *workspace,
    struct grid_state *gs)
{
	struct buf		 b;
	struct grid_state	 one;
	char			 name[256], *line, *save = NULL, *cause = NULL;
	const char		*ws;
	int			 found = 0;

	grid_state_name(workspace, name, sizeof name);
	buf_init(&b, GRID_STATE_MAX);
	if (io_read_file(path, GRID_STATE_MAX, &b, &cause) != 0) {
		free(cause);	/* no file yet (or unreadable): defaults */
		buf_clear(&b);
		return 0;
	}
	for (line = b.data != NULL ? strtok_r(b.data, "\n", &save) : NULL;
	    line != NULL; line = strtok_r(NULL, "\n", &save))
		if (grid_state_parse(line, &one, &ws) &&
		    strcmp(ws, name) == 0) {
			*gs = one;
			found = 1;
		}
	buf_clear(&b);
	return found;
}

/* Save the layout of workspace: rewrite the file, keeping the others. */
int
grid_state_save(const char *path, const char *workspace,
    const struct grid_state *gs, char **cause)
{
	struct buf		 in, out;
	struct grid_state	 one;
	char			 name[256], *line, *save = NULL, *why = NULL;
	const char		*ws;
	int			 rv;

	grid_state_name(workspace, name, sizeof name);
	buf_init(&in, GRID_STATE_MAX);
	buf_init(&out, BUF_UNBOUNDED);
	if (io_read_file(path, GRID_STATE_MAX, &in, &why) != 0)
		free(why);	/* start afresh */
	for (line = in.data != NULL ? strtok_r(in.data, "\n", &save) : NULL;
	    line != NULL; line = strtok_r(NULL, "\n", &save))
		if (grid_state_parse(line, &one, &ws) && strcmp(ws, name) != 0)
			buf_xprintf(&out, "grid\t%d\t%d\t%d\t%s\n", one.n,
			    one.zoom, one.open, ws);
	buf_xprintf(&out, "grid\t%d\t%d\t%d\t%s\n", gs->n, gs->zoom != 0,
	    gs->open != 0, name);
	rv = io_write_file(path, out.data, out.len, cause);
	buf_clear(&in);
	buf_clear(&out);
	return rv;
}
