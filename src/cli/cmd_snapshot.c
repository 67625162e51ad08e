/*
 * ISC licence: see COPYING.  snapshot [--size WxH] [--session ID]
 * [--events N] [--keys KEYS] [--styles]: print the console's screen as
 * text (with --events, as it was after the first N events of each
 * session: what a replay at N must show).
 *
 * The console runs on the headless backend over the cache (no network,
 * read-only: nothing can be sent), the keys are typed, and the screen is
 * printed, one line per row; with --styles each row is followed by a row
 * of style letters.  Every string from a server is drawn as the console
 * draws it, so the output holds no control sequence.
 */

#include "config.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/loop.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/console_host.h"
#include "cli/offline.h"
#include "ui/backend.h"

/* Parse WxH. */
static int
cmd_snapshot_size(const char *s, int *w, int *h)
{
	long long	 v;
	char		*x, *cause = NULL, *copy = xstrdup(s);
	int		 rv = -1;

	if ((x = strchr(copy, 'x')) == NULL)
		goto out;
	*x = '\0';
	if (str_to_ll(copy, 20, 1000, &v, &cause) != 0)
		goto out;
	*w = (int)v;
	if (str_to_ll(x + 1, 5, 1000, &v, &cause) != 0)
		goto out;
	*h = (int)v;
	rv = 0;
out:
	free(cause);
	free(copy);
	return rv;
}

/* snapshot */
int
cmd_snapshot_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "size", required_argument, NULL, 's' },
		{ "session", required_argument, NULL, 'S' },
		{ "keys", required_argument, NULL, 'k' },
		{ "events", required_argument, NULL, 'e' },
		{ "styles", no_argument, NULL, 'y' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry		*ce = cmd_find("snapshot");
	struct offline			 o;
	struct keymap			*km;
	struct loop			*loop;
	struct chost			*h;
	struct ui			*ui;
	struct buf			 out;
	const char			*session = NULL, *keys = NULL;
	char				*cause = NULL;
	int				 ch, w = 100, hh = 30, styles = 0;
	int				 rv = CMD_EXIT_OK;
	long long			 limit = -1;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			if (cmd_snapshot_size(optarg, &w, &hh) != 0)
				return cmd_usage_error(ce, "--size WxH, e.g. "
				    "100x30");
			break;
		case 'S':
			session = optarg;
			break;
		case 'k':
			keys = optarg;
			break;
		case 'y':
			styles = 1;
			break;
		case 'e':
			if (str_to_ll(optarg, 0, UINT32_MAX, &limit,
			    &cause) != 0) {
				free(cause);
				return cmd_usage_error(ce, "--events N: a "
				    "count of events");
			}
			break;
		default:
			return cmd_usage_error(ce, "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error(ce, "no arguments besides options");
	if ((rv = offline_open(&o, g)) != CMD_EXIT_OK)
		return rv;
	o.uo.backend = "text";
	o.uo.width = w;
	o.uo.height = hh;
	o.cc.endpoint = "cache";
	o.uo.notify = UI_NOTIFY_OFF;
	loop = loop_create();
	h = chost_create(loop, o.st, NULL);
	if (limit >= 0)
		chost_set_limit(h, (size_t)limit);
	km = o.km;
	o.km = NULL;
	if (chost_open(h, &o.uo, km, &o.cc, &cause) != 0 ||
	    chost_load_cache(h, session, 1, &cause) != 0) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		rv = CMD_EXIT_LOCAL;
		goto out;
	}
	ui = console_ui(chost_console(h));
	if (session != NULL)
		console_open(chost_console(h), session);
	if (keys != NULL) {
		if (ui_backend_text_type(ui_backend(ui), keys, 0,
		    &cause) != 0) {
			fprintf(stderr, "pilothouse: --keys: %s\n", cause);
			free(cause);
			rv = CMD_EXIT_USAGE;
			goto out;
		}
		ui_drain(ui);
	}
	ui_dirty(ui);
	ui_frame(ui);
	buf_init(&out, BUF_UNBOUNDED);
	if (ui_backend_text_dump(ui_backend(ui), styles, &out) != 0)
		rv = CMD_EXIT_LOCAL;
	else
		fwrite(out.data, 1, out.len, stdout);
	buf_clear(&out);
out:
	chost_free(h);
	loop_free(loop);
	offline_close(&o);
	return rv;
}
