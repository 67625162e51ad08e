/*
 * api_url.h -- the forms an API base URL may take.
 *
 *   https://HOST[:PORT][/PREFIX]   the real API, or any TLS endpoint
 *   http://LOOPBACK[:PORT][/PREFIX] a test server or the harness on TCP;
 *                                  only 127.0.0.0/8, [::1] and localhost,
 *                                  because the key would travel in clear
 *   unix:/ABSOLUTE/PATH.sock       the local harness on a unix socket
 *
 * Parsing only: api_client.c turns the result into libcurl options.
 * Credentials, queries and fragments in the URL are refused, so nothing
 * secret can hide in a string that ends up in logs and messages.
 */
#ifndef PILOTHOUSE_API_URL_H
#define PILOTHOUSE_API_URL_H

#include "base/compiler.h"

#define API_URL_DEFAULT	"https://api.anthropic.com"

struct api_url {
	char	*base;		/* scheme://host[:port][/prefix], no final '/';
				   "http://localhost" for unix sockets */
	char	*unix_path;	/* the socket for unix: URLs, else NULL */
	int	 tls;		/* https */
	int	 local;		/* loopback http or a unix socket */
};

/* Parse and check text; -1 with *cause naming the accepted forms. */
int	 api_url_parse(const char *, struct api_url *, char **) AD_WARN_UNUSED;
void	 api_url_clear(struct api_url *);

#endif
