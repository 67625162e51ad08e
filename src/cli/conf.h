/*
 * conf.h -- the configuration file, and where the API is.  (Not
 * "config.h", which is autoconf's.)
 *
 * The file is $XDG_CONFIG_HOME/pilothouse/config (or --config FILE),
 * written by hand and never rewritten by the program (base/ini.h syntax).
 * Every section and key it may hold is a line in the table in conf.c;
 * anything else is refused with a message naming it, so a typo
 * never silently falls back to a default.  Other parts of the program add
 * their sections ([ui], [keys], [brain.NAME]...) to that table.
 *
 *   [api]            url = URL        key_file = PATH
 *   [context.NAME]   url = URL        key_file = PATH
 *   [ui]             the console (cli/console_host.h)
 *   [keys]           key rebindings (ui/keymap.h)
 *
 * Where the API is (conf_endpoint), first match wins:
 *   URL  1. --local: the local harness socket, started on demand
 *        2. --api-url URL
 *        3. url in [context.NAME], with --context NAME
 *        4. $ANTHROPIC_BASE_URL
 *        5. url in [api]
 *        6. no API key found (below): the local harness socket
 *        7. https://api.anthropic.com
 *   key  (none with --local)
 *        1. key_file in [context.NAME], with --context NAME
 *        2. $ANTHROPIC_API_KEY
 *        3. key_file in [api]
 * A key_file path is relative to the configuration file's directory
 * ("~/" is $HOME); the file must be ours and not readable by group or
 * others (like ssh's keys), and holds the key alone.
 */
#ifndef PILOTHOUSE_CONF_H
#define PILOTHOUSE_CONF_H

#include "base/compiler.h"

struct conf;

/* Where to connect, resolved; strings owned (conf_endpoint_clear). */
struct conf_endpoint {
	char		*url;		/* an api_url.h form */
	char		*key;		/* NULL: send none */
	int		 harness;	/* the local harness: start if needed */
	const char	*url_from;	/* "--api-url"...: for the log */
	char		*ca_file;	/* SSL_CERT_FILE; NULL: the system's
					   certificate authorities */
};

/*
 * Load path, or the default file when NULL; a missing default file is an
 * empty configuration, a missing --config file is an error.  NULL with
 * *cause for unreadable or invalid files.  Caller frees.
 */
struct conf	*conf_load(const char *, char **);
void		 conf_free(struct conf *);
/* The file's path.  Borrowed; valid until conf_free. */
const char	*conf_path(const struct conf *);
/* A value; NULL when unset.  Borrowed; valid until conf_free. */
const char	*conf_get(const struct conf *, const char *, const char *);
/* The i-th key of a section (file order) with its value, or NULL.
 * Borrowed; valid until conf_free. */
const char	*conf_key_at(const struct conf *, const char *, size_t,
		    const char **);
/* The default file: $XDG_CONFIG_HOME/pilothouse/config.  Caller frees. */
char		*conf_default_path(void);
/* The local harness socket ($XDG_RUNTIME_DIR/pilothouse/harness.sock). */
char		*conf_harness_socket(void);

/*
 * Resolve the endpoint from --api-url (or NULL), --context (or NULL),
 * --local, the environment and the file, in the order above.  -1 with
 * *cause for an unknown context, an unreadable key file or a bad URL.
 */
int		 conf_endpoint(const struct conf *, const char *,
		    const char *, int, struct conf_endpoint *, char **)
		    AD_WARN_UNUSED;
void		 conf_endpoint_clear(struct conf_endpoint *);
/* Read and check a key file (path resolved against the config). */
int		 conf_read_key(const struct conf *, const char *, char **,
		    char **) AD_WARN_UNUSED;

#endif
