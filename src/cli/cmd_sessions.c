/* ISC licence: see COPYING.  sessions [--status S,...] [--json]: list the
 * sessions, every page of them. */

#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/str.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/connect.h"
#include "wire/api_page.h"

#define SESSIONS_MAX_PAGES	10000	/* a loop guard, not a real limit */

/* A string member of o, or def. */
static const char *
sessions_str(json_t *o, const char *key, const char *def)
{
	const char	*s = json_string_value(json_object_get(o, key));

	return s != NULL ? s : def;
}

/* One session: its JSON as received, or a line of id, status, last
 * update and title. */
static void
sessions_print(const char *raw, size_t len, void *arg)
{
	int	*json = arg;
	json_t	*s;

	if (*json) {
		printf("%.*s\n", (int)len, raw);
		return;
	}
	s = json_loadb(raw, len, 0, NULL);
	connect_print(stdout, sessions_str(s, "id", "?"), "  ");
	printf("%-12s ", sessions_str(s, "status", "?"));
	connect_print(stdout, sessions_str(s, "updated_at", "-"), "  ");
	connect_print(stdout, sessions_str(s, "title", ""), "\n");
	json_decref(s);
}

/* List sessions, filtered by status. */
int
cmd_sessions_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "status", required_argument, NULL, 's' },
		{ "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 }
	};
	static const char		*known[] = {
		"idle", "running", "rescheduling", "terminated"
	};
	const struct cmd_entry		*ce = cmd_find("sessions");
	struct connect			 c;
	struct api_list			 l;
	struct api_error		 err;
	struct api_page			 pg;
	char				**statuses = NULL, *page = NULL;
	char				*body, *cause = NULL;
	size_t				 i, n, len;
	int				 ch, json = 0, rv = CMD_EXIT_OK, pages;

	while ((ch = getopt_long(argc, argv, "s:j", longopts, NULL)) != -1) {
		switch (ch) {
		case 's':
			str_freev(statuses);
			statuses = str_split(optarg, ',', &n);
			for (i = 0; i < n; i++) {
				size_t	k;

				for (k = 0; k < AD_NITEMS(known); k++)
					if (strcmp(statuses[i], known[k]) == 0)
						break;
				if (k == AD_NITEMS(known)) {
					rv = cmd_usage_error(ce, "unknown "
					    "status \"%s\" (idle, running, "
					    "rescheduling or terminated)",
					    statuses[i]);
					str_freev(statuses);
					return rv;
				}
			}
			break;
		case 'j':
			json = 1;
			break;
		default:
			str_freev(statuses);
			return cmd_usage_error(ce, "unknown option");
		}
	}
	if (optind != argc) {
		str_freev(statuses);
		return cmd_usage_error(ce, "sessions takes no arguments");
	}
	if ((rv = connect_open(&c, g)) != CMD_EXIT_OK) {
		str_freev(statuses);
		return rv;
	}
	memset(&l, 0, sizeof l);
	l.limit = 100;
	l.statuses = (const char *const *)statuses;
	for (pages = 0; pages < SESSIONS_MAX_PAGES; pages++) {
		l.page = page;
		if (api_wait(api_sessions_list(c.client, &l, NULL, NULL),
		    &body, &len, &err) != 0) {
			rv = connect_error(NULL, &err);
			api_error_clear(&err);
			break;
		}
		free(page);
		page = NULL;
		if (api_page_scan(body, len, sessions_print, &json, &pg,
		    &cause) != 0) {
			fprintf(stderr, "pilothouse: sessions: %s\n", cause);
			free(cause);
			free(body);
			rv = CMD_EXIT_API;
			break;
		}
		free(body);
		page = pg.next_page;
		pg.next_page = NULL;
		api_page_clear(&pg);
		if (page == NULL)
			break;
	}
	free(page);
	str_freev(statuses);
	connect_close(&c);
	return rv;
}
