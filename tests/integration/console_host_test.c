/*
 * ISC licence: see COPYING.  The console's host over a real cache: the
 * recorded sessions of tests/data/console go into a SQLite cache through
 * the store, and the host shows them, with the state it works out from
 * the events (status, pending calls, tokens), bodies read back from the
 * store on demand, and the audit log written there.
 *
 * "console_host_test --populate" only fills the cache at
 * $XDG_CACHE_HOME (for tests/integration/snapshot.sh).
 */

#include "config.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/loop.h"
#include "base/xmalloc.h"
#include "cli/console_host.h"
#include "store/store.h"
#include "ui/backend.h"
#include "ui/keymap.h"
#include "tap.h"

static const char	*names[] = { "fix-ci", "refactor", "custom", "hello" };
static const char	*ids[] = { "sesn_011CZkZAtmR3yMPDzynEfix1",
    "sesn_011CZkZAtmR3yMPDzynErfc2", "sesn_011CZkZAtmR3yMPDzynEcst3",
    "sesn_011CZkZAtmR3yMPDzynEidl4" };
static const char	*titles[] = { "Fix the unit CI job", "Rename util.h",
    "Release notes", "Say hello" };

/* Put the recorded sessions into the cache. */
static void
populate(const char *datadir)
{
	struct store		*st;
	struct api_event	*ev;
	struct buf		 b;
	char			*path, *cause = NULL, *line, *save = NULL, *obj;

	if ((st = store_open(NULL, 0, &cause)) == NULL) {
		fprintf(stderr, "store: %s\n", cause);
		exit(1);
	}
	for (size_t i = 0; i < 4; i++) {
		xasprintf(&obj, "{\"type\":\"session\",\"id\":\"%s\","
		    "\"title\":\"%s\",\"status\":\"idle\",\"agent\":{\"type\":"
		    "\"agent\",\"id\":\"agent_011CZkZAtmR3yMPDzynEagt%zu\","
		    "\"name\":\"%s-agent\",\"model\":\"claude-opus-4-8\","
		    "\"version\":1},\"environment_id\":\"env_1\","
		    "\"created_at\":\"2025-11-19T14:02:11Z\","
		    "\"updated_at\":\"2025-11-19T14:02:11Z\"}", ids[i],
		    titles[i], i, names[i]);
		if (store_session_put(st, obj, strlen(obj), &cause) == 0) {
			fprintf(stderr, "session: %s\n", cause);
			exit(1);
		}
		free(obj);
		xasprintf(&path, "%s/%s.jsonl", datadir, names[i]);
		buf_init(&b, 1 << 20);
		if (io_read_file(path, 1 << 20, &b, &cause) != 0) {
			fprintf(stderr, "%s\n", cause);
			exit(1);
		}
		for (line = strtok_r(b.data, "\n", &save); line != NULL;
		    line = strtok_r(NULL, "\n", &save)) {
			if ((ev = api_event_parse(line, strlen(line),
			    &cause)) == NULL)
				exit(1);
			(void)store_event_put(st, ids[i], ev);
			api_event_free(ev);
		}
		buf_clear(&b);
		free(path);
	}
	if (store_flush(st, &cause) != 0) {
		fprintf(stderr, "flush: %s\n", cause);
		exit(1);
	}
	store_close(st);
}

/* Remove one file or directory (nftw callback). */
static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* The screen as text. */
static char *
screen(struct ui *ui)
{
	struct buf	out;

	ui_dirty(ui);
	ui_frame(ui);
	buf_init(&out, 1 << 20);
	if (ui_backend_text_dump(ui_backend(ui), 0, &out) != 0)
		exit(1);
	return buf_steal(&out, NULL);
}

/* Type keys. */
static void
type(struct ui *ui, const char *keys, int text)
{
	char	*cause = NULL;

	if (ui_backend_text_type(ui_backend(ui), keys, text, &cause) != 0)
		exit(1);
	ui_drain(ui);
}

int
main(int argc, char **argv)
{
	struct ui_options	 uo;
	struct console_config	 cc;
	struct cmd_globals	 g;
	struct keymap		*km;
	struct store		*st;
	struct loop		*loop;
	struct chost		*h;
	struct ui		*ui;
	struct store_record	*rec = NULL;
	size_t			 nrec = 0;
	char			*datadir, *s, *cause = NULL, tmpl[] =
	    "/tmp/ph-chost.XXXXXX";
	const char		*top = getenv("top_srcdir");

	xasprintf(&datadir, "%s/tests/data/console", top ? top : ".");
	if (argc == 2 && strcmp(argv[1], "--populate") == 0) {
		populate(datadir);
		free(datadir);
		return 0;
	}
	if (mkdtemp(tmpl) == NULL)
		tap_skip_all("no temporary directory");
	setenv("XDG_CACHE_HOME", tmpl, 1);
	setenv("TZ", "UTC", 1);
	populate(datadir);

	memset(&g, 0, sizeof g);
	memset(&uo, 0, sizeof uo);
	memset(&cc, 0, sizeof cc);
	uo.backend = "text";
	uo.theme = "default";
	uo.depth = THEME_DEPTH_16;
	uo.width = 100;
	uo.height = 30;
	cc.endpoint = "cache";
	cc.stall_ms = 120000;
	st = store_open(NULL, 0, &cause);
	ok(st != NULL, "the cache opens");
	loop = loop_create();
	h = chost_create(loop, st, NULL);
	km = keymap_create();
	ok(chost_open(h, &uo, km, &cc, &cause) == 0, "the console opens");
	ok(chost_load_cache(h, NULL, 1, &cause) == 0, "the cache loads");
	ui = console_ui(chost_console(h));
	console_set_clock(chost_console(h), 1763561000000000LL);
	s = screen(ui);
	ok(strstr(s, "2 needs approval") != NULL && strstr(s, "1 running") !=
	    NULL && strstr(s, "1 idle") != NULL,
	    "states worked out from the events: 2 waiting, 1 running, 1 idle");
	ok(strstr(s, "Fix the unit CI job") != NULL && strstr(s,
	    "Rename util.h") != NULL, "titles from the cached sessions");
	ok(strstr(s, "7.4k/245") != NULL, "tokens summed from the requests");
	ok(strstr(s, "2 pending") != NULL, "the pending badge");
	diag("%s", s);
	free(s);

	/* Open fix-ci: bodies come back from the store. */
	console_open(chost_console(h), ids[0]);
	s = screen(ui);
	ok(strstr(s, "The unit CI job is red on main") != NULL &&
	    strstr(s, "cd /workspace && make check") != NULL &&
	    strstr(s, "needs approval") != NULL,
	    "the timeline is drawn from bodies read back from the store");
	free(s);
	/* An approval goes out (offline: it fails) and is audited. */
	type(ui, "k a", 0);
	s = screen(ui);
	ok(strstr(s, "offline") != NULL, "offline, the send fails visibly");
	free(s);
	ok(store_flush(st, &cause) == 0 && store_audit_list(st, NULL, &rec,
	    &nrec, &cause) == 0 && nrec == 1 && strcmp(rec[0].action,
	    "approve") == 0 && strcmp(rec[0].session_id, ids[0]) == 0,
	    "the approval is in the cache's audit log");
	store_records_free(rec, nrec);
	type(ui, ":audit", 1);
	type(ui, "Enter", 0);
	s = screen(ui);
	ok(strstr(s, "approve") != NULL && strstr(s, ids[0]) != NULL,
	    ":audit shows it");
	free(s);
	type(ui, "q", 0);
	/* Search runs through the store. */
	type(ui, "/", 0);
	type(ui, "subtracts", 1);
	type(ui, "Enter", 0);
	s = screen(ui);
	ok(strstr(s, "The function subtracts") != NULL, "/ searches bodies");
	free(s);
	chost_free(h);
	loop_free(loop);
	store_close(st);
	free(datadir);
	(void)nftw(tmpl, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	return done_testing();
}
