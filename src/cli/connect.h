/*
 * connect.h -- what the subcommands that talk to the API share.
 *
 * connect_open() goes from the global options to a ready API client: it
 * loads the configuration, resolves the endpoint (conf.h), starts the
 * local harness when that is where the API is, and creates the loop and
 * the client.  connect_error() prints an API error the way every command
 * does ("pilothouse: 404 not_found_error: ...") and picks the exit status.
 */
#ifndef PILOTHOUSE_CONNECT_H
#define PILOTHOUSE_CONNECT_H

#include <stdio.h>

#include <jansson.h>

#include "base/compiler.h"
#include "cli/cmd.h"
#include "wire/api_client.h"

struct conf;
struct loop;
struct store;
struct stream_opts;

/* How the commands follow streams: give up if the first connection
 * fails three times (the SDK's request plus two retries). */
extern const struct stream_opts	connect_stream_opts;

struct connect {
	struct loop		*loop;
	struct api_client	*client;
	struct conf		*config;
};

/* CMD_EXIT_OK with c ready, or an exit status after printing why. */
int	 connect_open(struct connect *, const struct cmd_globals *);
void	 connect_close(struct connect *);
/*
 * Print "pilothouse: [WHAT: ]ERROR" (and log the request id); returns
 * CMD_EXIT_API or CMD_EXIT_NETWORK.
 */
int	 connect_error(const char *, const struct api_error *);
/* Does something accept connections on the unix socket at path? */
int	 connect_probe(const char *);
/*
 * Make sure the local harness answers on the socket at path, starting
 * "pilothouse serve --background" when it does not.  -1 with *cause.
 */
int	 connect_harness(const struct cmd_globals *, const char *, char **)
	    AD_WARN_UNUSED;
/*
 * Send events (a JSON array) to session id and print the id of each
 * event the server echoes, one a line.  Refused under --readonly.
 * Returns an exit status.
 */
int	 connect_send(const struct cmd_globals *, const char *, json_t *);
/*
 * Bytes of session that were not a usable event: record them in the
 * cache's decode errors and say "pilothouse: [WHAT: ]SESSION: skipped a
 * malformed event: WHY" (what may be NULL).
 */
void	 connect_decode_error(struct store *, const char *, const char *,
	    const char *, const char *, size_t);
/* Is the event (session, id) in the cache?  The stream manager's
 * ops->known when resuming; a cache error answers no (the store ignores
 * a repeat, so delivering again loses nothing). */
int	 connect_known(struct store *, const char *, const char *);
/* Print text from the server through base/sanitize.h, then end. */
void	 connect_print(FILE *, const char *, const char *);

#endif
