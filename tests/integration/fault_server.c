/*
 * ISC licence: see COPYING.  fault_server -- a scripted Managed Agents
 * server with fault injection, for the integration and CLI tests.
 *
 * It speaks the wire format of api.md (the parts the client uses) over
 * real sockets -- 127.0.0.1 on an ephemeral port, or a unix socket --
 * and serves sessions whose events are emitted over time: some before
 * any client connects (history only), the rest on a timer while clients
 * stream, reconnect and page the history.  Every stored event is also
 * appended to a log file, so a test can compare what a client kept with
 * what the server holds, byte for byte.
 *
 * Faults, per stream connection: cut after N frames; frames written in
 * two chunks split at a moving byte offset, or one chunk per byte;
 * malformed frames (no event: line, pings, comments, invalid JSON, a
 * non-object, an event without an id, CR and CRLF line ends) between the
 * real ones; a huge event; a stall (no more bytes, socket left open); an
 * "event: error" frame; queued-then-processed echoes of client events.
 * Requests can be made to fail (a status and retry-after-ms) and every
 * request is logged with its headers for the tests to check.
 *
 * Usage: fault_server [options]; prints the port (or "unix") and a
 * newline on stdout once listening, then serves until killed or until
 * --exit-when-done sees every session terminated and every client gone.
 */

#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/io.h"
#include "base/loop.h"
#include "base/xmalloc.h"

#define FS_MAX_REQUEST	(1024 * 1024)
#define FS_MAX_SESSIONS	4096

struct fs_event {
	char	*raw;		/* stored JSON */
	size_t	 len;
	char	*type;
	char	*processed_at;
};

struct fs_conn;
struct fs_delayed;

struct fs_session {
	char			 id[64];
	char			 status[16];
	int			 index;
	struct fs_event		*log;
	size_t			 nlog;
	size_t			 logsize;
	int			 scripted;	/* events left to emit */
	int			 emitted;	/* scripted events emitted */
	int64_t			 last_us;	/* last processed_at */
	int			 same_left;	/* events left at last_us */
	struct loop_timer	*timer;
	struct fs_conn		**subs;		/* streaming connections */
	size_t			 nsubs;
	int			 terminated;
};

struct fs_conn {
	int			 fd;
	struct loop_io		*io;
	struct buf		 in;
	struct buf		 out;
	int			 streaming;
	struct fs_session	*session;
	int			 close_after;	/* close once out is sent */
	int			 stalled;
	int			 number;	/* stream connections so far */
	unsigned		 frames;	/* frames sent on this one */
	unsigned		 split;		/* rotating split offset */
	struct fs_delayed	*delayed;	/* a page to answer later */
	struct fs_conn		*next;		/* every connection */
};

/* A history page answered late (--history-delay). */
struct fs_delayed {
	struct fs_conn		*c;
	struct fs_session	*s;
	char			*keys[64];
	char			*vals[64];
	int			 n;
	struct loop_timer	*t;
	struct fs_delayed	*next;		/* every late page */
};

/* Options. */
static struct {
	int		 events;	/* scripted events per session */
	int		 history;	/* emitted before the first stream */
	int		 interval;	/* ms between emissions */
	int		 sessions;
	int		 cut_every;
	int		 split;
	int		 bytewise;
	int		 malformed;
	int		 huge_at;
	size_t		 huge_size;
	int		 stall_after;	/* on the first connection */
	int		 error_after;	/* on the second connection */
	int		 client_every;	/* every Nth is a user.message */
	int		 page_max;
	int		 same_ts;	/* events sharing a processed_at */
	int		 ping_ms;
	int		 fail_count;
	int		 fail_status;
	int		 fail_retry_ms;
	const char	*fail_should;
	const char	*log_path;
	const char	*req_path;
	const char	*unix_path;
	int		 exit_when_done;
	int		 terminate;
	int		 nohistory;	/* history endpoint always empty */
	int		 history_delay;	/* ms before answering a history page */
	int		 skew_every;	/* every Nth stamped too early */
	unsigned	 seed;
} opt = {
	.events = 50, .history = 10, .interval = 5, .sessions = 1,
	.huge_at = -1, .page_max = 1000, .same_ts = 1, .ping_ms = 0,
	.terminate = 1, .seed = 1
};

static struct loop		*loop;
static struct fs_session	 sessions[FS_MAX_SESSIONS];
static int			 nsessions;
static FILE			*eventf;
static FILE			*reqf;
static int			 failed_so_far;
static int			 stream_conns;
static int			 nconns;
static struct fs_conn		*conns;		/* every connection */
static struct fs_pending	*pendings;	/* queued client events */
static struct fs_delayed	*delays;	/* late history pages */
static struct loop_timer	*ping_timer;
static uint64_t			 rng;
static unsigned			 id_counter;

static void	fs_conn_close(struct fs_conn *);
static void	fs_conn_flush(struct fs_conn *);
static void	fs_emit(struct fs_session *, const char *, size_t);

/* A deterministic pseudo-random number (xorshift). */
static uint64_t
fs_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

/* A new event id in the API's shape. */
static void
fs_new_id(char *out, size_t size, const char *prefix)
{
	snprintf(out, size, "%s_011C%020u", prefix, ++id_counter);
}

/*
 * The next processed_at for a session: increasing (or shared, with
 * --same-ts), except that with --skew-every every Nth event is stamped
 * 700 us before its predecessor, as a server that stamps a client event
 * when it is processed but logs it where it was queued would.
 */
static void
fs_stamp(struct fs_session *s, char *out, size_t size)
{
	static unsigned	n;
	int64_t		now = clock_real_us();

	if (opt.skew_every > 0 && ++n % opt.skew_every == 0 &&
	    s->last_us != 0) {
		clock_format(s->last_us - 700, 6, out, size);
		return;
	}

	if (s->same_left > 0)
		s->same_left--;
	else {
		if (now <= s->last_us)
			now = s->last_us + 1;
		s->last_us = now;
		s->same_left = opt.same_ts - 1;
	}
	clock_format(s->last_us, 6, out, size);
}

/* Append formatted text to a buffer; the ceilings here are generous. */
static void
fs_printf(struct buf *b, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	if (buf_vprintf(b, fmt, ap) != 0)
		fatalx("fs_printf: buffer full");
	va_end(ap);
}

/* Text with quotes, escapes and non-ASCII, len bytes long (about). */
static void
fs_text(struct buf *b, size_t len)
{
	static const char	*words[] = {
		"the", "agent", "ran", "\\\"quoted\\\"", "caf\xc3\xa9",
		"line\\nbreak", "tab\\there", "\xe2\x9c\x93", "files",
		"\\u001b[31mred\\u001b[0m", "build", "ok", "0xdeadbeef"
	};
	size_t			 start = b->len;

	while (b->len - start < len) {
		fs_printf(b, "%s ", words[fs_rand() % AD_NITEMS(words)]);
	}
}

/* Build scripted event number n of session s (without id/processed_at). */
static void
fs_script(struct fs_session *s, int n, struct buf *b, char *type,
    size_t typesize, int *client)
{
	static const char	*cycle[] = {
		"session.status_running", "span.model_request_start",
		"agent.thinking", "agent.message", "agent.tool_use",
		"agent.tool_result", "span.model_request_end",
		"agent.future_thing", "session.status_idle"
	};
	const char		*t;

	*client = opt.client_every > 0 && n % opt.client_every ==
	    opt.client_every - 1;
	if (*client)
		t = "user.message";
	else if (n == opt.huge_at)
		t = "agent.tool_result";
	else
		t = cycle[n % AD_NITEMS(cycle)];
	snprintf(type, typesize, "%s", t);
	if (strcmp(t, "user.message") == 0) {
		fs_printf(b, "\"content\":[{\"type\":\"text\",\"text\":\"");
		fs_text(b, 40 + fs_rand() % 200);
		fs_printf(b, "\"}]");
	} else if (strcmp(t, "agent.message") == 0) {
		fs_printf(b, "\"content\":[{\"type\":\"text\",\"text\":\"");
		fs_text(b, 50 + fs_rand() % 1950);
		fs_printf(b, "\"}]");
	} else if (strcmp(t, "agent.tool_use") == 0) {
		fs_printf(b, "\"name\":\"bash\",\"input\":{\"command\":\"ls -la "
		    "/workspace/%d\"},\"evaluated_permission\":\"allow\","
		    "\"evaluation\":{\"type\":\"always_allow\"}", n);
	} else if (strcmp(t, "agent.tool_result") == 0) {
		fs_printf(b, "\"tool_use_id\":\"sevt_011C%020d\",\"content\":"
		    "[{\"type\":\"text\",\"text\":\"", n);
		fs_text(b, n == opt.huge_at ? opt.huge_size :
		    100 + fs_rand() % (fs_rand() % 8 == 0 ? 20000 : 1500));
		fs_printf(b, "\"}],\"is_error\":false");
	} else if (strcmp(t, "span.model_request_end") == 0) {
		fs_printf(b, "\"model_request_start_id\":\"sevt_x\","
		    "\"is_error\":false,\"model_usage\":{\"input_tokens\":%d,"
		    "\"output_tokens\":%d,\"cache_creation_input_tokens\":0,"
		    "\"cache_read_input_tokens\":%d}", (int)(fs_rand() % 5000),
		    (int)(fs_rand() % 900), (int)(fs_rand() % 20000));
	} else if (strcmp(t, "session.status_idle") == 0) {
		fs_printf(b, "\"stop_reason\":{\"type\":\"end_turn\"},"
		    "\"stop_details\":null");
	} else if (strcmp(t, "agent.future_thing") == 0) {
		fs_printf(b, "\"novel\":{\"shape\":[1,2,3]}");
	}
	(void)s;
}

/* Store an event (raw JSON) in the session log and the log file. */
static void
fs_store(struct fs_session *s, const char *raw, size_t len, const char *type,
    const char *pat)
{
	struct fs_event	*e;

	if (s->nlog == s->logsize) {
		s->logsize = s->logsize ? s->logsize * 2 : 64;
		s->log = xreallocarray(s->log, s->logsize, sizeof *s->log);
	}
	e = &s->log[s->nlog++];
	e->raw = xmemdup(raw, len);
	e->len = len;
	e->type = xstrdup(type);
	e->processed_at = xstrdup(pat);
	if (eventf != NULL) {
		fprintf(eventf, "%s\t%.*s\n", s->id, (int)len, raw);
		fflush(eventf);
	}
	if (strcmp(type, "session.status_running") == 0)
		snprintf(s->status, sizeof s->status, "running");
	else if (strcmp(type, "session.status_idle") == 0)
		snprintf(s->status, sizeof s->status, "idle");
	else if (strcmp(type, "session.status_terminated") == 0) {
		snprintf(s->status, sizeof s->status, "terminated");
		s->terminated = 1;
	}
}

/* Make, store and broadcast one server event of type with body fields. */
static void
fs_event(struct fs_session *s, const char *type, const char *fields)
{
	struct buf	b;
	char		id[64], pat[CLOCK_RFC3339_LEN];

	fs_new_id(id, sizeof id, "sevt");
	fs_stamp(s, pat, sizeof pat);
	buf_init(&b, BUF_UNBOUNDED);
	fs_printf(&b, "{\"type\":\"%s\",\"id\":\"%s\",\"processed_at\":\"%s\""
	    "%s%s}", type, id, pat, *fields ? "," : "", fields);
	fs_store(s, b.data, b.len, type, pat);
	fs_emit(s, b.data, b.len);
	buf_clear(&b);
}

/* Queue bytes on a connection as one chunk. */
static void
fs_chunk(struct fs_conn *c, const char *p, size_t len)
{
	if (len == 0)
		return;
	fs_printf(&c->out, "%zx\r\n", len);
	if (buf_append(&c->out, p, len) != 0 || buf_puts(&c->out, "\r\n") != 0)
		fatalx("fs_chunk: buffer full");
}

/* Queue a frame, split as the options ask. */
static void
fs_frame(struct fs_conn *c, const char *p, size_t len)
{
	size_t	cut;

	if (opt.bytewise) {
		for (size_t i = 0; i < len; i++)
			fs_chunk(c, p + i, 1);
	} else if (opt.split && len > 1) {
		cut = c->split++ % len;
		fs_chunk(c, p, cut);
		fs_chunk(c, p + cut, len - cut);
	} else
		fs_chunk(c, p, len);
}

/* The junk the malformed option puts before frame number n. */
static void
fs_junk(struct fs_conn *c, unsigned n)
{
	static const char	*junk[] = {
		"data: {\"type\":\"agent.message\",\"id\":\"sevt_nameless\","
		    "\"processed_at\":\"2099-01-01T00:00:00Z\"}\n\n",
		"event: ping\ndata: {\"type\":\"ping\"}\n\n",
		": keepalive comment\n\n",
		"event: agent.message\ndata: {\"type\":\"agent.mess\n\n",
		"event: agent.message\ndata: [1,2,3]\n\n",
		"event: agent.message\ndata: {\"type\":\"agent.message\","
		    "\"processed_at\":\"2099-01-01T00:00:00Z\"}\n\n",
		"retry: 10\nid: 7\n: comment\n\n",
		"event: agent.message\ndata: {\"type\":\"agent.message\","
		    "\"id\":\"sevt_bad\",\"processed_at\":\"2099-01-01T00:00:00Z\""
		    ",\"content\":[{\"text\":\"\xff\xfe\"}]}\n\n",
	};
	const char		*j = junk[n % AD_NITEMS(junk)];

	fs_frame(c, j, strlen(j));
}

/* Send one stored or queued event to a streaming connection. */
static void
fs_send(struct fs_conn *c, const char *raw, size_t len, const char *type)
{
	struct buf	 b;
	const char	*eol;

	if (c->stalled || c->close_after)
		return;
	if (opt.malformed)
		fs_junk(c, c->frames);
	/* Line ends rotate LF, CRLF, CR when malformed input is asked for. */
	eol = !opt.malformed ? "\n" : c->frames % 3 == 0 ? "\n" :
	    c->frames % 3 == 1 ? "\r\n" : "\r";
	buf_init(&b, BUF_UNBOUNDED);
	fs_printf(&b, "event: %s%sdata: ", type, eol);
	if (buf_append(&b, raw, len) != 0)
		fatalx("fs_send");
	fs_printf(&b, "%s%s", eol, eol);
	fs_frame(c, b.data, b.len);
	buf_clear(&b);
	c->frames++;
	if (c->number == 1 && opt.stall_after > 0 &&
	    c->frames == (unsigned)opt.stall_after)
		c->stalled = 1;
	else if (c->number == 2 && opt.error_after > 0 &&
	    c->frames == (unsigned)opt.error_after) {
		const char	*e = "event: error\ndata: {\"type\":\"error\","
		    "\"error\":{\"type\":\"overloaded_error\",\"message\":"
		    "\"Overloaded\"}}\n\n";

		fs_frame(c, e, strlen(e));
		c->stalled = 1;		/* then nothing: the client leaves */
	} else if (opt.cut_every > 0 && c->frames % opt.cut_every == 0)
		c->close_after = 1;	/* cut: no final chunk */
	fs_conn_flush(c);
}

/*
 * Broadcast to a session's streams.  Backwards, because a connection
 * that closes is replaced in the array by the last one, already served.
 */
static void
fs_emit(struct fs_session *s, const char *raw, size_t len)
{
	json_t		*j;
	const char	*type;

	j = json_loadb(raw, len, 0, NULL);
	type = json_string_value(json_object_get(j, "type"));
	for (size_t i = s->nsubs; i-- > 0; )
		if (i < s->nsubs)
			fs_send(s->subs[i], raw, len, type != NULL ? type :
			    "unknown");
	json_decref(j);
}

/* Emit the next scripted event (a client one goes queued, then stored). */
static void
fs_emit_scripted(struct fs_session *s)
{
	struct buf	 b, q;
	char		 type[64], id[64], pat[CLOCK_RFC3339_LEN];
	int		 client;

	buf_init(&b, BUF_UNBOUNDED);
	fs_script(s, s->emitted, &b, type, sizeof type, &client);
	s->emitted++;
	fs_new_id(id, sizeof id, "sevt");
	if (client) {
		buf_init(&q, BUF_UNBOUNDED);
		fs_printf(&q, "{\"type\":\"%s\",\"id\":\"%s\",\"processed_at\":"
		    "null,%s}", type, id, buf_cstr(&b));
		fs_emit(s, q.data, q.len);
		buf_clear(&q);
	}
	fs_stamp(s, pat, sizeof pat);
	buf_init(&q, BUF_UNBOUNDED);
	fs_printf(&q, "{\"type\":\"%s\",\"id\":\"%s\",\"processed_at\":\"%s\""
	    "%s%s}", type, id, pat, b.len ? "," : "", buf_cstr(&b));
	fs_store(s, q.data, q.len, type, pat);
	fs_emit(s, q.data, q.len);
	buf_clear(&q);
	buf_clear(&b);
	if (s->emitted == opt.events && opt.terminate)
		fs_event(s, "session.status_terminated", "");
}

/* A session's emission timer. */
static void
fs_session_tick(struct loop_timer *t, void *arg)
{
	struct fs_session	*s = arg;

	if (s->emitted >= opt.events)
		return;
	fs_emit_scripted(s);
	if (s->emitted < opt.events)
		loop_timer_arm(t, opt.interval);
}

/* Pings on every stream. */
static void
fs_ping_tick(struct loop_timer *t, void *arg)
{
	static const char	ping[] =
	    "event: ping\ndata: {\"type\":\"ping\"}\n\n";

	for (int i = 0; i < nsessions; i++)
		for (size_t k = sessions[i].nsubs; k-- > 0; ) {
			struct fs_conn	*c;

			if (k >= sessions[i].nsubs)
				continue;
			c = sessions[i].subs[k];

			if (!c->stalled && !c->close_after) {
				fs_frame(c, ping, sizeof ping - 1);
				fs_conn_flush(c);
			}
		}
	loop_timer_arm(t, opt.ping_ms);
}

/* Write what can be written; close when asked and done. */
static void
fs_conn_flush(struct fs_conn *c)
{
	ssize_t	n;

	while (c->out.len > 0) {
		n = write(c->fd, c->out.data, c->out.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n <= 0) {
			fs_conn_close(c);
			return;
		}
		buf_consume(&c->out, (size_t)n);
	}
	if (c->out.len == 0 && c->close_after) {
		fs_conn_close(c);
		return;
	}
	loop_io_set(c->io, LOOP_READ | (c->out.len > 0 ? LOOP_WRITE : 0));
}

/* Close and forget a connection. */
static void
fs_conn_close(struct fs_conn *c)
{
	struct fs_session	*s = c->session;

	if (s != NULL) {
		for (size_t i = 0; i < s->nsubs; i++) {
			if (s->subs[i] == c) {
				s->subs[i] = s->subs[--s->nsubs];
				break;
			}
		}
	}
	if (c->delayed != NULL)
		c->delayed->c = NULL;
	for (struct fs_conn **pp = &conns; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	loop_io_remove(c->io);
	close(c->fd);
	buf_clear(&c->in);
	buf_clear(&c->out);
	free(c);
	nconns--;
	if (opt.exit_when_done && nconns == 0) {
		int	done = 1;

		for (int i = 0; i < nsessions; i++)
			if (!sessions[i].terminated)
				done = 0;
		if (done)
			loop_exit(loop, 0);
	}
}

/* Queue a complete JSON answer. */
static void
fs_reply(struct fs_conn *c, int status, const char *reason, const char *body,
    size_t len, const char *extra)
{
	char	rid[64];

	fs_new_id(rid, sizeof rid, "req");
	fs_printf(&c->out, "HTTP/1.1 %d %s\r\ncontent-type: application/json"
	    "\r\ncontent-length: %zu\r\nrequest-id: %s\r\n%s\r\n", status,
	    reason, len, rid, extra != NULL ? extra : "");
	if (buf_append(&c->out, body, len) != 0)
		fatalx("fs_reply");
	fs_conn_flush(c);
}

/* An error envelope. */
static void
fs_error(struct fs_conn *c, int status, const char *type, const char *msg,
    const char *extra)
{
	struct buf	b;
	char		rid[64];

	fs_new_id(rid, sizeof rid, "req");
	buf_init(&b, BUF_UNBOUNDED);
	fs_printf(&b, "{\"type\":\"error\",\"error\":{\"type\":\"%s\","
	    "\"message\":\"%s\"},\"request_id\":\"%s\"}", type, msg, rid);
	fs_reply(c, status, status == 404 ? "Not Found" : "Error", b.data,
	    b.len, extra);
	buf_clear(&b);
}

/* Decode %XX and '+' in place. */
static void
fs_unescape(char *s)
{
	char	*o = s;
	int	 hi, lo;

	for (; *s != '\0'; s++) {
		if (*s == '%' && s[1] && s[2] &&
		    sscanf(s + 1, "%1x%1x", &hi, &lo) == 2) {
			*o++ = (char)(hi * 16 + lo);
			s += 2;
		} else if (*s == '+')
			*o++ = ' ';
		else
			*o++ = *s;
	}
	*o = '\0';
}

/* The value of query parameter name (also name[]), or NULL; the nth one. */
static const char *
fs_param(char **keys, char **vals, int n, const char *name, int nth)
{
	size_t	len = strlen(name);

	for (int i = 0; i < n; i++) {
		if (strcmp(keys[i], name) == 0 ||
		    (strncmp(keys[i], name, len) == 0 &&
		    strcmp(keys[i] + len, "[]") == 0)) {
			if (nth-- == 0)
				return vals[i];
		}
	}
	return NULL;
}

/* The session called id, or NULL. */
static struct fs_session *
fs_find(const char *id, size_t len)
{
	for (int i = 0; i < nsessions; i++)
		if (strlen(sessions[i].id) == len &&
		    memcmp(sessions[i].id, id, len) == 0)
			return &sessions[i];
	return NULL;
}

/* A session object. */
static void
fs_session_json(struct buf *b, const struct fs_session *s)
{
	fs_printf(b, "{\"type\":\"session\",\"id\":\"%s\",\"status\":\"%s\","
	    "\"title\":\"fault session %d\",\"agent\":{\"type\":\"agent\","
	    "\"id\":\"agent_011CFAULT\",\"version\":1,\"name\":\"fault\"},"
	    "\"environment_id\":\"env_011CFAULT\",\"metadata\":{},"
	    "\"resources\":[],\"vault_ids\":[],\"usage\":{},\"stats\":{},"
	    "\"archived_at\":null,\"created_at\":\"2026-11-19T14:00:%02d.000000Z\","
	    "\"updated_at\":\"2026-11-19T14:00:%02d.000000Z\"}", s->id,
	    s->status, s->index, s->index % 60, s->index % 60);
}

/* GET /v1/sessions/{id}/events: a page of the log. */
static void
fs_events_list(struct fs_conn *c, struct fs_session *s, char **keys,
    char **vals, int n)
{
	struct buf	 b;
	const char	*v, *gte, *gt, *lte, *lt, *t;
	long		 limit = 1000, pos = 0;
	int		 count = 0, desc = 0, first = 1;

	if ((v = fs_param(keys, vals, n, "limit", 0)) != NULL)
		limit = strtol(v, NULL, 10);
	if (limit <= 0 || limit > opt.page_max)
		limit = opt.page_max;
	if ((v = fs_param(keys, vals, n, "page", 0)) != NULL) {
		if (strncmp(v, "page_", 5) != 0) {
			fs_error(c, 400, "invalid_request_error",
			    "bad page cursor", NULL);
			return;
		}
		pos = strtol(v + 5, NULL, 10);
	}
	v = fs_param(keys, vals, n, "order", 0);
	desc = v != NULL && strcmp(v, "desc") == 0;
	gte = fs_param(keys, vals, n, "created_at[gte]", 0);
	gt = fs_param(keys, vals, n, "created_at[gt]", 0);
	lte = fs_param(keys, vals, n, "created_at[lte]", 0);
	lt = fs_param(keys, vals, n, "created_at[lt]", 0);
	buf_init(&b, BUF_UNBOUNDED);
	fs_printf(&b, "{\"data\":[");
	if (opt.nohistory)
		pos = (long)s->nlog;
	for (; pos < (long)s->nlog && count < limit; pos++) {
		const struct fs_event	*e = &s->log[desc ?
		    (long)s->nlog - 1 - pos : pos];
		int			 match = 1;

		/* Timestamps have one fixed format: compare as strings. */
		if ((gte && strcmp(e->processed_at, gte) < 0) ||
		    (gt && strcmp(e->processed_at, gt) <= 0) ||
		    (lte && strcmp(e->processed_at, lte) > 0) ||
		    (lt && strcmp(e->processed_at, lt) >= 0))
			continue;
		if (fs_param(keys, vals, n, "types", 0) != NULL) {
			match = 0;
			for (int k = 0; (t = fs_param(keys, vals, n, "types",
			    k)) != NULL; k++)
				if (strcmp(t, e->type) == 0)
					match = 1;
		}
		if (!match)
			continue;
		if (!first && buf_putc(&b, ',') != 0)
			fatalx("fs_events_list");
		first = 0;
		if (buf_append(&b, e->raw, e->len) != 0)
			fatalx("fs_events_list");
		count++;
	}
	if (pos < (long)s->nlog)
		fs_printf(&b, "],\"next_page\":\"page_%ld\"}", pos);
	else
		fs_printf(&b, "],\"next_page\":null}");
	fs_reply(c, 200, "OK", b.data, b.len, NULL);
	buf_clear(&b);
}

/* Answer a delayed page, unless its connection went away meanwhile. */
static void
fs_delayed_cb(struct loop_timer *t, void *arg)
{
	struct fs_delayed	*d = arg;

	if (d->c != NULL) {
		d->c->delayed = NULL;
		fs_events_list(d->c, d->s, d->keys, d->vals, d->n);
	}
	for (int i = 0; i < d->n; i++) {
		free(d->keys[i]);
		free(d->vals[i]);
	}
	for (struct fs_delayed **pp = &delays; *pp != NULL;
	    pp = &(*pp)->next) {
		if (*pp == d) {
			*pp = d->next;
			break;
		}
	}
	loop_timer_free(d->t);
	free(d);
}

/* Queue a history page for later. */
static void
fs_delay_list(struct fs_conn *c, struct fs_session *s, char **keys,
    char **vals, int n)
{
	struct fs_delayed	*d;

	d = xcalloc(1, sizeof *d);
	d->c = c;
	d->s = s;
	d->n = n;
	for (int i = 0; i < n; i++) {
		d->keys[i] = xstrdup(keys[i]);
		d->vals[i] = xstrdup(vals[i]);
	}
	c->delayed = d;
	d->t = loop_timer_create(loop, fs_delayed_cb, d);
	d->next = delays;
	delays = d;
	loop_timer_arm(d->t, opt.history_delay);
}

/* A client event queued by POST, to be processed shortly. */
struct fs_pending {
	struct fs_pending	*next;		/* every pending event */
	struct fs_session	*s;
	json_t			*echo;		/* with processed_at null */
	struct loop_timer	*t;
};

/* Process a queued client event, then answer like a tiny agent. */
static void
fs_process(struct loop_timer *t, void *arg)
{
	struct fs_pending	*p = arg;
	struct fs_session	*s = p->s;
	const char		*type, *text;
	json_t			*first, *j;
	char			 pat[CLOCK_RFC3339_LEN], *raw, *txt, *fields;

	fs_stamp(s, pat, sizeof pat);
	json_object_set_new(p->echo, "processed_at", json_string(pat));
	raw = json_dumps(p->echo, JSON_COMPACT);
	type = json_string_value(json_object_get(p->echo, "type"));
	fs_store(s, raw, strlen(raw), type, pat);
	fs_emit(s, raw, strlen(raw));
	free(raw);
	if (strcmp(type, "user.message") == 0) {
		first = json_array_get(json_object_get(p->echo, "content"), 0);
		text = json_string_value(json_object_get(first, "text"));
		fs_event(s, "session.status_running", "");
		j = json_string(text != NULL ? text : "");
		txt = json_dumps(j, JSON_ENCODE_ANY);
		xasprintf(&fields, "\"content\":[{\"type\":\"text\",\"text\":"
		    "\"echo: \"},{\"type\":\"text\",\"text\":%s}]", txt);
		fs_event(s, "agent.message", fields);
		free(fields);
		free(txt);
		json_decref(j);
		fs_event(s, "session.status_idle",
		    "\"stop_reason\":{\"type\":\"end_turn\"}");
	} else if (strcmp(type, "user.interrupt") == 0)
		fs_event(s, "session.status_idle",
		    "\"stop_reason\":{\"type\":\"end_turn\"}");
	for (struct fs_pending **pp = &pendings; *pp != NULL;
	    pp = &(*pp)->next) {
		if (*pp == p) {
			*pp = p->next;
			break;
		}
	}
	loop_timer_free(p->t);
	json_decref(p->echo);
	free(p);
}

/* POST /v1/sessions/{id}/events */
static void
fs_events_send(struct fs_conn *c, struct fs_session *s, const char *body,
    size_t len)
{
	json_t			*root, *events, *ev, *out, *echo;
	struct fs_pending	*p;
	struct buf		 b;
	char			 id[64], *raw;
	size_t			 i;

	if (s->terminated) {
		fs_error(c, 400, "invalid_request_error", "the session is "
		    "terminated", NULL);
		return;
	}
	root = json_loadb(body, len, 0, NULL);
	events = json_object_get(root, "events");
	if (!json_is_array(events) || json_array_size(events) == 0) {
		json_decref(root);
		fs_error(c, 400, "invalid_request_error",
		    "events: expected a non-empty array", NULL);
		return;
	}
	json_array_foreach(events, i, ev) {
		if (!json_is_string(json_object_get(ev, "type"))) {
			json_decref(root);
			fs_error(c, 400, "invalid_request_error",
			    "events: each event needs a type", NULL);
			return;
		}
	}
	out = json_array();
	json_array_foreach(events, i, ev) {
		fs_new_id(id, sizeof id, "sevt");
		echo = json_deep_copy(ev);
		json_object_set_new(echo, "id", json_string(id));
		json_object_set_new(echo, "processed_at", json_null());
		json_array_append(out, echo);
		raw = json_dumps(echo, JSON_COMPACT);
		fs_emit(s, raw, strlen(raw));
		free(raw);
		p = xcalloc(1, sizeof *p);
		p->s = s;
		p->echo = echo;
		p->t = loop_timer_create(loop, fs_process, p);
		p->next = pendings;
		pendings = p;
		loop_timer_arm(p->t, 5 + (int)i);
	}
	buf_init(&b, BUF_UNBOUNDED);
	raw = json_dumps(out, JSON_COMPACT);
	fs_printf(&b, "{\"data\":%s}", raw);
	free(raw);
	fs_reply(c, 200, "OK", b.data, b.len, NULL);
	buf_clear(&b);
	json_decref(out);
	json_decref(root);
}

/* Start streaming a session on this connection. */
static void
fs_stream(struct fs_conn *c, struct fs_session *s)
{
	c->streaming = 1;
	c->session = s;
	c->number = ++stream_conns;
	s->subs = xreallocarray(s->subs, s->nsubs + 1, sizeof *s->subs);
	s->subs[s->nsubs++] = c;
	fs_printf(&c->out, "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream"
	    "\r\ncache-control: no-cache\r\ntransfer-encoding: chunked\r\n"
	    "\r\n");
	fs_conn_flush(c);
	/* Emission starts with the first stream of the session. */
	if (s->emitted < opt.events && !loop_timer_armed(s->timer))
		loop_timer_arm(s->timer, opt.interval);
}

/* Log a request with the headers the tests check, in a fixed order. */
static void
fs_log_request(const char *method, const char *target, const char *headers,
    const char *body, size_t len)
{
	static const char	*names[] = {
		"anthropic-version", "anthropic-beta", "x-api-key",
		"authorization", "user-agent", "content-type", "accept"
	};
	const char		*line, *next, *colon;
	size_t			 nlen;

	if (reqf == NULL)
		return;
	fprintf(reqf, "%lld %s %s", (long long)(clock_mono_us() / 1000),
	    method, target);
	for (size_t i = 0; i < AD_NITEMS(names); i++) {
		nlen = strlen(names[i]);
		for (line = headers; *line != '\0'; line = next) {
			if ((next = strstr(line, "\r\n")) == NULL)
				next = line + strlen(line);
			colon = memchr(line, ':', (size_t)(next - line));
			if (colon != NULL && (size_t)(colon - line) == nlen &&
			    strncasecmp(line, names[i], nlen) == 0) {
				colon++;
				colon += strspn(colon, " ");
				fprintf(reqf, " %s=%.*s", names[i],
				    (int)(next - colon), colon);
			}
			if (*next != '\0')
				next += 2;
		}
	}
	if (len > 0)
		fprintf(reqf, " body=%.*s", (int)len, body);
	fputc('\n', reqf);
	fflush(reqf);
}

/* Route one complete request. */
static void
fs_route(struct fs_conn *c, char *method, char *target, const char *headers,
    const char *body, size_t len)
{
	char		*keys[64], *vals[64], *q, *tok, *save = NULL, *path;
	char		 extra[128];
	int		 n = 0;
	const char	*p, *slash;
	struct fs_session *s;
	struct buf	 b;

	fs_log_request(method, target, headers, body, len);
	if (opt.fail_count > 0 && failed_so_far < opt.fail_count &&
	    strstr(target, "/stream") == NULL) {
		failed_so_far++;
		extra[0] = '\0';
		if (opt.fail_retry_ms > 0)
			snprintf(extra, sizeof extra, "retry-after-ms: %d\r\n",
			    opt.fail_retry_ms);
		if (opt.fail_should != NULL)
			snprintf(extra + strlen(extra), sizeof extra -
			    strlen(extra), "x-should-retry: %s\r\n",
			    opt.fail_should);
		fs_error(c, opt.fail_status, opt.fail_status == 429 ?
		    "rate_limit_error" : "api_error", "injected failure",
		    extra);
		return;
	}
	path = target;
	if ((q = strchr(target, '?')) != NULL) {
		*q++ = '\0';
		for (tok = strtok_r(q, "&", &save); tok != NULL && n < 64;
		    tok = strtok_r(NULL, "&", &save)) {
			char	*eq = strchr(tok, '=');

			keys[n] = tok;
			vals[n] = eq != NULL ? eq + 1 : (char *)"";
			if (eq != NULL)
				*eq = '\0';
			fs_unescape(keys[n]);
			fs_unescape(vals[n]);
			n++;
		}
	}
	if (strcmp(path, "/v1/sessions") == 0 && strcmp(method, "GET") == 0) {
		buf_init(&b, BUF_UNBOUNDED);
		fs_printf(&b, "{\"data\":[");
		for (int i = 0, first = 1; i < nsessions; i++) {
			const char	*st;
			int		 match = fs_param(keys, vals, n,
			    "statuses", 0) == NULL;

			for (int k = 0; (st = fs_param(keys, vals, n,
			    "statuses", k)) != NULL; k++)
				if (strcmp(st, sessions[i].status) == 0)
					match = 1;
			if (!match)
				continue;
			if (!first)
				fs_printf(&b, ",");
			first = 0;
			fs_session_json(&b, &sessions[i]);
		}
		fs_printf(&b, "],\"next_page\":null,\"prev_page\":null}");
		fs_reply(c, 200, "OK", b.data, b.len, NULL);
		buf_clear(&b);
		return;
	}
	if (strncmp(path, "/v1/sessions/", 13) != 0) {
		fs_error(c, 404, "not_found_error", "no such endpoint", NULL);
		return;
	}
	p = path + 13;
	slash = strchr(p, '/');
	s = fs_find(p, slash != NULL ? (size_t)(slash - p) : strlen(p));
	if (s == NULL) {
		fs_error(c, 404, "not_found_error", "session not found", NULL);
		return;
	}
	if (slash == NULL && strcmp(method, "GET") == 0) {
		buf_init(&b, BUF_UNBOUNDED);
		fs_session_json(&b, s);
		fs_reply(c, 200, "OK", b.data, b.len, NULL);
		buf_clear(&b);
	} else if (slash != NULL && strcmp(slash, "/events") == 0 &&
	    strcmp(method, "GET") == 0 && opt.history_delay > 0)
		fs_delay_list(c, s, keys, vals, n);
	else if (slash != NULL && strcmp(slash, "/events") == 0 &&
	    strcmp(method, "GET") == 0)
		fs_events_list(c, s, keys, vals, n);
	else if (slash != NULL && strcmp(slash, "/events") == 0 &&
	    strcmp(method, "POST") == 0)
		fs_events_send(c, s, body, len);
	else if (slash != NULL && strcmp(slash, "/events/stream") == 0 &&
	    strcmp(method, "GET") == 0)
		fs_stream(c, s);
	else
		fs_error(c, 404, "not_found_error", "no such endpoint", NULL);
}

/* Parse requests out of the input buffer. */
static void
fs_conn_parse(struct fs_conn *c)
{
	char	*end, *line, *sp1, *sp2, *cl, *method, *target, *headers;
	size_t	 hlen, blen = 0;

	while (!c->streaming && c->in.len > 0) {
		if ((end = strstr(c->in.data, "\r\n\r\n")) == NULL)
			return;
		hlen = (size_t)(end - c->in.data) + 4;
		*end = '\0';
		line = c->in.data;
		headers = strstr(line, "\r\n");
		if (headers != NULL) {
			*headers = '\0';
			headers += 2;
		}
		if ((cl = headers ? strcasestr(headers, "content-length:") :
		    NULL) != NULL)
			blen = strtoul(cl + 15, NULL, 10);
		if (c->in.len < hlen + blen) {
			/* Put the bytes back as they were and wait. */
			*end = '\r';
			if (headers != NULL)
				headers[-2] = '\r';
			return;
		}
		method = line;
		if ((sp1 = strchr(line, ' ')) == NULL ||
		    (sp2 = strchr(sp1 + 1, ' ')) == NULL) {
			fs_conn_close(c);
			return;
		}
		*sp1 = *sp2 = '\0';
		target = sp1 + 1;
		{
			char	*body = xmemdup(c->in.data + hlen, blen + 1);
			char	*tcopy = xstrdup(target);
			char	*mcopy = xstrdup(method);
			char	*hcopy = xstrdup(headers ? headers : "");

			body[blen] = '\0';
			buf_consume(&c->in, hlen + blen);
			fs_route(c, mcopy, tcopy, hcopy, body, blen);
			free(body);
			free(tcopy);
			free(mcopy);
			free(hcopy);
		}
		return;	/* the connection may be gone; come back on read */
	}
}

/* Readable or writable connection. */
static void
fs_conn_cb(struct loop_io *io, int fd, int events, void *arg)
{
	struct fs_conn	*c = arg;
	char		 tmp[65536];
	ssize_t		 n;

	if (events & LOOP_WRITE) {
		fs_conn_flush(c);
		return;
	}
	n = read(fd, tmp, sizeof tmp);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) {
		fs_conn_close(c);
		return;
	}
	if (c->streaming)
		return;		/* clients send nothing more on a stream */
	if (buf_append(&c->in, tmp, (size_t)n) != 0) {
		fs_conn_close(c);
		return;
	}
	fs_conn_parse(c);
}

/* A new client. */
static void
fs_accept_cb(struct loop_io *io, int lfd, int events, void *arg)
{
	struct fs_conn	*c;
	int		 fd, one = 1;

	if ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK|SOCK_CLOEXEC)) == -1)
		return;
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	c = xcalloc(1, sizeof *c);
	c->fd = fd;
	buf_init(&c->in, FS_MAX_REQUEST);
	buf_init(&c->out, BUF_UNBOUNDED);
	c->io = loop_io_add(loop, fd, LOOP_READ, fs_conn_cb, c);
	c->next = conns;
	conns = c;
	nconns++;
}

/* Free everything, so a leak checker sees only real leaks. */
static void
fs_cleanup(struct loop_io *lio, int lfd)
{
	struct fs_delayed	*d;
	struct fs_pending	*p;

	while (conns != NULL)
		fs_conn_close(conns);
	while ((p = pendings) != NULL) {
		pendings = p->next;
		loop_timer_free(p->t);
		json_decref(p->echo);
		free(p);
	}
	while ((d = delays) != NULL) {
		delays = d->next;
		for (int i = 0; i < d->n; i++) {
			free(d->keys[i]);
			free(d->vals[i]);
		}
		loop_timer_free(d->t);
		free(d);
	}
	for (int i = 0; i < nsessions; i++) {
		for (size_t k = 0; k < sessions[i].nlog; k++) {
			free(sessions[i].log[k].raw);
			free(sessions[i].log[k].type);
			free(sessions[i].log[k].processed_at);
		}
		free(sessions[i].log);
		free(sessions[i].subs);
		loop_timer_free(sessions[i].timer);
	}
	loop_timer_free(ping_timer);
	loop_io_remove(lio);
	close(lfd);
	if (eventf != NULL)
		fclose(eventf);
	if (reqf != NULL)
		fclose(reqf);
	loop_free(loop);
}

/* Stop on SIGTERM. */
static void
fs_signal(int sig, void *arg)
{
	loop_exit(loop, 0);
}

/* Parse "N:STATUS[:RETRY_MS]" for --fail. */
static void
fs_parse_fail(const char *s)
{
	if (sscanf(s, "%d:%d:%d", &opt.fail_count, &opt.fail_status,
	    &opt.fail_retry_ms) < 2)
		fatalx("--fail N:STATUS[:RETRY_MS]");
}

int
main(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "events", required_argument, NULL, 'e' },
		{ "history", required_argument, NULL, 'H' },
		{ "interval", required_argument, NULL, 'i' },
		{ "sessions", required_argument, NULL, 'n' },
		{ "cut-every", required_argument, NULL, 'c' },
		{ "split", no_argument, NULL, 's' },
		{ "bytewise", no_argument, NULL, 'b' },
		{ "malformed", no_argument, NULL, 'm' },
		{ "huge-at", required_argument, NULL, 'g' },
		{ "huge-size", required_argument, NULL, 'G' },
		{ "stall-after", required_argument, NULL, 'S' },
		{ "error-after", required_argument, NULL, 'E' },
		{ "client-every", required_argument, NULL, 'C' },
		{ "page-max", required_argument, NULL, 'p' },
		{ "same-ts", required_argument, NULL, 't' },
		{ "ping", required_argument, NULL, 'P' },
		{ "fail", required_argument, NULL, 'f' },
		{ "should-retry", required_argument, NULL, 'R' },
		{ "log", required_argument, NULL, 'l' },
		{ "requests", required_argument, NULL, 'r' },
		{ "unix", required_argument, NULL, 'u' },
		{ "exit-when-done", no_argument, NULL, 'x' },
		{ "no-terminate", no_argument, NULL, 'T' },
		{ "no-history", no_argument, NULL, 'N' },
		{ "history-delay", required_argument, NULL, 'D' },
		{ "skew-every", required_argument, NULL, 'K' },
		{ "seed", required_argument, NULL, 'z' },
		{ NULL, 0, NULL, 0 }
	};
	struct sockaddr_in	 sin;
	struct sockaddr_un	 sun;
	struct loop_io		*lio;
	socklen_t		 slen = sizeof sin;
	int			 ch, lfd, one = 1;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e': opt.events = atoi(optarg); break;
		case 'H': opt.history = atoi(optarg); break;
		case 'i': opt.interval = atoi(optarg); break;
		case 'n': opt.sessions = atoi(optarg); break;
		case 'c': opt.cut_every = atoi(optarg); break;
		case 's': opt.split = 1; break;
		case 'b': opt.bytewise = 1; break;
		case 'm': opt.malformed = 1; break;
		case 'g': opt.huge_at = atoi(optarg); break;
		case 'G': opt.huge_size = strtoul(optarg, NULL, 10); break;
		case 'S': opt.stall_after = atoi(optarg); break;
		case 'E': opt.error_after = atoi(optarg); break;
		case 'C': opt.client_every = atoi(optarg); break;
		case 'p': opt.page_max = atoi(optarg); break;
		case 't': opt.same_ts = atoi(optarg); break;
		case 'P': opt.ping_ms = atoi(optarg); break;
		case 'f': fs_parse_fail(optarg); break;
		case 'R': opt.fail_should = optarg; break;
		case 'l': opt.log_path = optarg; break;
		case 'r': opt.req_path = optarg; break;
		case 'u': opt.unix_path = optarg; break;
		case 'x': opt.exit_when_done = 1; break;
		case 'T': opt.terminate = 0; break;
		case 'N': opt.nohistory = 1; break;
		case 'D': opt.history_delay = atoi(optarg); break;
		case 'K': opt.skew_every = atoi(optarg); break;
		case 'z': opt.seed = (unsigned)atoi(optarg); break;
		default:
			fprintf(stderr, "fault_server: bad option\n");
			return 2;
		}
	}
	if (opt.sessions < 1 || opt.sessions > FS_MAX_SESSIONS ||
	    opt.same_ts < 1)
		fatalx("bad --sessions or --same-ts");
	signal(SIGPIPE, SIG_IGN);
	rng = 0x9e3779b97f4a7c15ULL ^ opt.seed;
	loop = loop_create();
	if (loop_signal(loop, SIGTERM, fs_signal, NULL) != 0 ||
	    loop_signal(loop, SIGINT, fs_signal, NULL) != 0)
		fatal("loop_signal");
	if (opt.log_path != NULL && (eventf = fopen(opt.log_path, "w")) == NULL)
		fatal("%s", opt.log_path);
	if (opt.req_path != NULL && (reqf = fopen(opt.req_path, "w")) == NULL)
		fatal("%s", opt.req_path);

	nsessions = opt.sessions;
	for (int i = 0; i < nsessions; i++) {
		struct fs_session	*s = &sessions[i];

		snprintf(s->id, sizeof s->id, "sesn_011CFAULT%016d", i);
		snprintf(s->status, sizeof s->status, "idle");
		s->index = i;
		s->timer = loop_timer_create(loop, fs_session_tick, s);
		for (int k = 0; k < opt.history && s->emitted < opt.events; k++)
			fs_emit_scripted(s);
	}

	if (opt.unix_path != NULL) {
		if ((lfd = socket(AF_UNIX, SOCK_STREAM|SOCK_NONBLOCK|
		    SOCK_CLOEXEC, 0)) == -1)
			fatal("socket");
		memset(&sun, 0, sizeof sun);
		sun.sun_family = AF_UNIX;
		snprintf(sun.sun_path, sizeof sun.sun_path, "%s",
		    opt.unix_path);
		unlink(opt.unix_path);
		if (bind(lfd, (struct sockaddr *)&sun, sizeof sun) != 0)
			fatal("bind %s", opt.unix_path);
	} else {
		if ((lfd = socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|
		    SOCK_CLOEXEC, 0)) == -1)
			fatal("socket");
		setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		memset(&sin, 0, sizeof sin);
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		sin.sin_port = 0;
		if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) != 0)
			fatal("bind");
	}
	if (listen(lfd, 4096) != 0)
		fatal("listen");
	if (opt.unix_path != NULL)
		printf("unix\n");
	else {
		if (getsockname(lfd, (struct sockaddr *)&sin, &slen) != 0)
			fatal("getsockname");
		printf("%d\n", ntohs(sin.sin_port));
	}
	fflush(stdout);
	lio = loop_io_add(loop, lfd, LOOP_READ, fs_accept_cb, NULL);
	if (opt.ping_ms > 0) {
		ping_timer = loop_timer_create(loop, fs_ping_tick, NULL);
		loop_timer_arm(ping_timer, opt.ping_ms);
	}
	loop_run(loop);
	if (opt.unix_path != NULL)
		unlink(opt.unix_path);
	fs_cleanup(lio, lfd);
	return 0;
}
