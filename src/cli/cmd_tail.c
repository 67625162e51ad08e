/*
 * ISC licence: see COPYING.  tail [--json] [--until TYPE[:STOP_REASON]]
 * SESSION...: print each session's whole history, then follow it live,
 * every event exactly once (wire/stream.h).
 *
 * Every event is stored in the cache (store/store.h) as it is printed.
 * A session whose whole history is cached already is printed from the
 * cache, then followed from where the cache ends, so only what is new is
 * fetched.  Once a session's history has been read to the end, the cache
 * is told it holds all of it.
 *
 * --json prints every event's JSON exactly as the server sent it, one a
 * line; otherwise one human line per event (more for multi-line text),
 * every string from the server made safe by base/sanitize.h.  Output is
 * flushed once per loop turn, not per event, so a fast stream into a pipe
 * costs a write per batch.
 */

#include "config.h"

#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/sanitize.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/connect.h"
#include "store/store.h"
#include "wire/seen.h"
#include "wire/stream.h"

#define TAIL_MAX_TEXT	4000	/* bytes of one event's text shown */
#define TAIL_MAX_LINES	40	/* lines of it */
#define TAIL_BATCH	256	/* events per cache transaction */

struct tail {
	struct connect		 c;
	struct stream_mgr	*mgr;
	struct store		*store;
	struct loop_timer	*flush;		/* stdout, once per turn */
	int			 json;
	int			 multi;		/* lines name the session */
	const char		*until_type;	/* NULL: follow until the end */
	char			*until_reason;
	size_t			 nsess;
	size_t			 over;		/* sessions ended or failed */
	int			 matched;
	int			 rv;		/* exit status so far */
	int64_t			 max_us;	/* newest time in the cache */
	struct buf		 line;
};

/* Flush stdout after a batch of events. */
static void
tail_flush_cb(struct loop_timer *t, void *arg)
{
	fflush(stdout);
}

/* Append trusted text to the line. */
static void
tail_puts(struct buf *b, const char *s)
{
	if (buf_puts(b, s) != 0)
		fatalx("tail: line too long");
}

/* Append untrusted text, made safe, to the line. */
static void
tail_safe(struct buf *b, const char *s, size_t len)
{
	if (sanitize_to_buf(s, len, b) != 0)
		fatalx("tail: line too long");
}

/* Append the text of content blocks (others as [type]). */
static void
tail_content(struct buf *b, json_t *content)
{
	json_t		*blk;
	const char	*type, *text;
	size_t		 i;

	json_array_foreach(content, i, blk) {
		type = json_string_value(json_object_get(blk, "type"));
		text = json_string_value(json_object_get(blk, "text"));
		if (type != NULL && strcmp(type, "text") == 0 && text != NULL)
			tail_safe(b, text, strlen(text));
		else if (buf_printf(b, "[%s]", type != NULL ? type : "?") != 0)
			fatalx("tail: line too long");
	}
}

/*
 * Write one event for people: time, type, then what matters for that
 * type.  Text longer than TAIL_MAX_TEXT or TAIL_MAX_LINES is cut with a
 * note of how much was left out; continuation lines are indented.
 */
static void
tail_human(struct tail *t, const char *session, struct api_event *ev)
{
	struct api_event_view	 v;
	struct buf		*b = &t->line, body;
	char			*cause = NULL, *input;
	const char		*p, *nl;
	size_t			 lines = 0, shown;

	buf_reset(b);
	if (t->multi) {
		tail_safe(b, session, strlen(session));
		tail_puts(b, " ");
	}
	/* "2026-11-19T14:02:11.694913Z": show 14:02:11.694. */
	if (ev->processed_at != NULL && strlen(ev->processed_at) >= 23)
		tail_safe(b, ev->processed_at + 11, 12);
	else
		tail_puts(b, "--:--:--.---");
	tail_puts(b, " ");
	tail_safe(b, ev->type_name, strlen(ev->type_name));
	if (ev->type == API_EV_UNKNOWN)
		tail_puts(b, " (unknown type)");
	buf_init(&body, BUF_UNBOUNDED);
	if (api_event_view(ev, &v, &cause) != 0) {
		free(cause);
		goto out;
	}
	if (v.tool_name != NULL) {
		tail_safe(&body, v.tool_name, strlen(v.tool_name));
		if (v.tool_input != NULL &&
		    (input = json_dumps(v.tool_input, JSON_COMPACT)) != NULL) {
			tail_puts(&body, " ");
			tail_safe(&body, input, strlen(input));
			free(input);
		}
		if (v.evaluated_permission != NULL &&
		    strcmp(v.evaluated_permission, "allow") != 0 &&
		    buf_printf(&body, " [%s]", v.evaluated_permission) != 0)
			fatalx("tail: line too long");
	} else if (v.stop_reason != NULL) {
		tail_safe(&body, v.stop_reason, strlen(v.stop_reason));
		for (size_t i = 0; i < json_array_size(v.stop_event_ids); i++) {
			p = json_string_value(json_array_get(v.stop_event_ids,
			    i));
			if (p == NULL)
				continue;
			tail_puts(&body, " ");
			tail_safe(&body, p, strlen(p));
		}
	} else if (v.error_type != NULL || v.error_message != NULL) {
		if (v.error_type != NULL)
			tail_safe(&body, v.error_type, strlen(v.error_type));
		if (v.error_message != NULL) {
			tail_puts(&body, ": ");
			tail_safe(&body, v.error_message,
			    strlen(v.error_message));
		}
		if (v.retry_status != NULL &&
		    buf_printf(&body, " (%s)", v.retry_status) != 0)
			fatalx("tail: line too long");
	} else if (v.result != NULL) {
		tail_safe(&body, v.result, strlen(v.result));
		if (v.deny_message != NULL) {
			tail_puts(&body, ": ");
			tail_safe(&body, v.deny_message,
			    strlen(v.deny_message));
		}
	} else if (v.content != NULL) {
		if (v.is_error == 1)
			tail_puts(&body, "error: ");
		tail_content(&body, v.content);
	} else if (v.has_usage && ev->type == API_EV_SPAN_MODEL_REQUEST_END &&
	    buf_printf(&body, "in %lld out %lld",
	    (long long)v.usage.input_tokens,
	    (long long)v.usage.output_tokens) != 0)
		fatalx("tail: line too long");
	if (body.len == 0)
		goto out;
	/* The body: first line after the type, the rest indented. */
	p = buf_cstr(&body);
	shown = 0;
	while (*p != '\0' && lines < TAIL_MAX_LINES && shown < TAIL_MAX_TEXT) {
		nl = strchr(p, '\n');
		if (nl == NULL)
			nl = p + strlen(p);
		if ((size_t)(nl - p) > TAIL_MAX_TEXT - shown)
			nl = p + (TAIL_MAX_TEXT - shown);
		if (buf_puts(b, lines == 0 ? "  " : "\n    ") != 0 ||
		    buf_append(b, p, (size_t)(nl - p)) != 0)
			fatalx("tail: line too long");
		shown += (size_t)(nl - p) + 1;
		lines++;
		p = *nl == '\n' ? nl + 1 : nl;
	}
	if (*p != '\0' && buf_printf(b, "\n    [... %zu more bytes]",
	    strlen(p)) != 0)
		fatalx("tail: line too long");
out:
	buf_clear(&body);
	printf("%s\n", buf_cstr(b));
}

/* Does the event match --until? */
static int
tail_until(struct tail *t, struct api_event *ev)
{
	struct api_event_view	 v;
	char			*cause = NULL;

	if (t->until_type == NULL || strcmp(ev->type_name, t->until_type) != 0)
		return 0;
	if (t->until_reason == NULL)
		return 1;
	if (api_event_view(ev, &v, &cause) != 0) {
		free(cause);
		return 0;
	}
	return v.stop_reason != NULL &&
	    strcmp(v.stop_reason, t->until_reason) == 0;
}

/* Print one event; non-zero when it is the one --until awaits. */
static int
tail_print(struct tail *t, const char *session, struct api_event *ev)
{
	if (t->json)
		printf("%.*s\n", (int)ev->rawlen, ev->raw);
	else
		tail_human(t, session, ev);
	if (tail_until(t, ev)) {
		t->matched = 1;
		return 1;
	}
	return 0;
}

/* One event of the log: cache it, print it, stop if it was awaited. */
static void
tail_event(struct stream *s, struct api_event *ev, void *arg)
{
	struct tail	*t = arg;

	if (!t->matched) {
		store_event_put(t->store, stream_session(s), ev);
		if (tail_print(t, stream_session(s), ev))
			loop_exit(t->c.loop, CMD_EXIT_OK);
		if (!loop_timer_armed(t->flush))
			loop_timer_arm(t->flush, 0);
	}
	api_event_free(ev);
}

/*
 * Print what the cache holds of a session and return 1 with the place to
 * follow from -- the newest processed_at and every id within the reorder
 * window behind it (stream.h) -- if it holds the whole history; 0 if the
 * history must be fetched; -1 on a cache error; 2 when --until was met.
 */
static int
tail_cached(struct tail *t, const char *session, struct stream_sync *from)
{
	struct store_sync	 sy;
	struct store_iter	*it;
	struct store_event	 e;
	struct api_event	*ev;
	struct seen		*window;
	char			*cause = NULL;
	int			 r, full = 0;

	memset(from, 0, sizeof *from);
	if ((r = store_sync_get(t->store, session, &sy, &cause)) == 1) {
		full = sy.full_history;
		store_sync_clear(&sy);
	}
	if (r != 1 || !full)
		goto out;
	it = store_iter_events(t->store, session, 0, NULL, STORE_ITER_RAW,
	    &cause);
	window = seen_create();
	while (it != NULL && (r = store_iter_next(it, &e, &cause)) == 1) {
		if (e.processed_us == -1)
			continue;	/* a queued echo: not in the log yet */
		if ((ev = api_event_parse(e.raw, e.rawlen, &cause)) == NULL) {
			free(cause);
			cause = NULL;
			continue;
		}
		seen_add(window, ev->id, ev->processed_us);
		if (from->processed_at == NULL ||
		    ev->processed_us > t->max_us) {
			free(from->processed_at);
			from->processed_at = xstrdup(ev->processed_at);
			t->max_us = ev->processed_us;
			seen_prune(window, t->max_us - STREAM_REORDER_MS *
			    1000);
		}
		r = tail_print(t, session, ev);
		api_event_free(ev);
		if (r) {
			r = 2;
			break;
		}
	}
	store_iter_free(it);
	if (it != NULL && r != -1) {
		from->nids = seen_count(window);
		from->ids = xcalloc(from->nids + 1, sizeof *from->ids);
		for (size_t i = 0; i < from->nids; i++)
			from->ids[i] = xstrdup(seen_at(window, i));
	}
	seen_free(window);
	if (it == NULL || r == -1) {
		stream_sync_clear(from);
		goto out;
	}
	if (from->processed_at == NULL)
		return 0;	/* nothing cached after all */
	return r == 2 ? 2 : 1;
out:
	if (cause != NULL) {
		fprintf(stderr, "pilothouse: cache: %s\n", cause);
		free(cause);
		return -1;
	}
	return 0;
}

/* Is the event in the cache already?  (Resuming: see stream.h.) */
static int
tail_known(struct stream *s, const char *id, void *arg)
{
	struct tail	*t = arg;

	return connect_known(t->store, stream_session(s), id);
}

/* A frame that was not an event: record it, say so, and carry on. */
static void
tail_decode_error(struct stream *s, const char *p, size_t len,
    const char *why, void *arg)
{
	struct tail	*t = arg;

	connect_decode_error(t->store, NULL, stream_session(s), why, p, len);
}

/* Follow state: failures are reported; the end of every session ends. */
static void
tail_state(struct stream *s, enum stream_state st,
    const struct api_error *err, void *arg)
{
	struct tail	*t = arg;
	int		 rv;

	if (st == STREAM_BACKOFF && err != NULL && err->message != NULL)
		log_info("%s: reconnecting: %s", stream_session(s),
		    err->message);
	/* After --until matched, later events were not cached. */
	if (st == STREAM_LIVE && !t->matched)
		store_sync_set_full(t->store, stream_session(s));
	if (st != STREAM_ENDED && st != STREAM_FAILED)
		return;
	if (st == STREAM_FAILED) {
		rv = CMD_EXIT_NETWORK;
		if (err != NULL)
			rv = connect_error(stream_session(s), err);
		if (t->rv == CMD_EXIT_OK)
			t->rv = rv;
	}
	if (++t->over == t->nsess)
		loop_exit(t->c.loop, t->rv);
}

/* SIGINT or SIGTERM: stop. */
static void
tail_signal(int sig, void *arg)
{
	struct tail	*t = arg;

	loop_exit(t->c.loop, CMD_EXIT_INTERRUPTED);
}

/* Parse TYPE[:STOP_REASON]. */
static int
tail_parse_until(struct tail *t, const char *arg)
{
	char	*colon;

	t->until_reason = NULL;
	if (*arg == '\0' || *arg == ':')
		return -1;
	t->until_type = arg;
	if ((colon = strchr(arg, ':')) != NULL) {
		if (colon[1] == '\0')
			return -1;
		t->until_reason = xstrdup(colon + 1);
		t->until_type = xstrndup(arg, (size_t)(colon - arg));
	}
	return 0;
}

/* Print history, then follow. */
int
cmd_tail_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	static const struct stream_ops	 ops = {
		.event = tail_event,
		.decode_error = tail_decode_error,
		.state = tail_state,
		.known = tail_known
	};
	const struct cmd_entry		*ce = cmd_find("tail");
	struct tail			 t;
	struct stream_sync		 from;
	char				*cause = NULL;
	int				 ch, rv, owned = 0;

	memset(&t, 0, sizeof t);
	while ((ch = getopt_long(argc, argv, "ju:", longopts, NULL)) != -1) {
		switch (ch) {
		case 'j':
			t.json = 1;
			break;
		case 'u':
			if (tail_parse_until(&t, optarg) != 0)
				return cmd_usage_error(ce, "--until needs "
				    "TYPE or TYPE:STOP_REASON");
			owned = t.until_reason != NULL;
			break;
		default:
			return cmd_usage_error(ce, "unknown option");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc == 0)
		rv = cmd_usage_error(ce, "tail needs at least one session");
	else
		rv = connect_open(&t.c, g);
	if (rv != CMD_EXIT_OK)
		goto out;
	t.nsess = (size_t)argc;
	t.multi = argc > 1;
	buf_init(&t.line, BUF_UNBOUNDED);
	t.flush = loop_timer_create(t.c.loop, tail_flush_cb, NULL);
	if (loop_signal(t.c.loop, SIGINT, tail_signal, &t) != 0 ||
	    loop_signal(t.c.loop, SIGTERM, tail_signal, &t) != 0)
		fatal("loop_signal");
	if ((t.store = store_open(NULL, 0, &cause)) == NULL) {
		fprintf(stderr, "pilothouse: cache: %s\n", cause);
		free(cause);
		rv = CMD_EXIT_LOCAL;
		goto close;
	}
	/*
	 * Smaller transactions than the store's default: a batch in the
	 * writer's hands is memory, and 256 events a commit ingest as fast
	 * here (bench/README.md).
	 */
	store_set_batch(t.store, TAIL_BATCH, STORE_DEFAULT_BATCH_MS);
	t.mgr = stream_mgr_create(t.c.client, &connect_stream_opts, &ops);
	rv = CMD_EXIT_OK;
	for (int i = 0; i < argc && rv == CMD_EXIT_OK && !t.matched; i++) {
		t.max_us = 0;
		switch (tail_cached(&t, argv[i], &from)) {
		case -1:
			rv = CMD_EXIT_LOCAL;
			break;
		case 2:
			t.nsess = 0;	/* --until was met: follow nothing */
			break;
		default:
			if (t.nsess != 0)
				stream_follow(t.mgr, argv[i], from.processed_at
				    != NULL ? &from : NULL, &t);
			break;
		}
		stream_sync_clear(&from);
	}
	fflush(stdout);		/* what the cache held, before waiting */
	if (rv == CMD_EXIT_OK && t.nsess != 0)
		rv = loop_run(t.c.loop);
	fflush(stdout);
	if (rv == CMD_EXIT_OK && t.until_type != NULL && !t.matched) {
		fprintf(stderr, "pilothouse: the session%s ended without "
		    "%s%s%s\n",
		    t.nsess > 1 ? "s" : "", t.until_type,
		    t.until_reason != NULL ? ":" : "",
		    t.until_reason != NULL ? t.until_reason : "");
		rv = CMD_EXIT_FAIL;
	}
	stream_mgr_free(t.mgr);
	if (store_flush(t.store, &cause) != 0) {
		fprintf(stderr, "pilothouse: cache: %s\n", cause);
		free(cause);
		if (rv == CMD_EXIT_OK)
			rv = CMD_EXIT_LOCAL;
	}
	store_close(t.store);
close:
	loop_timer_free(t.flush);
	buf_clear(&t.line);
	connect_close(&t.c);
out:
	if (owned) {
		free(t.until_reason);
		free((char *)t.until_type);
	}
	return rv;
}
