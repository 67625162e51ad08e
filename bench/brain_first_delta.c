/* ISC licence: see COPYING.  When the first preview reaches a subscriber. */

/*
 * bench/brain_first_delta SOCKET SESSION: subscribe to a session's stream
 * on the local harness's unix socket with event_deltas[]=agent.message,
 * print "ready" once the response has started (the subscription is
 * live), then print the CLOCK_MONOTONIC microseconds at which the read
 * holding the first event_delta frame returned, and exit.  bench/brain.sh
 * compares that with the moment the stand-in model server wrote the
 * first text token.
 */

#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/clock.h"

int
main(int argc, char **argv)
{
	struct sockaddr_un	 sun;
	static char		 buf[1 << 20];
	char			 req[512];
	size_t			 have = 0;
	ssize_t			 n;
	int			 fd, ready = 0;

	if (argc != 3) {
		fprintf(stderr, "usage: brain_first_delta SOCKET SESSION\n");
		return 2;
	}
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if (strlen(argv[1]) >= sizeof sun.sun_path)
		return 2;
	memcpy(sun.sun_path, argv[1], strlen(argv[1]) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) == -1 ||
	    connect(fd, (struct sockaddr *)&sun, sizeof sun) != 0) {
		fprintf(stderr, "brain_first_delta: %s: %s\n", argv[1],
		    strerror(errno));
		return 1;
	}
	snprintf(req, sizeof req, "GET /v1/sessions/%s/events/stream?"
	    "event_deltas[]=agent.message HTTP/1.1\r\nHost: h\r\n"
	    "Accept: text/event-stream\r\n\r\n", argv[2]);
	if (write(fd, req, strlen(req)) != (ssize_t)strlen(req))
		return 1;
	for (;;) {
		if (have == sizeof buf - 1)
			have = 0;	/* only the newest bytes matter */
		n = read(fd, buf + have, sizeof buf - 1 - have);
		if (n <= 0)
			return 1;
		have += (size_t)n;
		buf[have] = '\0';
		if (!ready && strstr(buf, "\r\n\r\n") != NULL) {
			ready = 1;
			printf("ready\n");
			fflush(stdout);
		}
		if (strstr(buf, "event: event_delta") != NULL) {
			printf("%lld\n", (long long)clock_mono_us());
			return 0;
		}
	}
}
