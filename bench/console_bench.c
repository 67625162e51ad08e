/*
 * ISC licence: see COPYING.  Console benchmarks (issue 5), figures in
 * bench/README.md:
 *
 *   console_bench [-n EVENTS] [-s SESSIONS] DIR
 *
 * DIR holds the cache (XDG_CACHE_HOME); a session of EVENTS events
 * (default 1,000,000, bench_gen's workload) is written to it on the
 * first run and reused after.  Then, on the cache through the real
 * console host:
 *
 *   load     time to index the session from the cache, and the bytes per
 *            event held by the view indexes (timeline + host arrays);
 *   keys     keystroke -> frame in the session's timeline (j, k, PgDn,
 *            PgUp, C-d, g, G, C-o), p50/p99/max over 2,000 keys, on the
 *            headless backend (drawing into the canvas and diffing);
 *   fleet    a fleet of SESSIONS sessions (default 1,000): time per
 *            frame while scrolling down and up through all of it;
 *   bytes    ncurses on a pseudo-terminal, 120x40, the session's
 *            timeline following: bytes written to the terminal for one
 *            new event (each of 200 events), and while idle (frames with
 *            nothing new, and 2 s of the real loop).
 */

#include "config.h"

#include <fcntl.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/loop.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "bench_gen.h"
#include "bench_ui.h"
#include "cli/console_host.h"
#include "store/store.h"
#include "ui/backend.h"
#include "ui/console.h"
#include "ui/keymap.h"
#include "ui/console_int.h"

/* Options for the headless console. */
static void
bench_options(struct ui_options *uo, struct console_config *cc, int w,
    int h)
{
	memset(uo, 0, sizeof *uo);
	memset(cc, 0, sizeof *cc);
	uo->backend = "text";
	uo->theme = "default";
	uo->depth = THEME_DEPTH_16;
	uo->width = w;
	uo->height = h;
	cc->endpoint = "bench";
	cc->stall_ms = 120000;
}

/* Index the big session, then time keystrokes in its timeline. */
static void
bench_load_keys(struct store *st)
{
	static const char	*keys[] = { "j", "k", "PgDn", "PgUp", "C-d",
	    "j", "C-u", "k", "C-o", "j" };
	struct ui_options	 uo;
	struct console_config	 cc;
	struct loop		*loop = loop_create();
	struct chost		*h = chost_create(loop, st, NULL);
	struct console		*con;
	struct console_session	*cs;
	char			*cause = NULL;
	double			 v[2000];
	int64_t			 t0;
	size_t			 n, mem;

	bench_options(&uo, &cc, 120, 40);
	if (chost_open(h, &uo, keymap_create(), &cc, &cause) != 0)
		exit(1);
	con = chost_console(h);
	t0 = clock_mono_us();
	if (chost_load_cache(h, BENCH_SESSION, 1, &cause) != 0) {
		fprintf(stderr, "load: %s\n", cause);
		exit(1);
	}
	cs = console_find(con, BENCH_SESSION);
	n = timeline_count(cs->tl);
	mem = timeline_memory(cs->tl) + (size_t)n * (sizeof(int64_t) +
	    sizeof(char *));
	printf("load: %zu events indexed in %.2f s; view indexes %.1f "
	    "bytes/event (timeline %.1f, host %zu)\n", n,
	    (double)(clock_mono_us() - t0) / 1e6, (double)mem / (double)n,
	    (double)timeline_memory(cs->tl) / (double)n,
	    sizeof(int64_t) + sizeof(char *));
	console_open(con, BENCH_SESSION);
	ui_dirty(console_ui(con));
	ui_frame(console_ui(con));
	(void)bench_key(console_ui(con), "g");
	for (int i = 0; i < 2000; i++) {
		if (i % 500 == 250)
			(void)bench_key(console_ui(con), i % 1000 == 250 ?
			    "G" : "g");
		v[i] = bench_key(console_ui(con), keys[i % 10]);
	}
	bench_report("keys: keystroke -> frame (1M log)", v, 2000);
	chost_free(h);
	loop_free(loop);
}

/* A fleet of n sessions: time per frame while scrolling. */
static void
bench_fleet(int n)
{
	struct ui_options	 uo;
	struct console_config	 cc;
	struct console_host	 host;
	struct console_state	 st;
	struct loop		*loop = loop_create();
	struct console		*con;
	char			*cause = NULL, id[64], title[64];
	double			*v = xcalloc((size_t)n * 2, sizeof *v);

	bench_options(&uo, &cc, 160, 50);
	memset(&host, 0, sizeof host);
	if ((con = console_create(loop, &uo, keymap_create(), &cc, &host,
	    &cause)) == NULL)
		exit(1);
	memset(&st, 0, sizeof st);
	for (int i = 0; i < n; i++) {
		snprintf(id, sizeof id, "sesn_011Cfleet%016d", i);
		snprintf(title, sizeof title, "session number %d", i);
		st.status = i % 7 == 0 ? CONSOLE_RUNNING : CONSOLE_IDLE;
		st.title = title;
		st.agent = "agent";
		st.model = "claude-opus-4-8";
		st.created_us = 1763560000000000LL + i;
		st.last_event_us = 1763560000000000LL + i * 1000;
		st.tokens_in = i * 100;
		st.tokens_out = i * 7;
		st.cost_cents = i;
		console_set_state(con, id, &st);
	}
	console_set_clock(con, 1763561000000000LL);
	ui_dirty(console_ui(con));
	ui_frame(console_ui(con));
	for (int i = 0; i < 2 * n; i++)
		v[i] = bench_key(console_ui(con), i < n ? "j" : "k");
	snprintf(title, sizeof title, "fleet: %d sessions, one row/frame",
	    n);
	bench_report(title, v, (size_t)n * 2);
	console_free(con);
	loop_free(loop);
	free(v);
}

/* Read everything the terminal side has; returns the byte count. */
static size_t
bench_drain(int fd)
{
	char	buf[65536];
	ssize_t	n;
	size_t	total = 0;
	FILE	*f = getenv("BENCH_DUMP") ? fopen(getenv("BENCH_DUMP"), "a") :
	    NULL;

	while ((n = read(fd, buf, sizeof buf)) > 0) {
		if (f != NULL)
			fwrite(buf, 1, (size_t)n, f);
		total += (size_t)n;
	}
	if (f != NULL) {
		fputs("\n=====\n", f);
		fclose(f);
	}
	return total;
}

/* The host's load for the pty console: from the generator's output. */
static struct buf	*bench_bodies;
static size_t		 bench_nbodies;

/* Give back an event body the benchmark made. */
static struct api_event *
bench_load(void *arg, const char *id, uint32_t seq)
{
	char	*cause = NULL;

	if (seq >= bench_nbodies)
		return NULL;
	return api_event_parse(bench_bodies[seq].data, bench_bodies[seq].len,
	    &cause);
}

/* ncurses on a pty: bytes per new event, and while idle. */
static void
bench_bytes(void)
{
	struct ui_options	 uo;
	struct console_config	 cc;
	struct console_host	 host;
	struct bench_gen	 g;
	struct winsize		 ws = { .ws_row = 40, .ws_col = 120 };
	struct loop		*loop;
	struct console		*con;
	struct ui		*ui;
	char			*cause = NULL;
	int			 master, slave, in0, out1;
	int			 warm = 300, nev = 200;
	size_t			 bytes, max = 0, total = 0, idle;
	double			*v = xcalloc((size_t)nev, sizeof *v);

	if (openpty(&master, &slave, NULL, NULL, &ws) != 0) {
		perror("openpty");
		return;
	}
	fcntl(master, F_SETFL, O_NONBLOCK);
	fflush(stdout);
	in0 = dup(0);
	out1 = dup(1);
	dup2(slave, 0);
	dup2(slave, 1);
	setenv("TERM", "xterm-256color", 1);
	bench_nbodies = (size_t)(warm + nev);
	bench_bodies = xcalloc(bench_nbodies, sizeof *bench_bodies);
	bench_gen_init(&g, 7);
	for (size_t i = 0; i < bench_nbodies; i++) {
		buf_init(&bench_bodies[i], BUF_UNBOUNDED);
		bench_gen_next(&g, &bench_bodies[i]);
	}
	loop = loop_create();
	bench_options(&uo, &cc, 0, 0);
	uo.backend = "ncurses";
	if (getenv("BENCH_THEME") != NULL)
		uo.theme = getenv("BENCH_THEME");
	if (getenv("BENCH_DEPTH") != NULL)
		uo.depth = atoi(getenv("BENCH_DEPTH"));
	memset(&host, 0, sizeof host);
	host.load = bench_load;
	if ((con = console_create(loop, &uo, keymap_create(), &cc, &host,
	    &cause)) == NULL) {
		dup2(out1, 1);
		fprintf(stderr, "console: %s\n", cause);
		exit(1);
	}
	ui = console_ui(con);
	for (int i = 0; i < warm; i++)
		console_event(con, BENCH_SESSION, (uint32_t)i,
		    bench_load(NULL, NULL, (uint32_t)i));
	console_open(con, BENCH_SESSION);
	ui_dirty(ui);
	ui_frame(ui);
	(void)bench_drain(master);
	for (int i = 0; i < nev; i++) {
		console_event(con, BENCH_SESSION, (uint32_t)(warm + i),
		    bench_load(NULL, NULL, (uint32_t)(warm + i)));
		ui_frame(ui);
		bytes = bench_drain(master);
		if (getenv("BENCH_DEBUG") != NULL && bytes > 2048)
			fprintf(stderr, "event %d: %zu bytes: %.120s\n",
			    warm + i, bytes, bench_bodies[warm + i].data);
		v[i] = (double)bytes;
		total += bytes;
		max = AD_MAX(max, bytes);
	}
	/* Idle: frames with nothing new, then the real loop for 2 s. */
	ui_dirty(ui);
	ui_frame(ui);
	ui_frame(ui);
	idle = bench_drain(master);
	for (int64_t end = clock_mono_us() + 2000000; clock_mono_us() < end; )
		loop_once(loop, 100);
	idle += bench_drain(master);
	console_free(con);
	loop_free(loop);
	(void)bench_drain(master);
	dup2(in0, 0);
	dup2(out1, 1);
	qsort(v, (size_t)nev, sizeof *v, bench_cmp);
	printf("bytes: one new event (following, 120x40): p50 %.0f  p99 "
	    "%.0f  max %zu  mean %.0f bytes\n", v[nev / 2], v[nev * 99 / 100],
	    max, (double)total / nev);
	printf("bytes: idle (redraw of an unchanged screen + 2 s of the "
	    "loop): %zu bytes\n", idle);
	for (size_t i = 0; i < bench_nbodies; i++)
		buf_clear(&bench_bodies[i]);
	free(bench_bodies);
	free(v);
	close(master);
	close(slave);
}

int
main(int argc, char **argv)
{
	struct store	*st;
	long		 n = 1000000;
	int		 nsess = 1000, ch;

	while ((ch = getopt(argc, argv, "n:s:")) != -1) {
		switch (ch) {
		case 'n':
			n = strtol(optarg, NULL, 10);
			break;
		case 's':
			nsess = (int)strtol(optarg, NULL, 10);
			break;
		default:
			goto usage;
		}
	}
	if (optind + 1 != argc)
		goto usage;
	st = bench_cache_fill(argv[optind], n);
	bench_load_keys(st);
	store_close(st);
	bench_fleet(nsess);
	bench_bytes();
	return 0;
usage:
	fprintf(stderr, "usage: console_bench [-n EVENTS] [-s SESSIONS] "
	    "DIR\n");
	return 2;
}
