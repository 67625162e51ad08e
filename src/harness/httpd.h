/*
 * httpd.h -- the harness's HTTP front: libmicrohttpd serving the
 * Managed Agents API (api.md 4) over a unix socket and, optionally,
 * loopback TCP.
 *
 * The listening sockets are made here (httpd_listen_unix,
 * httpd_listen_tcp) and handed to libmicrohttpd, so the unix socket lives
 * in a directory we checked and a TCP address is refused unless it is
 * loopback.  TCP connections must carry the key (x-api-key or
 * Authorization: Bearer, compared in constant time); the unix socket's
 * permissions are its authentication.
 *
 * Every endpoint maps onto harness.h.  Errors use the API's envelope
 * with a request_id (also in the request-id header).  Streams are
 * libmicrohttpd callback responses that read from the session's hub and
 * suspend the connection when nothing is ready, so an idle stream costs
 * no CPU and only the connection's own memory pool.  Paths under
 * /pilothouse/ are local extensions, answered by the ext callback.
 */
#ifndef PILOTHOUSE_HTTPD_H
#define PILOTHOUSE_HTTPD_H

#include <stddef.h>

#include <jansson.h>

#include "base/compiler.h"
#include "harness/apierr.h"

struct harness;
struct httpd;

/* A local extension: method, path, body (NULL for GET); *out new ref. */
typedef int	(*httpd_ext_fn)(void *, const char *, const char *, json_t *,
		    json_t **, struct apierr *);

struct httpd_config {
	struct harness	*harness;
	int		 unix_fd;	/* listening, or -1 */
	int		 tcp_fd;	/* listening, or -1 */
	const char	*key;		/* required on TCP; NULL: TCP refused */
	size_t		 max_body;	/* bytes; larger requests get 413 */
	unsigned int	 threads;	/* per listener */
	httpd_ext_fn	 ext;
	void		*ext_arg;
};

/* Create, bind and listen on a unix socket at path (0600).  -1 with
 * *cause. */
int		 httpd_listen_unix(const char *, char **) AD_WARN_UNUSED;
/*
 * Listen on "127.0.0.1:PORT" or "[::1]:PORT" (PORT 0 picks one); any
 * address that is not loopback is refused.  *port gets the port.  -1 with
 * *cause.
 */
int		 httpd_listen_tcp(const char *, int *, char **) AD_WARN_UNUSED;
/* Start serving; takes ownership of the descriptors.  NULL with *cause. */
struct httpd	*httpd_start(const struct httpd_config *, char **);
/* Stop accepting, end every stream, stop the daemons.  Call
 * harness_stop() first so streams are closing. */
void		 httpd_stop(struct httpd *);

#endif
