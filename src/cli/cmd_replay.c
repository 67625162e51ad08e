/*
 * ISC licence: see COPYING.  replay [--event EVENT_ID] [--speed X]
 * [--idle-cap SECONDS] SESSION: a session from the cache, in the console.
 *
 * The session's whole history must be in the cache: when the store does
 * not say so (store_sync_get's full_history), it is fetched from the API
 * first (fetch.h, with a progress bar) and stored; if the API cannot be
 * reached, the events already cached are replayed, with a warning.  The
 * console then opens read-only on that session alone, in its replay
 * (ui/pane_replay.c), and never goes live: nothing can be sent.  The
 * first frame waits only for the events up to the playhead; the rest
 * of the log is indexed in the background and the replay grows with it.
 */

#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/loop.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/console_host.h"
#include "cli/fetch.h"
#include "cli/offline.h"
#include "store/store.h"

/* SIGTERM or SIGHUP: leave (the terminal is restored on the way out). */
static void
cmd_replay_signal(int sig, void *arg)
{
	loop_exit(arg, sig == SIGHUP ? CMD_EXIT_OK : CMD_EXIT_INTERRUPTED);
}

/* Make sure the session's whole history is cached; an exit status. */
static int
cmd_replay_fetch(struct cmd_globals *g, struct store *st, const char *id)
{
	struct store_sync	 sy;
	char			*cause = NULL;
	int64_t			 n;
	int			 r, rv;

	if ((r = store_sync_get(st, id, &sy, &cause)) < 0) {
		fprintf(stderr, "pilothouse: the cache: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	if (r == 1) {
		r = sy.full_history;
		store_sync_clear(&sy);
		if (r)
			return CMD_EXIT_OK;
	}
	if ((n = store_events_count(st, id, NULL, &cause)) < 0) {
		fprintf(stderr, "pilothouse: the cache: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	if ((rv = fetch_history(g, st, id, "replay", 1)) == CMD_EXIT_OK)
		return CMD_EXIT_OK;
	if (n == 0)
		return rv;
	fprintf(stderr, "pilothouse: replay: %s: could not fetch the whole "
	    "history; replaying the %lld events in the cache\n", id,
	    (long long)n);
	return CMD_EXIT_OK;
}

/* Parse --speed: 0.25 to 64, or "max" (-1). */
static int
cmd_replay_speed(const char *s, double *out)
{
	char	*end;

	if (strcmp(s, "max") == 0) {
		*out = -1;
		return 0;
	}
	*out = strtod(s, &end);
	if (end == s || *end != '\0' || !(*out >= 0.25 && *out <= 64))
		return -1;
	return 0;
}

/* replay */
int
cmd_replay_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "event", required_argument, NULL, 'e' },
		{ "speed", required_argument, NULL, 's' },
		{ "idle-cap", required_argument, NULL, 'i' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry		*ce = cmd_find("replay");
	struct console_replay		 o = { NULL, 0, 0, 1 };
	struct offline			 of;
	struct keymap			*km;
	struct loop			*loop;
	struct chost			*h;
	const char			*id;
	char				*cause = NULL;
	long long			 cap;
	int				 ch, rv;

	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			o.event_id = optarg;
			break;
		case 's':
			if (cmd_replay_speed(optarg, &o.speed) != 0)
				return cmd_usage_error(ce, "--speed: 0.25 to "
				    "64, or max");
			break;
		case 'i':
			if (str_to_ll(optarg, 1, 86400, &cap, &cause) != 0) {
				free(cause);
				return cmd_usage_error(ce, "--idle-cap: "
				    "seconds, 1 to 86400");
			}
			o.idle_cap_ms = cap * 1000;
			break;
		default:
			return cmd_usage_error(ce, "unknown option");
		}
	}
	if (argc - optind != 1)
		return cmd_usage_error(ce, "one session");
	id = argv[optind];
	if ((rv = offline_open(&of, g)) != CMD_EXIT_OK)
		return rv;
	of.cc.endpoint = "replay";
	if ((rv = cmd_replay_fetch(g, of.st, id)) != CMD_EXIT_OK) {
		offline_close(&of);
		return rv;
	}
	loop = loop_create();
	h = chost_create(loop, of.st, NULL);
	km = of.km;
	of.km = NULL;
	if (chost_open(h, &of.uo, km, &of.cc, &cause) != 0 ||
	    chost_load_cache(h, id, 0, &cause) != 0 ||
	    chost_load_until(h, id, o.event_id, 1, &cause) != 0 ||
	    console_replay(chost_console(h), id, &o, &cause) != 0) {
		chost_free(h);
		h = NULL;
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		rv = CMD_EXIT_LOCAL;
		goto out;
	}
	if (loop_signal(loop, SIGTERM, cmd_replay_signal, loop) != 0 ||
	    loop_signal(loop, SIGHUP, cmd_replay_signal, loop) != 0)
		fatal("loop_signal");
	rv = loop_run(loop);
	chost_free(h);
out:
	loop_free(loop);
	offline_close(&of);
	return rv;
}
