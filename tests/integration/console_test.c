/*
 * ISC licence: see COPYING.  Golden screens of every console view on the
 * headless backend, from recorded sessions in tests/data/console, and
 * the steering actions as the host receives them.
 *
 * The host here is the test: events come from the JSONL files, the
 * states from states.json (what the reducer would say), and sends are
 * recorded.  PH_GOLDEN_UPDATE=1 rewrites the golden files ("make
 * golden"); otherwise every screen must match its file exactly.
 */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/loop.h"
#include "base/xmalloc.h"
#include "ui/backend.h"
#include "ui/console.h"
#include "ui/keymap.h"
#include "tap.h"

#define MAX_EVENTS	64

struct tsession {
	char		*id;
	char		*lines[MAX_EVENTS];
	size_t		 n;
};

static struct tsession	 sessions[8];
static size_t		 nsessions;
static char		*sends[64];
static size_t		 nsends;
static char		*audits[64];
static size_t		 naudits;
static int		 quits;
static const char	*datadir;
static struct console	*the_con;	/* for the host's answers */

/* The host's load: parse line seq of the session again. */
static struct api_event *
host_load(void *arg, const char *id, uint32_t seq)
{
	char	*cause = NULL;

	for (size_t i = 0; i < nsessions; i++)
		if (strcmp(sessions[i].id, id) == 0 && seq < sessions[i].n)
			return api_event_parse(sessions[i].lines[seq],
			    strlen(sessions[i].lines[seq]), &cause);
	return NULL;
}

/* The host's send: remember the body. */
static void
host_send(void *arg, const char *id, const char *body, uint64_t token)
{
	if (nsends < 64)
		xasprintf(&sends[nsends++], "%s %s", id, body);
	console_sent(the_con, token, NULL);
}

/* The host's audit log. */
static void
host_audit(void *arg, const char *id, const char *action, const char *ids,
    const char *detail)
{
	if (naudits < 64)
		xasprintf(&audits[naudits++], "2025-11-19T14:10:00Z tester %s "
		    "%s %s %s", id, action, ids, detail);
}

/* The audit log for ":audit", newest first. */
static char **
host_audit_list(void *arg, size_t max)
{
	char	**v = xcalloc(naudits + 1, sizeof *v);

	for (size_t i = 0; i < naudits; i++)
		v[i] = xstrdup(audits[naudits - 1 - i]);
	return v;
}

/* Search: the raw lines. */
static int64_t
host_search(void *arg, const char *id, const char *needle, int64_t from,
    int dir)
{
	for (size_t i = 0; i < nsessions; i++) {
		if (strcmp(sessions[i].id, id) != 0)
			continue;
		for (int64_t k = from; k >= 0 && k < (int64_t)sessions[i].n;
		    k += dir)
			if (strstr(sessions[i].lines[k], needle) != NULL)
				return k;
	}
	return -1;
}

/* The operator quit. */
static void
host_quit(void *arg)
{
	quits++;
}

/* Read a session file and feed its events. */
static void
load_session(struct console *con, const char *name)
{
	struct tsession		*ts = &sessions[nsessions++];
	struct buf		 b;
	struct api_event	*ev;
	char			*path, *cause = NULL, *line, *save = NULL;

	xasprintf(&path, "%s/%s.jsonl", datadir, name);
	buf_init(&b, 1 << 20);
	if (io_read_file(path, 1 << 20, &b, &cause) != 0) {
		diag("%s", cause);
		exit(1);
	}
	for (line = strtok_r(b.data, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		ev = api_event_parse(line, strlen(line), &cause);
		if (ev == NULL) {
			diag("%s: %s", path, cause);
			exit(1);
		}
		ts->lines[ts->n] = xstrdup(line);
		ts->n++;
		api_event_free(ev);
	}
	buf_clear(&b);
	free(path);
}

/* Feed the states and the events (states.json names the sessions). */
static void
feed(struct console *con, const char **names)
{
	json_error_t	 err;
	json_t		*root, *s, *p;
	char		*path, *cause = NULL;
	size_t		 i, j;

	xasprintf(&path, "%s/states.json", datadir);
	if ((root = json_load_file(path, 0, &err)) == NULL) {
		diag("%s: %s", path, err.text);
		exit(1);
	}
	for (i = 0; names[i] != NULL; i++)
		load_session(con, names[i]);
	json_array_foreach(json_object_get(root, "sessions"), i, s) {
		struct console_state	 st;
		struct console_pending	 pend[4];
		const char		*status;

		sessions[i].id = xstrdup(json_string_value(json_object_get(s,
		    "id")));
		for (j = 0; j < sessions[i].n; j++)
			console_event(con, sessions[i].id, (uint32_t)j,
			    api_event_parse(sessions[i].lines[j],
			    strlen(sessions[i].lines[j]), &cause));
		memset(&st, 0, sizeof st);
		status = json_string_value(json_object_get(s, "status"));
		st.status = strcmp(status, "running") == 0 ? CONSOLE_RUNNING :
		    CONSOLE_IDLE;
		st.title = json_string_value(json_object_get(s, "title"));
		st.agent = json_string_value(json_object_get(s, "agent"));
		st.model = json_string_value(json_object_get(s, "model"));
		st.stop_reason = json_string_value(json_object_get(s,
		    "stop_reason"));
		st.tool = json_string_value(json_object_get(s, "tool"));
		st.tool_since_us = json_integer_value(json_object_get(s,
		    "tool_since"));
		st.created_us = json_integer_value(json_object_get(s,
		    "created"));
		st.last_event_us = json_integer_value(json_object_get(s,
		    "last_event"));
		st.tokens_in = json_integer_value(json_object_get(s,
		    "tokens_in"));
		st.tokens_out = json_integer_value(json_object_get(s,
		    "tokens_out"));
		st.cost_cents = json_integer_value(json_object_get(s, "cost"));
		st.errors = (int)json_integer_value(json_object_get(s,
		    "errors"));
		json_array_foreach(json_object_get(s, "pending"), j, p) {
			pend[j].event_id = (char *)json_string_value(
			    json_object_get(p, "event_id"));
			pend[j].seq = (uint32_t)json_integer_value(
			    json_object_get(p, "seq"));
			pend[j].custom = json_is_true(json_object_get(p,
			    "custom"));
			pend[j].since_us = json_integer_value(json_object_get(p,
			    "since"));
		}
		st.pending = pend;
		st.npending = j;
		console_set_state(con, sessions[i].id, &st);
	}
	console_set_clock(con, json_integer_value(json_object_get(root,
	    "clock")));
	json_decref(root);
	free(path);
}

/* Type keys (names) and handle them. */
static void
keys(struct console *con, const char *names, int text)
{
	struct ui		*ui = console_ui(con);
	struct ui_backend	*b = ui_backend(ui);
	struct ui_input		 ev[64];
	char			*cause = NULL;
	int			 n;

	if (ui_backend_text_type(b, names, text, &cause) != 0) {
		diag("%s", cause);
		exit(1);
	}
	while ((n = ui_backend_read(b, ev, 64)) > 0)
		for (int i = 0; i < n; i++)
			ui_input(ui, &ev[i]);
}

/* Draw, dump and compare with golden/NAME.txt (or rewrite it). */
static void
golden(struct console *con, const char *name)
{
	struct ui	*ui = console_ui(con);
	struct buf	 got, want;
	char		*path, *cause = NULL;

	ui_dirty(ui);
	ui_frame(ui);
	buf_init(&got, 1 << 20);
	if (ui_backend_text_dump(ui_backend(ui), 1, &got) != 0)
		exit(1);
	xasprintf(&path, "%s/golden/%s.txt", datadir, name);
	if (getenv("PH_GOLDEN_UPDATE") != NULL) {
		if (io_write_file(path, got.data, got.len, &cause) != 0)
			diag("%s", cause);
		ok(1, "%s: golden rewritten", name);
	} else {
		buf_init(&want, 1 << 20);
		if (io_read_file(path, 1 << 20, &want, &cause) != 0) {
			ok(0, "%s: %s", name, cause);
			free(cause);
		} else if (!ok(got.len == want.len && memcmp(got.data,
		    want.data, got.len) == 0, "%s matches its golden screen",
		    name))
			diag("got:\n%s", got.data);
		buf_clear(&want);
	}
	free(path);
	buf_clear(&got);
}

/* The screen as text only (for checks). */
static char *
screen(struct console *con)
{
	struct ui	*ui = console_ui(con);
	struct buf	 got;

	ui_dirty(ui);
	ui_frame(ui);
	buf_init(&got, 1 << 20);
	if (ui_backend_text_dump(ui_backend(ui), 0, &got) != 0)
		exit(1);
	return buf_steal(&got, NULL);
}

/* Forget the recorded sessions (before loading them again). */
static void
forget_sessions(void)
{
	for (size_t i = 0; i < 8; i++) {
		free(sessions[i].id);
		for (size_t j = 0; j < sessions[i].n; j++)
			free(sessions[i].lines[j]);
		memset(&sessions[i], 0, sizeof sessions[i]);
	}
	nsessions = 0;
}

static struct console *start(struct loop *, int, enum ui_clipboard,
		    enum ui_notify);
static const char	*layout_path, *workspace;	/* start() uses */

/* What the backend wrote between frames since the last call. */
static char *
emitted(struct console *con)
{
	struct buf	b;

	buf_init(&b, 1 << 20);
	if (ui_backend_text_emitted(ui_backend(console_ui(con)), &b) != 0)
		exit(1);
	if (b.data == NULL)
		return xstrdup("");
	return buf_steal(&b, NULL);
}

/* "ESC ] 52 ; c ; base64(text) BEL", computed here independently. */
static char *
osc52(const char *text)
{
	static const char	 b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij"
				    "klmnopqrstuvwxyz0123456789+/";
	const unsigned char	*p = (const unsigned char *)text;
	size_t			 len = strlen(text), o;
	char			*out = xmalloc(len * 2 + 16);

	o = (size_t)sprintf(out, "\033]52;c;");
	for (size_t i = 0; i < len; i += 3) {
		unsigned long	v = (unsigned long)p[i] << 16 |
		    (i + 1 < len ? (unsigned long)p[i + 1] << 8 : 0) |
		    (i + 2 < len ? p[i + 2] : 0);

		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < len ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < len ? b64[v & 63] : '=';
	}
	out[o++] = '\a';
	out[o] = '\0';
	return out;
}

/* Is want the whole of what was emitted?  Frees got. */
static void
is_emitted(char *got, const char *want, const char *what)
{
	if (!ok(strcmp(got, want) == 0, "%s", what)) {
		for (char *c = got; *c != '\0'; c++)
			if (*c < 0x20)
				*c = '.';
		diag("got \"%s\"", got);
	}
	free(got);
}

/* y (OSC 52) and notifications (OSC 9), by the exact bytes written. */
static void
test_emitted(struct loop *loop)
{
	struct console		*con;
	struct console_state	 st;
	struct console_pending	 pd[2];
	char			*want, *s;

	con = start(loop, 0, UI_CLIPBOARD_OSC52, UI_NOTIFY_OSC9);
	is_emitted(emitted(con), "", "loading history rings nothing");
	keys(con, "y", 0);
	want = osc52("sesn_011CZkZAtmR3yMPDzynEfix1");
	is_emitted(emitted(con), want, "y in the fleet copies the "
	    "selected session's id with OSC 52");
	free(want);
	s = screen(con);
	ok(strstr(s, "copied sesn_011CZkZAtmR3yMPDzynEfix1") != NULL,
	    "with a toast");
	free(s);
	keys(con, "Enter g y", 0);
	want = osc52("sevt_fix10000x000000000000000");
	is_emitted(emitted(con), want, "y in a session copies the selected "
	    "event's id");
	free(want);
	keys(con, "f y", 0);
	want = osc52("/workspace/src/sum.c");
	is_emitted(emitted(con), want, "y in the files view copies the "
	    "selected file's path");
	free(want);
	keys(con, "q", 0);
	ui_copy(console_ui(con), "evil\033]52;c;cG9pc29u\a");
	is_emitted(emitted(con), "", "text with a control byte is never "
	    "copied");
	s = screen(con);
	ok(strstr(s, "not printable ASCII") != NULL, "and the toast says why");
	free(s);
	keys(con, "q", 0);

	/* A new pending call: OSC 9 with the title, controls removed. */
	memset(&st, 0, sizeof st);
	st.status = CONSOLE_IDLE;
	st.title = "Fix \033]0;pwned\a the CI";
	pd[0] = (struct console_pending){ .event_id =
	    "sevt_fix10014x000000000000000", .seq = 14, .since_us =
	    1763560936500000 };
	pd[1] = (struct console_pending){ .event_id = "sevt_new1",
	    .seq = CONSOLE_SEQ_UNKNOWN, .since_us = 1763560943000000 };
	st.pending = pd;
	st.npending = 2;
	console_set_state(con, "sesn_011CZkZAtmR3yMPDzynEfix1", &st);
	is_emitted(emitted(con), "\033]9;pilothouse: Fix ]0;pwned the CI "
	    "needs approval\a", "a new approval sends OSC 9, title "
	    "sanitized");
	st.errors = 1;
	console_set_state(con, "sesn_011CZkZAtmR3yMPDzynEfix1", &st);
	is_emitted(emitted(con), "", "an error 1 s later does not ring "
	    "again (one per 10 s)");
	console_set_clock(con, 1763560943710000 + 11000000);
	st.errors = 2;
	console_set_state(con, "sesn_011CZkZAtmR3yMPDzynEfix1", &st);
	is_emitted(emitted(con), "\033]9;pilothouse: error in Fix ]0;pwned "
	    "the CI\a", "a new error 11 s later does");
	console_free(con);

	/* [ui] clipboard = off and notify = bel. */
	con = start(loop, 0, UI_CLIPBOARD_OFF, UI_NOTIFY_BEL);
	keys(con, "y", 0);
	is_emitted(emitted(con), "", "clipboard off: y writes nothing");
	s = screen(con);
	ok(strstr(s, "sesn_011CZkZAtmR3yMPDzynEfix1 (clipboard off") != NULL,
	    "and shows the id instead");
	free(s);
	st.errors = 3;
	console_set_state(con, "sesn_011CZkZAtmR3yMPDzynEfix1", &st);
	is_emitted(emitted(con), "\a", "notify = bel rings the bell");
	console_free(con);
}

/* The file's contents, or "" if none.  Caller frees. */
static char *
slurp(const char *path)
{
	struct buf	 b;
	char		*cause = NULL;

	buf_init(&b, 1 << 20);
	if (io_read_file(path, 1 << 20, &b, &cause) != 0 || b.data == NULL) {
		free(cause);
		buf_clear(&b);
		return xstrdup("");
	}
	return buf_steal(&b, NULL);
}

/* The grid layout is kept per workspace in a state file. */
static void
test_layout(struct loop *loop)
{
	struct console	*con;
	struct stat	 sb;
	char		 dir[] = "/tmp/ph-layout-XXXXXX", *path, *s0, *s1, *s;
	char		*cause = NULL;

	if (mkdtemp(dir) == NULL) {
		diag("mkdtemp: %s", strerror(errno));
		exit(1);
	}
	xasprintf(&path, "%s/layout", dir);
	layout_path = path;
	workspace = "ctx-a";
	con = start(loop, 0, UI_CLIPBOARD_OFF, UI_NOTIFY_OFF);
	s0 = screen(con);
	ok(strstr(s0, "sort STATE") != NULL, "no layout saved: the fleet");
	keys(con, ":grid 6", 1);
	keys(con, "Enter l z", 0);
	s1 = screen(con);
	console_free(con);
	s = slurp(path);
	is_str(s, "grid\t6\t1\t1\tctx-a\n", "at exit the grid layout is "
	    "saved for the workspace");
	free(s);
	ok(stat(path, &sb) == 0 && (sb.st_mode & 0777) == 0600,
	    "in a file of mode 0600");

	con = start(loop, 0, UI_CLIPBOARD_OFF, UI_NOTIFY_OFF);
	s = screen(con);
	is_str(s, s1, "the next start there shows the same 6-pane grid, "
	    "zoomed");
	free(s);
	keys(con, "z", 0);
	s = screen(con);
	ok(strstr(s, "sort STATE") == NULL && strcmp(s, s1) != 0,
	    "z unzooms it (still the grid)");
	free(s);
	console_free(con);

	workspace = "ctx-b";
	con = start(loop, 0, UI_CLIPBOARD_OFF, UI_NOTIFY_OFF);
	s = screen(con);
	is_str(s, s0, "another workspace starts on the fleet");
	free(s);
	keys(con, ":grid 2", 1);
	keys(con, "Enter", 0);
	keys(con, ":sessions", 1);
	keys(con, "Enter", 0);
	console_free(con);
	s = slurp(path);
	is_str(s, "grid\t6\t0\t1\tctx-a\ngrid\t2\t0\t0\tctx-b\n",
	    "each workspace keeps its own line");
	free(s);

	s = "grid\t7\t0\t1\tctx-a\n\033[2J\tjunk\ngrid\t4\t0\t1\n";
	if (io_write_file(path, s, strlen(s), &cause) != 0)
		free(cause);
	workspace = "ctx-a";
	con = start(loop, 0, UI_CLIPBOARD_OFF, UI_NOTIFY_OFF);
	s = screen(con);
	is_str(s, s0, "a damaged layout file is ignored");
	free(s);
	console_free(con);
	free(s0);
	free(s1);
	unlink(path);
	rmdir(dir);
	layout_path = workspace = NULL;
	free(path);
}

/* A console over the recorded sessions. */
static struct console *
start(struct loop *loop, int readonly, enum ui_clipboard clip,
    enum ui_notify notify)
{
	static const char		*names[] = { "fix-ci", "refactor",
	    "custom", "hello", NULL };
	struct ui_options		 uo = { .backend = "text", .theme =
	    "default", .depth = THEME_DEPTH_16, .width = 100, .height = 30 };
	struct console_config		 cfg = { .endpoint = "local",
	    .stall_ms = 120000 };
	struct console_host		 host = { 0 };
	struct console			*con;
	char				*cause = NULL;

	uo.readonly = readonly;
	cfg.layout_path = layout_path;
	cfg.workspace = workspace;
	uo.clipboard = clip;
	uo.notify = notify;
	host.load = host_load;
	host.send = host_send;
	host.audit = host_audit;
	host.audit_list = host_audit_list;
	host.search = host_search;
	host.quit = host_quit;
	con = console_create(loop, &uo, keymap_create(), &cfg, &host, &cause);
	if (con == NULL) {
		diag("%s", cause);
		exit(1);
	}
	the_con = con;
	forget_sessions();
	feed(con, names);
	return con;
}

int
main(void)
{
	struct loop	*loop;
	struct console	*con;
	char		*s;
	size_t		 before;

	setenv("TZ", "UTC", 1);
	datadir = getenv("top_srcdir") != NULL ? NULL : "tests/data/console";
	if (datadir == NULL) {
		static char	dir[4096];

		snprintf(dir, sizeof dir, "%s/tests/data/console",
		    getenv("top_srcdir"));
		datadir = dir;
	}
	loop = loop_create();
	con = start(loop, 0, UI_CLIPBOARD_OFF, UI_NOTIFY_OFF);
	golden(con, "fleet");
	keys(con, "Enter", 0);
	golden(con, "session-fix-ci");
	keys(con, "C-o", 0);
	golden(con, "session-fix-ci-expanded");
	keys(con, "C-o k k k C-o", 0);
	golden(con, "session-edit-diff");
	keys(con, "q", 0);
	keys(con, "j j Enter", 0);
	golden(con, "session-refactor");
	s = screen(con);
	ok(strstr(s, "\033") == NULL && strstr(s, "\xe2\x80\xae") == NULL,
	    "no raw ESC or bidi override on the screen");
	free(s);
	keys(con, "J", 0);
	golden(con, "session-raw");
	keys(con, "J q ?", 0);
	golden(con, "help");
	keys(con, "Escape", 0);
	keys(con, ":approvals", 1);
	keys(con, "Enter", 0);
	golden(con, "approvals");
	keys(con, "j Enter", 0);
	golden(con, "card");
	keys(con, "y", 0);
	is_int(nsends, 0, "y within 300 ms of the card is ignored");
	keys(con, "Escape", 0);
	s = screen(con);
	ok(strstr(s, "left pending") != NULL, "Esc leaves the call pending");
	free(s);
	is_int(nsends, 0, "and sends nothing");
	keys(con, "a", 0);
	is_int(nsends, 1, "a in the queue approves");
	ok(nsends == 1 &&
	    strstr(sends[0], "\"type\":\"user.tool_confirmation\"") != NULL &&
	    strstr(sends[0], "\"result\":\"allow\"") != NULL &&
	    strstr(sends[0], "sevt_fix10014") != NULL,
	    "with a user.tool_confirmation for the bash call");
	is_int(naudits, 1, "and an audit record");
	keys(con, ":grid 4", 1);
	keys(con, "Enter", 0);
	golden(con, "grid4");
	keys(con, "z", 0);
	golden(con, "grid4-zoom");
	keys(con, ":sessions", 1);
	keys(con, "Enter", 0);
	keys(con, "f", 0);
	golden(con, "files");
	keys(con, "Enter", 0);
	golden(con, "files-diff");
	keys(con, "q q", 0);
	keys(con, "s", 0);
	keys(con, "please also run the linter", 1);
	keys(con, "Enter", 0);
	ok(nsends == 2 && strstr(sends[1], "\"type\":\"user.message\"") !=
	    NULL && strstr(sends[1], "please also run the linter") != NULL,
	    "s composes and Enter sends a user.message");
	keys(con, "!", 0);
	golden(con, "attention");
	keys(con, "q /", 0);
	keys(con, "^error", 1);
	keys(con, "Enter", 0);
	golden(con, "fleet-filter-error");
	keys(con, "Escape", 0);
	keys(con, ":audit", 1);
	keys(con, "Enter", 0);
	golden(con, "audit");
	keys(con, "q", 0);
	before = nsends;
	keys(con, "i", 0);
	keys(con, "n", 0);
	is_int(nsends, before, "i then n sends nothing");
	keys(con, "i y", 0);
	ok(nsends == before + 1 && strstr(sends[nsends - 1],
	    "user.interrupt") != NULL, "i then y interrupts");
	keys(con, "C-c", 0);
	is_int(quits, 1, "C-c detaches (the host is told to quit)");
	console_free(con);

	con = start(loop, 1, UI_CLIPBOARD_OFF, UI_NOTIFY_OFF);
	before = nsends;
	keys(con, "a s i", 0);
	is_int(nsends, before, "read-only refuses every steering key");
	golden(con, "fleet-readonly");
	console_free(con);
	test_emitted(loop);
	test_layout(loop);
	loop_free(loop);
	for (size_t i = 0; i < nsends; i++)
		free(sends[i]);
	for (size_t i = 0; i < naudits; i++)
		free(audits[i]);
	forget_sessions();
	return done_testing();
}
