/* ISC licence: see COPYING.  A stand-in model server for the brain tests. */

/*
 * No machine here reaches a model, so the brain tests talk to this: an
 * HTTP/1.1 server on 127.0.0.1 (port 0, the kernel picks) that answers
 * the requests it gets, in order, with recorded responses written
 * byte-exact to each protocol (tests/data/brains/).  It records what it
 * was sent, so a test can check the exact request bodies.
 *
 *	brain-standin -s SCRIPT -d DIR
 *	brain-standin -P	(prints a loopback port nobody listens on)
 *
 * SCRIPT has one line per expected request ('#' comments):
 *
 *	STATUS FILE [OPTION...]
 *
 * FILE is the response body, relative to the script unless absolute
 * ("-" for none).  Options: retry-after=V, retry-after-ms=V (headers);
 * pace=MS (sleep between SSE frames); pause=K:MS (sleep before frame K
 * only, from 1); cut=N (send N body bytes, then drop the connection);
 * hang=N (send N frames, then wait for the client to give up); close (no
 * chunking: the body ends when the connection does); type=CONTENT-TYPE.
 *
 * Into DIR it writes: "port" once listening; N.head and N.body for the
 * Nth request (from 1); N.done when the Nth response is over, saying
 * "complete", "cut" or "client-closed MS" (how long after the hang the
 * client went away); N.hanging once a hang begins; N.marks with the
 * CLOCK_MONOTONIC microseconds at which each frame of the body was
 * written; "connections" with one line
 * per accepted connection.  Requests past the end of the script get a
 * 500 in Anthropic's error envelope.  It runs until killed.
 */

#include "config.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#define STANDIN_MAX_HEAD	(64 * 1024)
#define STANDIN_MAX_BODY	(64 * 1024 * 1024)
#define STANDIN_HANG_MAX_MS	30000

struct standin_step {
	int	 status;
	char	*file;		/* body path, or NULL */
	char	*retry_after;
	char	*retry_after_ms;
	char	*type;	/* content type, or NULL: by extension */
	long	 pace_ms;
	long	 pause_frame; /* sleep before this frame (from 1), or 0 */
	long	 pause_ms;
	long	 cut;		/* -1: send everything */
	long	 hang;		/* frames before hanging; -1: never */
	int	 close;
};

static struct standin_step	*steps;
static size_t			 nsteps;
static const char		*outdir;

/* Print a message and exit. */
static void __attribute__((noreturn, format(printf, 1, 2)))
die(const char *fmt, ...)
{
	va_list	ap;

	fputs("brain-standin: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* Monotonic microseconds. */
static int64_t
now_us(void)
{
	struct timespec	ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/* Write a file in outdir atomically (so pollers never see half). */
static void
put_file(const char *name, const void *p, size_t len)
{
	char	tmp[4096], path[4096];
	FILE	*f;

	snprintf(tmp, sizeof tmp, "%s/.%s.tmp", outdir, name);
	snprintf(path, sizeof path, "%s/%s", outdir, name);
	if ((f = fopen(tmp, "w")) == NULL)
		die("%s: %s", tmp, strerror(errno));
	if (len > 0 && fwrite(p, 1, len, f) != len)
		die("%s: short write", tmp);
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		die("%s: %s", path, strerror(errno));
}

/* Read a whole file. */
static char *
read_file(const char *path, size_t *lenp)
{
	FILE	*f;
	char	*p;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		die("%s: %s", path, strerror(errno));
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 ||
	    n > STANDIN_MAX_BODY || fseek(f, 0, SEEK_SET) != 0)
		die("%s: cannot size", path);
	if ((p = malloc((size_t)n + 1)) == NULL)
		die("out of memory");
	if (n > 0 && fread(p, 1, (size_t)n, f) != (size_t)n)
		die("%s: short read", path);
	p[n] = '\0';
	fclose(f);
	*lenp = (size_t)n;
	return p;
}

/* Load the script. */
static void
load_script(const char *script)
{
	char	*text, *line, *save, *tok, *tsave, *dir, *slash;
	size_t	 len;

	text = read_file(script, &len);
	dir = strdup(script);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else
		strcpy(dir, ".");
	for (line = strtok_r(text, "\n", &save); line != NULL;
	    line = strtok_r(NULL, "\n", &save)) {
		struct standin_step	*s;

		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '#' || *line == '\0')
			continue;
		steps = realloc(steps, (nsteps + 1) * sizeof *steps);
		s = &steps[nsteps++];
		memset(s, 0, sizeof *s);
		s->cut = s->hang = -1;
		if ((tok = strtok_r(line, " \t", &tsave)) == NULL ||
		    (s->status = atoi(tok)) < 100)
			die("%s: bad status in step %zu", script, nsteps);
		if ((tok = strtok_r(NULL, " \t", &tsave)) == NULL)
			die("%s: no file in step %zu", script, nsteps);
		if (tok[0] == '/')
			s->file = strdup(tok);
		else if (strcmp(tok, "-") != 0) {
			if (asprintf(&s->file, "%s/%s", dir, tok) < 0)
				die("out of memory");
		}
		while ((tok = strtok_r(NULL, " \t", &tsave)) != NULL) {
			if (strncmp(tok, "retry-after=", 12) == 0)
				s->retry_after = strdup(tok + 12);
			else if (strncmp(tok, "retry-after-ms=", 15) == 0)
				s->retry_after_ms = strdup(tok + 15);
			else if (strncmp(tok, "type=", 5) == 0)
				s->type = strdup(tok + 5);
			else if (strncmp(tok, "pace=", 5) == 0)
				s->pace_ms = atol(tok + 5);
			else if (strncmp(tok, "pause=", 6) == 0 &&
			    strchr(tok, ':') != NULL) {
				s->pause_frame = atol(tok + 6);
				s->pause_ms = atol(strchr(tok, ':') + 1);
			}
			else if (strncmp(tok, "cut=", 4) == 0)
				s->cut = atol(tok + 4);
			else if (strncmp(tok, "hang=", 5) == 0)
				s->hang = atol(tok + 5);
			else if (strcmp(tok, "close") == 0)
				s->close = 1;
			else
				die("%s: unknown option %s", script, tok);
		}
	}
	free(dir);
	free(text);
}

/* Write everything; -1 when the client has gone. */
static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t	n;

	while (len > 0) {
		if ((n = write(fd, p, len)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/*
 * Write one piece of the body, chunked unless the body is close-ended,
 * in one writev as a server that buffers its frames would: three small
 * writes a frame cost this machine's CPU as much as the harness's own
 * work for a token.
 */
static int
write_piece(int fd, int chunked, const char *p, size_t len)
{
	char		head[32];
	struct iovec	iov[3], *v = iov;
	int		n = 0;
	ssize_t		w;

	if (len == 0)
		return 0;
	if (chunked) {
		snprintf(head, sizeof head, "%zx\r\n", len);
		iov[n].iov_base = head;
		iov[n++].iov_len = strlen(head);
	}
	iov[n].iov_base = (void *)(uintptr_t)p;
	iov[n++].iov_len = len;
	if (chunked) {
		iov[n].iov_base = (void *)(uintptr_t)"\r\n";
		iov[n++].iov_len = 2;
	}
	while (n > 0) {
		if ((w = writev(fd, v, n)) < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		for (; n > 0 && (size_t)w >= v->iov_len; v++, n--)
			w -= (ssize_t)v->iov_len;
		if (n > 0) {
			v->iov_base = (char *)v->iov_base + w;
			v->iov_len -= (size_t)w;
		}
	}
	return 0;
}

/* Wait until the client closes; returns the milliseconds it took. */
static long
wait_client_close(int fd)
{
	struct pollfd	 pfd;
	char		 junk[4096];
	int64_t		 start = now_us();
	ssize_t		 n;

	for (;;) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, STANDIN_HANG_MAX_MS) <= 0)
			return -1;
		n = read(fd, junk, sizeof junk);
		if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
			break;
	}
	return (long)((now_us() - start) / 1000);
}

/* Answer request number n (from 1) on fd; returns non-zero to close. */
static int
respond(int fd, size_t n)
{
	struct standin_step	 fallback, *s;
	char			 name[64], head[1024], *body, *marks, *p;
	const char		*type, *reason, *done = "complete";
	size_t			 len, off, end, mlen = 0, msize = 4096;
	size_t			 sent = 0;
	long			 frames = 0;
	int			 chunked, rc = 0;
	long			 ms;

	if (n <= nsteps)
		s = &steps[n - 1];
	else {
		memset(&fallback, 0, sizeof fallback);
		fallback.status = 500;
		fallback.cut = fallback.hang = -1;
		s = &fallback;
	}
	if (s->file != NULL)
		body = read_file(s->file, &len);
	else if (s == &fallback) {
		if (asprintf(&body, "{\"type\":\"error\",\"error\":{\"type\":"
		    "\"api_error\",\"message\":\"stand-in: no scripted "
		    "response for request %zu\"}}", n) < 0)
			die("out of memory");
		len = strlen(body);
	} else {
		body = strdup("");
		len = 0;
	}
	type = s->type;
	if (type == NULL)
		type = s->file != NULL && strstr(s->file, ".sse") != NULL ?
		    "text/event-stream; charset=utf-8" : "application/json";
	switch (s->status) {
	case 200: reason = "OK"; break;
	case 400: reason = "Bad Request"; break;
	case 401: reason = "Unauthorized"; break;
	case 429: reason = "Too Many Requests"; break;
	case 500: reason = "Internal Server Error"; break;
	case 529: reason = "Site Overloaded"; break;
	default: reason = "Status"; break;
	}
	chunked = !s->close && (strstr(type, "event-stream") != NULL ||
	    s->cut >= 0 || s->hang >= 0 || s->pace_ms > 0 || s->pause_ms > 0);
	off = (size_t)snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\n"
	    "Content-Type: %s\r\nrequest-id: req_standin_%zu\r\n",
	    s->status, reason, type, n);
	if (s->retry_after != NULL)
		off += (size_t)snprintf(head + off, sizeof head - off,
		    "retry-after: %s\r\n", s->retry_after);
	if (s->retry_after_ms != NULL)
		off += (size_t)snprintf(head + off, sizeof head - off,
		    "retry-after-ms: %s\r\n", s->retry_after_ms);
	if (s->close)
		off += (size_t)snprintf(head + off, sizeof head - off,
		    "Connection: close\r\n\r\n");
	else if (chunked)
		off += (size_t)snprintf(head + off, sizeof head - off,
		    "Cache-Control: no-cache\r\nTransfer-Encoding: chunked\r\n"
		    "\r\n");
	else
		off += (size_t)snprintf(head + off, sizeof head - off,
		    "Content-Length: %zu\r\n\r\n", len);
	if ((marks = malloc(msize)) == NULL)
		die("out of memory");
	if (write_all(fd, head, off) != 0) {
		done = "client-gone";
		rc = 1;
		goto out;
	}

	/* The body, one SSE frame (or the whole of anything else) a time. */
	for (off = 0; off < len; off = end) {
		end = len;
		if (strstr(type, "event-stream") != NULL &&
		    (p = strstr(body + off, "\n\n")) != NULL)
			end = (size_t)(p - body) + 2;
		if (s->cut >= 0 && (long)end > s->cut)
			end = (size_t)s->cut;
		if (end <= off || (s->hang >= 0 && frames == s->hang))
			break;
		frames++;
		if ((s->pace_ms > 0 && off > 0) ||
		    (s->pause_frame > 0 && frames == s->pause_frame)) {
			long		wait = s->pace_ms > 0 && off > 0 ?
			    s->pace_ms : 0;
			struct timespec	ts;

			if (s->pause_frame > 0 && frames == s->pause_frame)
				wait += s->pause_ms;
			ts.tv_sec = wait / 1000;
			ts.tv_nsec = (wait % 1000) * 1000000;
			nanosleep(&ts, NULL);
		}
		if (mlen + 32 > msize && (marks = realloc(marks,
		    msize *= 2)) == NULL)
			die("out of memory");
		mlen += (size_t)snprintf(marks + mlen, 32, "%" PRId64 "\n",
		    now_us());
		if (write_piece(fd, chunked, body + off, end - off) != 0) {
			done = "client-gone";
			rc = 1;
			goto out;
		}
		sent = end;
	}
	if (s->hang >= 0 && sent < len) {
		snprintf(name, sizeof name, "%zu.hanging", n);
		put_file(name, "", 0);
		ms = wait_client_close(fd);
		snprintf(head, sizeof head, "client-closed %ld\n", ms);
		done = head;
		rc = 1;
	} else if (s->cut >= 0 && sent < len) {
		done = "cut";
		rc = 1;
	} else if (s->close)
		rc = 1;
	else if (chunked && write_all(fd, "0\r\n\r\n", 5) != 0)
		rc = 1;
out:
	snprintf(name, sizeof name, "%zu.marks", n);
	put_file(name, marks, mlen);
	snprintf(name, sizeof name, "%zu.done", n);
	put_file(name, done, strlen(done));
	free(marks);
	free(body);
	return rc;
}

/* Bytes read from one connection but not yet used. */
struct standin_conn {
	char	buf[STANDIN_MAX_HEAD + 1];
	size_t	have;
};

/* Read one request (head and Content-Length body); 0 at a clean EOF. */
static int
read_request(int fd, struct standin_conn *c, size_t n)
{
	char		*buf = c->buf;
	size_t		 have = c->have;
	char		 name[64], *eoh, *cl, *body;
	size_t		 headlen, blen = 0, got;
	ssize_t		 r;

	for (;;) {
		buf[have] = '\0';
		if ((eoh = strstr(buf, "\r\n\r\n")) != NULL)
			break;
		if (have == STANDIN_MAX_HEAD)
			die("request head too long");
		r = read(fd, buf + have, STANDIN_MAX_HEAD - have);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return 0;
		have += (size_t)r;
	}
	headlen = (size_t)(eoh - buf) + 4;
	for (cl = buf; cl < eoh; cl = strstr(cl, "\r\n") + 2) {
		if (strncasecmp(cl, "content-length:", 15) == 0) {
			blen = strtoul(cl + 15, NULL, 10);
			break;
		}
	}
	if (blen > STANDIN_MAX_BODY)
		die("request body too long");
	snprintf(name, sizeof name, "%zu.head", n);
	put_file(name, buf, headlen);
	if ((body = malloc(blen + 1)) == NULL)
		die("out of memory");
	got = have - headlen < blen ? have - headlen : blen;
	memcpy(body, buf + headlen, got);
	memmove(buf, buf + headlen + got, have - headlen - got);
	c->have = have - headlen - got;
	while (got < blen) {
		r = read(fd, body + got, blen - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			die("client went away mid-request");
		got += (size_t)r;
	}
	snprintf(name, sizeof name, "%zu.body", n);
	put_file(name, body, blen);
	free(body);
	return 1;
}

/* Bind a loopback port, print it and let it go: nobody listens there. */
static int
print_dead_port(void)
{
	struct sockaddr_in	sin;
	socklen_t		slen = sizeof sin;
	int			fd;

	if ((fd = socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0)) == -1)
		die("socket: %s", strerror(errno));
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &slen) != 0)
		die("bind: %s", strerror(errno));
	printf("%u\n", ntohs(sin.sin_port));
	close(fd);
	return 0;
}

int
main(int argc, char **argv)
{
	static struct standin_conn conn;
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof sin;
	const char		*script = NULL;
	char			 port[32], line[64];
	size_t			 n = 0, conns = 0, clen = 0;
	char			 connlog[8192];
	int			 ch, lfd, fd, one = 1;

	while ((ch = getopt(argc, argv, "Ps:d:")) != -1) {
		switch (ch) {
		case 'P':
			return print_dead_port();
		case 's':
			script = optarg;
			break;
		case 'd':
			outdir = optarg;
			break;
		default:
			die("usage: brain-standin -s SCRIPT -d DIR");
		}
	}
	if (script == NULL || outdir == NULL)
		die("usage: brain-standin -s SCRIPT -d DIR");
	signal(SIGPIPE, SIG_IGN);
	load_script(script);

	if ((lfd = socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC, 0)) == -1)
		die("socket: %s", strerror(errno));
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = 0;
	if (bind(lfd, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(lfd, 16) != 0 ||
	    getsockname(lfd, (struct sockaddr *)&sin, &slen) != 0)
		die("listen: %s", strerror(errno));
	snprintf(port, sizeof port, "%u\n", ntohs(sin.sin_port));
	put_file("port", port, strlen(port));

	for (;;) {
		if ((fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC)) == -1) {
			if (errno == EINTR)
				continue;
			die("accept: %s", strerror(errno));
		}
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
		snprintf(line, sizeof line, "%zu\n", ++conns);
		if (clen + strlen(line) < sizeof connlog) {
			memcpy(connlog + clen, line, strlen(line));
			clen += strlen(line);
		}
		put_file("connections", connlog, clen);
		conn.have = 0;
		while (read_request(fd, &conn, n + 1))
			if (respond(fd, ++n) != 0)
				break;
		close(fd);
	}
}
