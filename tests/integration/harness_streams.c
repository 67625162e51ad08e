/*
 * ISC licence: see COPYING.  harness_streams -- many stream connections
 * and a slow one against a running `pilothouse serve`, for
 * harness_flows.sh.
 *
 * Usage: harness_streams SOCKET idle SESSION N
 *	Open N streams of SESSION over the unix socket, wait until every
 *	one has its response headers, POST one user.message and wait until
 *	every stream has seen the turn end.  Prints "open N", "ended N" and
 *	"ms MS" (the time from the POST until the last stream saw the end).
 * Usage: harness_streams SOCKET slow SESSION TURNS BYTES
 *	Open a stream that never reads (small receive buffer) and one that
 *	reads, then POST TURNS user.messages of BYTES characters one after
 *	another (each after the reader saw the previous turn end).  Prints
 *	"fast_turns N" (turns the reader saw end), "slow_cut 0|1" (the
 *	slow stream was closed by the harness before it got every turn)
 *	and "slow_turns N".
 *
 * Usage: harness_streams SOCKET latency SESSION N
 *	With one stream open, POST N one-word user.messages, one per turn,
 *	and time each from the POST's first byte to the stream's first
 *	byte after it.  Prints "p50_us", "p90_us" and "max_us" (bench/).
 * Usage: harness_streams SOCKET hold SESSION N
 *	Open N idle streams, print "open N" once they have their headers,
 *	and keep them until standard input closes (bench/: memory).
 *
 * Exits 1 with a message on a deadline or a socket error.
 */

#include "config.h"

#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/xmalloc.h"

#define STREAMS_DEADLINE_MS	20000

/* One stream connection and what it has seen. */
struct conn {
	int	 fd;
	int	 headers;	/* the response headers arrived */
	int	 ends;		/* session.status_idle frames seen */
	int	 eof;
	char	 tail[32];	/* the last bytes, for matches across reads */
	size_t	 ntail;
};

static const char	*streams_sock;

/* Microseconds on the monotonic clock. */
static long long
streams_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Milliseconds on the monotonic clock. */
static long long
streams_ms(void)
{
	return streams_us() / 1000;
}

/* Connect to the harness (rcvbuf > 0: set the receive buffer first). */
static int
streams_connect(int rcvbuf)
{
	struct sockaddr_un	sun;
	int			fd;

	if ((fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)) == -1)
		fatal("socket");
	if (rcvbuf > 0 && setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf,
	    sizeof rcvbuf) != 0)
		fatal("SO_RCVBUF");
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(streams_sock) >= sizeof sun.sun_path)
		fatalx("%s: socket path too long", streams_sock);
	strcpy(sun.sun_path, streams_sock);
	if (connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0)
		fatal("connect %s", streams_sock);
	return fd;
}

/* Write all of a buffer. */
static void
streams_write(int fd, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			fatal("write");
		}
		p += n;
		len -= (size_t)n;
	}
}

/* Open a stream of session. */
static void
streams_open(struct conn *c, const char *session, int rcvbuf)
{
	char	*req;

	memset(c, 0, sizeof *c);
	c->fd = streams_connect(rcvbuf);
	xasprintf(&req, "GET /v1/sessions/%s/events/stream HTTP/1.1\r\n"
	    "Host: h\r\nAccept: text/event-stream\r\n\r\n", session);
	streams_write(c->fd, req, strlen(req));
	free(req);
}

/* Count occurrences of needle in tail + data, keeping a new tail. */
static int
streams_count(struct conn *c, const char *data, size_t len,
    const char *needle)
{
	size_t	 nl = strlen(needle), n = c->ntail + len;
	char	*all = xmalloc(n + 1);
	char	*p;
	int	 found = 0;

	memcpy(all, c->tail, c->ntail);
	memcpy(all + c->ntail, data, len);
	all[n] = '\0';
	for (p = all; (p = memmem(p, (size_t)(all + n - p), needle,
	    nl)) != NULL; p += nl)
		found++;
	c->ntail = AD_MIN(n, nl - 1);
	memcpy(c->tail, all + n - c->ntail, c->ntail);
	free(all);
	return found;
}

/* Read what a connection has; notes headers, turn ends and EOF. */
static void
streams_read(struct conn *c)
{
	char	buf[65536];
	ssize_t	n;

	n = read(c->fd, buf, sizeof buf);
	if (n == -1 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		c->eof = 1;
		return;
	}
	if (!c->headers && memmem(buf, (size_t)n, "\r\n\r\n", 4) != NULL)
		c->headers = 1;
	c->ends += streams_count(c, buf, (size_t)n,
	    "event: session.status_idle");
}

/* Poll the connections until done(arg) or the deadline. */
static void
streams_pump(struct conn *cs, size_t n, int (*done)(struct conn *, size_t,
    int), int want, const char *what)
{
	struct pollfd	*pfd = xcalloc(n, sizeof *pfd);
	long long	 end = streams_ms() + STREAMS_DEADLINE_MS;

	while (!done(cs, n, want)) {
		if (streams_ms() > end)
			fatalx("timed out waiting for %s", what);
		for (size_t i = 0; i < n; i++) {
			pfd[i].fd = cs[i].eof ? -1 : cs[i].fd;
			pfd[i].events = POLLIN;
		}
		if (poll(pfd, n, 100) == -1 && errno != EINTR)
			fatal("poll");
		for (size_t i = 0; i < n; i++)
			if (pfd[i].revents != 0)
				streams_read(&cs[i]);
	}
	free(pfd);
}

/* Has every connection its headers? */
static int
streams_all_open(struct conn *cs, size_t n, int want)
{
	(void)want;
	for (size_t i = 0; i < n; i++)
		if (!cs[i].headers) {
			if (cs[i].eof)
				fatalx("stream %zu closed before its headers",
				    i);
			return 0;
		}
	return 1;
}

/* Has every connection seen want turn ends? */
static int
streams_all_ended(struct conn *cs, size_t n, int want)
{
	for (size_t i = 0; i < n; i++)
		if (cs[i].ends < want)
			return 0;
	return 1;
}

/* Is every connection closed or past want turn ends? */
static int
streams_all_done(struct conn *cs, size_t n, int want)
{
	for (size_t i = 0; i < n; i++)
		if (!cs[i].eof && cs[i].ends < want)
			return 0;
	return 1;
}

/* POST one user.message of len characters and check the 200. */
static void
streams_post(const char *session, size_t len)
{
	char	*body, *head, resp[512];
	size_t	 off, got = 0;
	ssize_t	 n;
	int	 fd = streams_connect(0);

	body = xmalloc(len + 128);
	off = (size_t)snprintf(body, 128, "{\"events\":[{\"type\":"
	    "\"user.message\",\"content\":[{\"type\":\"text\",\"text\":\"");
	memset(body + off, 'x', len);
	off += len;
	off += (size_t)snprintf(body + off, 16, "\"}]}]}");
	xasprintf(&head, "POST /v1/sessions/%s/events HTTP/1.1\r\nHost: h\r\n"
	    "Content-Type: application/json\r\nContent-Length: %zu\r\n"
	    "Connection: close\r\n\r\n", session, off);
	streams_write(fd, head, strlen(head));
	streams_write(fd, body, off);
	while (got < sizeof resp - 1 && (n = read(fd, resp + got,
	    sizeof resp - 1 - got)) > 0)
		got += (size_t)n;
	resp[got] = '\0';
	if (strncmp(resp, "HTTP/1.1 200", 12) != 0)
		fatalx("POST failed: %.80s", resp);
	close(fd);
	free(head);
	free(body);
}

/* N idle streams, then one turn they all see. */
static void
streams_idle(const char *session, size_t n)
{
	struct conn	*cs = xcalloc(n, sizeof *cs);
	long long	 t0;

	for (size_t i = 0; i < n; i++)
		streams_open(&cs[i], session, 0);
	streams_pump(cs, n, streams_all_open, 0, "the streams' headers");
	printf("open %zu\n", n);
	fflush(stdout);
	t0 = streams_ms();
	streams_post(session, 8);
	streams_pump(cs, n, streams_all_ended, 1, "every stream's idle");
	printf("ended %zu\nms %lld\n", n, streams_ms() - t0);
	for (size_t i = 0; i < n; i++)
		close(cs[i].fd);
	free(cs);
}

/* A slow reader next to a fast one. */
static void
streams_slow(const char *session, int turns, size_t bytes)
{
	struct conn	 cs[2];	/* [0] fast, [1] slow (read only at the end) */

	streams_open(&cs[0], session, 0);
	streams_open(&cs[1], session, 4096);
	streams_pump(cs, 1, streams_all_open, 0, "the reader's headers");
	for (int t = 1; t <= turns; t++) {
		streams_post(session, bytes);
		streams_pump(cs, 1, streams_all_ended, t, "the reader");
		if (cs[0].eof)
			fatalx("the fast reader was cut");
	}
	printf("fast_turns %d\n", cs[0].ends);
	/* Now drain the slow one: it must end (cut) short of every turn. */
	streams_pump(&cs[1], 1, streams_all_done, turns, "the slow stream");
	printf("slow_cut %d\nslow_turns %d\n", cs[1].eof && cs[1].ends < turns,
	    cs[1].ends);
	close(cs[0].fd);
	close(cs[1].fd);
}

/* Sort helper for latencies. */
static int
streams_cmp(const void *a, const void *b)
{
	long long	x = *(const long long *)a, y = *(const long long *)b;

	return (x > y) - (x < y);
}

/* user.message -> first stream byte, n times. */
static void
streams_latency(const char *session, int n)
{
	struct conn	 c;
	struct pollfd	 pfd;
	long long	*lat = xcalloc((size_t)n, sizeof *lat), t0;

	streams_open(&c, session, 0);
	streams_pump(&c, 1, streams_all_open, 0, "the stream's headers");
	for (int i = 0; i < n; i++) {
		int	before = c.ends;

		t0 = streams_us();
		streams_post(session, 2);
		pfd.fd = c.fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, STREAMS_DEADLINE_MS) != 1)
			fatalx("no stream byte after the POST");
		lat[i] = streams_us() - t0;
		streams_pump(&c, 1, streams_all_ended, before + 1, "the idle");
	}
	qsort(lat, (size_t)n, sizeof *lat, streams_cmp);
	printf("p50_us %lld\np90_us %lld\nmax_us %lld\n", lat[n / 2],
	    lat[n * 9 / 10], lat[n - 1]);
	close(c.fd);
	free(lat);
}

/* N idle streams held until standard input closes. */
static void
streams_hold(const char *session, size_t n)
{
	struct conn	*cs = xcalloc(n, sizeof *cs);
	char		 b[64];

	for (size_t i = 0; i < n; i++)
		streams_open(&cs[i], session, 0);
	streams_pump(cs, n, streams_all_open, 0, "the streams' headers");
	printf("open %zu\n", n);
	fflush(stdout);
	while (read(STDIN_FILENO, b, sizeof b) > 0)
		continue;
	for (size_t i = 0; i < n; i++)
		close(cs[i].fd);
	free(cs);
}

int
main(int argc, char **argv)
{
	struct rlimit	rl;

	if (argc < 5)
		fatalx("usage: harness_streams SOCKET idle|slow SESSION ...");
	streams_sock = argv[1];
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	if (strcmp(argv[2], "idle") == 0)
		streams_idle(argv[3], (size_t)atoi(argv[4]));
	else if (strcmp(argv[2], "latency") == 0 && atoi(argv[4]) > 0)
		streams_latency(argv[3], atoi(argv[4]));
	else if (strcmp(argv[2], "hold") == 0)
		streams_hold(argv[3], (size_t)atoi(argv[4]));
	else if (strcmp(argv[2], "slow") == 0 && argc == 6)
		streams_slow(argv[3], atoi(argv[4]), (size_t)atol(argv[5]));
	else
		fatalx("unknown mode %s", argv[2]);
	return 0;
}
