/*
 * ISC licence: see COPYING.  sse_server -- the benchmarks' event source.
 *
 * Serves the bench_gen workload (1.15 KB an event on average) over
 * loopback HTTP/1.1 with chunked encoding, in one of two shapes:
 *
 *   --events N       one session; each stream connection gets N events
 *                    as fast as the client reads, then
 *                    session.status_terminated and the end of the body.
 *                    The bytes are made once at start-up, so the server
 *                    costs little CPU while a client is measured.
 *   --sessions K --rate R
 *                    K sessions (sesn_011CBENCH...0 to K-1), each emitting
 *                    R events a second on its stream, for ever.
 *
 * The history (GET .../events) is always empty; GET /_stats answers
 * {"streams":open,"events":sent}.  Prints the port on stdout.
 */

#include "config.h"

#include <sys/socket.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <arpa/inet.h>

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/loop.h"
#include "base/xmalloc.h"
#include "bench_gen.h"

#define SS_CHUNK	(256 * 1024)	/* burst writes */
#define SS_TICK_MS	10

struct ss_conn {
	int			 fd;
	struct loop_io		*io;
	struct buf		 in;
	struct buf		 out;
	int			 streaming;
	int			 session;	/* -1 for the burst session */
	size_t			 burst_off;	/* bytes of the burst sent */
	int			 closing;
	struct ss_conn		*next;		/* streaming list */
};

struct ss_session {
	struct bench_gen	 gen;
	double			 due;		/* events owed (fractional) */
};

static struct loop		*loop;
static struct buf		 burst;		/* the whole burst body */
static struct ss_session	*sessions;
static int			 nsessions;
static double			 rate;
static struct ss_conn		*streams;
static unsigned long		 nstreams;
static unsigned long long	 sent;
static unsigned long		 burst_events;	/* events in the burst */

static void	ss_close(struct ss_conn *);

/* Append b to a chunked body. */
static void
ss_chunk(struct buf *out, const char *p, size_t len)
{
	if (buf_printf(out, "%zx\r\n", len) != 0 ||
	    buf_append(out, p, len) != 0 || buf_puts(out, "\r\n") != 0)
		fatalx("ss_chunk");
}

/* One SSE frame for the JSON in ev. */
static void
ss_frame(struct buf *out, const struct buf *ev)
{
	const char	*t, *e;

	/* bench_gen writes "type" first: {"type":"...", */
	t = strstr(ev->data, "\"type\":\"") + 8;
	e = strchr(t, '"');
	if (buf_printf(out, "event: %.*s\ndata: ", (int)(e - t), t) != 0 ||
	    buf_append(out, ev->data, ev->len) != 0 ||
	    buf_puts(out, "\n\n") != 0)
		fatalx("ss_frame");
}

/* Make the burst body: n frames and the terminating event, chunked. */
static void
ss_make_burst(unsigned long n)
{
	struct bench_gen	 g;
	struct buf		 ev, frames;
	unsigned long		 i;

	bench_gen_init(&g, 1);
	buf_init(&ev, BUF_UNBOUNDED);
	buf_init(&frames, BUF_UNBOUNDED);
	buf_init(&burst, BUF_UNBOUNDED);
	for (i = 0; i <= n; i++) {
		if (i < n)
			bench_gen_next(&g, &ev);
		else {
			buf_reset(&ev);
			if (buf_printf(&ev, "{\"type\":\"session.status_"
			    "terminated\",\"id\":\"sevt_011CBENCHEND0000000000"
			    "00\",\"processed_at\":\"2099-01-01T00:00:00Z\"}")
			    != 0)
				fatalx("ss_make_burst");
		}
		ss_frame(&frames, &ev);
		if (frames.len >= SS_CHUNK || i == n) {
			ss_chunk(&burst, frames.data, frames.len);
			buf_reset(&frames);
		}
	}
	if (buf_puts(&burst, "0\r\n\r\n") != 0)
		fatalx("ss_make_burst");
	buf_clear(&ev);
	buf_clear(&frames);
}

/* Write what can be written: queued bytes, then more of the burst. */
static void
ss_flush(struct ss_conn *c)
{
	ssize_t	n;

	for (;;) {
		if (c->out.len > 0) {
			n = write(c->fd, c->out.data, c->out.len);
			if (n > 0) {
				buf_consume(&c->out, (size_t)n);
				continue;
			}
		} else if (c->session == -1 && c->streaming &&
		    c->burst_off < burst.len) {
			n = write(c->fd, burst.data + c->burst_off,
			    AD_MIN(burst.len - c->burst_off, SS_CHUNK));
			if (n > 0) {
				c->burst_off += (size_t)n;
				if (c->burst_off == burst.len)
					c->closing = 1;
				continue;
			}
		} else
			break;
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			break;
		ss_close(c);
		return;
	}
	if (c->closing && c->out.len == 0 && (c->session != -1 ||
	    c->burst_off == burst.len)) {
		ss_close(c);
		return;
	}
	loop_io_set(c->io, LOOP_READ | (c->out.len > 0 || (c->session == -1 &&
	    c->streaming && c->burst_off < burst.len) ? LOOP_WRITE : 0));
}

/* Forget a connection. */
static void
ss_close(struct ss_conn *c)
{
	struct ss_conn	**pp;

	for (pp = &streams; *pp != NULL; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			nstreams--;
			break;
		}
	}
	loop_io_remove(c->io);
	close(c->fd);
	buf_clear(&c->in);
	buf_clear(&c->out);
	free(c);
}

/* A complete JSON answer. */
static void
ss_reply(struct ss_conn *c, int status, const char *body)
{
	if (buf_printf(&c->out, "HTTP/1.1 %d %s\r\ncontent-type: "
	    "application/json\r\ncontent-length: %zu\r\n\r\n%s", status,
	    status == 200 ? "OK" : "Not Found", strlen(body), body) != 0)
		fatalx("ss_reply");
	ss_flush(c);
}

/* Route one request (only GETs are used by the benchmarks). */
static void
ss_route(struct ss_conn *c, const char *path)
{
	const char	*p;
	char		 stats[128];
	int		 i;

	if (strcmp(path, "/_stats") == 0) {
		snprintf(stats, sizeof stats, "{\"streams\":%lu,\"events\":"
		    "%llu}", nstreams, sent);
		ss_reply(c, 200, stats);
		return;
	}
	if (strncmp(path, "/v1/sessions/sesn_011CBENCH", 27) != 0) {
		ss_reply(c, 404, "{\"type\":\"error\",\"error\":{\"type\":"
		    "\"not_found_error\",\"message\":\"no such session\"}}");
		return;
	}
	p = path + 27;
	i = atoi(p);
	p += strspn(p, "0123456789");
	if (strncmp(p, "/events?", 8) == 0 || strcmp(p, "/events") == 0) {
		ss_reply(c, 200, "{\"data\":[],\"next_page\":null}");
		return;
	}
	if (strncmp(p, "/events/stream", 14) != 0 ||
	    (nsessions > 0 && (i < 0 || i >= nsessions))) {
		ss_reply(c, 404, "{\"type\":\"error\",\"error\":{\"type\":"
		    "\"not_found_error\",\"message\":\"no such session\"}}");
		return;
	}
	c->streaming = 1;
	c->session = nsessions > 0 ? i : -1;
	c->next = streams;
	streams = c;
	nstreams++;
	if (buf_puts(&c->out, "HTTP/1.1 200 OK\r\ncontent-type: "
	    "text/event-stream\r\ntransfer-encoding: chunked\r\n\r\n") != 0)
		fatalx("ss_route");
	if (c->session == -1)
		sent += burst_events;
	ss_flush(c);
}

/* Readable or writable. */
static void
ss_conn_cb(struct loop_io *io, int fd, int events, void *arg)
{
	struct ss_conn	*c = arg;
	char		 tmp[16384], *end, *sp, *path;
	ssize_t		 n;

	if (events & LOOP_WRITE) {
		ss_flush(c);
		return;
	}
	if ((n = read(fd, tmp, sizeof tmp)) <= 0) {
		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		ss_close(c);
		return;
	}
	if (c->streaming)
		return;
	if (buf_append(&c->in, tmp, (size_t)n) != 0) {
		ss_close(c);
		return;
	}
	while (!c->streaming &&
	    (end = strstr(buf_cstr(&c->in), "\r\n\r\n")) != NULL) {
		*end = '\0';
		if ((sp = strchr(c->in.data, ' ')) == NULL) {
			ss_close(c);
			return;
		}
		path = sp + 1;
		path[strcspn(path, " ")] = '\0';
		path = xstrdup(path);
		buf_consume(&c->in, (size_t)(end - c->in.data) + 4);
		ss_route(c, path);
		free(path);
		return;		/* c may be gone */
	}
}

/* A new client. */
static void
ss_accept_cb(struct loop_io *io, int lfd, int events, void *arg)
{
	struct ss_conn	*c;
	int		 fd, one = 1;

	while ((fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK|SOCK_CLOEXEC)) !=
	    -1) {
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		c = xcalloc(1, sizeof *c);
		c->fd = fd;
		buf_init(&c->in, 65536);
		buf_init(&c->out, BUF_UNBOUNDED);
		c->io = loop_io_add(loop, fd, LOOP_READ, ss_conn_cb, c);
	}
}

/* Emit what each session owes at its rate. */
static void
ss_tick(struct loop_timer *t, void *arg)
{
	struct ss_conn		*c, *next;
	struct buf		 ev, frame;
	struct ss_session	*s;

	buf_init(&ev, BUF_UNBOUNDED);
	buf_init(&frame, BUF_UNBOUNDED);
	for (c = streams; c != NULL; c = next) {
		next = c->next;
		if (c->session < 0)
			continue;
		s = &sessions[c->session];
		s->due += rate * SS_TICK_MS / 1000.0;
		buf_reset(&frame);
		while (s->due >= 1.0) {
			s->due -= 1.0;
			bench_gen_next(&s->gen, &ev);
			ss_frame(&frame, &ev);
			sent++;
		}
		if (frame.len > 0) {
			ss_chunk(&c->out, frame.data, frame.len);
			ss_flush(c);
		}
	}
	buf_clear(&ev);
	buf_clear(&frame);
	loop_timer_arm(t, SS_TICK_MS);
}

/* Stop on SIGTERM/SIGINT. */
static void
ss_signal(int sig, void *arg)
{
	loop_exit(loop, 0);
}

int
main(int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "events", required_argument, NULL, 'e' },
		{ "sessions", required_argument, NULL, 's' },
		{ "rate", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 }
	};
	struct sockaddr_in		 sin;
	socklen_t			 slen = sizeof sin;
	struct loop_timer		*tick = NULL;
	struct loop_io			*lio;
	unsigned long			 events = 200000;
	int				 ch, lfd, one = 1;

	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'e':
			events = strtoul(optarg, NULL, 10);
			break;
		case 's':
			nsessions = atoi(optarg);
			break;
		case 'r':
			rate = atof(optarg);
			break;
		default:
			return 2;
		}
	}
	signal(SIGPIPE, SIG_IGN);
	loop = loop_create();
	if (loop_signal(loop, SIGTERM, ss_signal, NULL) != 0 ||
	    loop_signal(loop, SIGINT, ss_signal, NULL) != 0)
		fatal("loop_signal");
	if (nsessions > 0) {
		sessions = xcalloc((size_t)nsessions, sizeof *sessions);
		for (int i = 0; i < nsessions; i++)
			bench_gen_init(&sessions[i].gen, (uint64_t)i + 7);
		tick = loop_timer_create(loop, ss_tick, NULL);
		loop_timer_arm(tick, SS_TICK_MS);
	} else {
		burst_events = events;
		ss_make_burst(events);
	}
	if ((lfd = socket(AF_INET, SOCK_STREAM|SOCK_NONBLOCK|SOCK_CLOEXEC,
	    0)) == -1)
		fatal("socket");
	setsockopt(lfd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(lfd, 4096) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &slen) != 0)
		fatal("listen");
	printf("%d\n", ntohs(sin.sin_port));
	fflush(stdout);
	lio = loop_io_add(loop, lfd, LOOP_READ, ss_accept_cb, NULL);
	loop_run(loop);
	while (streams != NULL)
		ss_close(streams);
	loop_io_remove(lio);
	close(lfd);
	loop_timer_free(tick);
	free(sessions);
	buf_clear(&burst);
	loop_free(loop);
	return 0;
}
