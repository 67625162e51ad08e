/*
 * brain_config.h -- what the configuration file says about model brains.
 *
 * The harness reads these sections of $XDG_CONFIG_HOME/pilothouse/config
 * (or the file given with --config) itself, each time a brain is made,
 * so an edit applies to the next session without a restart:
 *
 *   [brain.ALIAS]     a local model server for agents whose model is
 *                     "local:ALIAS": base_url, model, key_file,
 *                     context_window, stream_tools, max_tokens,
 *                     idle_timeout
 *   [anthropic]       the Messages API for "claude-..." models:
 *                     base_url, key_file, max_tokens, context_window,
 *                     thinking, idle_timeout
 *
 * Unknown keys in these sections are errors, so a typo is reported
 * instead of silently ignored.  The client's configuration check (which
 * refuses sections it does not know) asks brain_config_known() about
 * these sections instead of keeping a second list of their keys.  The
 * meaning of every key is in pilothouse(1), MODEL BRAINS, and
 * doc/brains.md.
 */
#ifndef PILOTHOUSE_BRAIN_CONFIG_H
#define PILOTHOUSE_BRAIN_CONFIG_H

#include "base/compiler.h"

#define BRAIN_ANTHROPIC_DEFAULT_URL	"https://api.anthropic.com"
#define BRAIN_ANTHROPIC_URL_ENV		"PILOTHOUSE_ANTHROPIC_BASE_URL"
#define BRAIN_ANTHROPIC_DEFAULT_WINDOW	200000	/* tokens */

struct brain_alias {
	char	*name;		/* the ALIAS of [brain.ALIAS] */
	char	*base_url; /* required, e.g. http://127.0.0.1:8080/v1 */
	char	*model;	/* required: the server's model name */
	char	*key_file;	/* NULL: no Authorization header */
	long	 context_window;	/* tokens; 0 when unknown */
	int	 stream_tools;	/* 0: tool requests are not streamed */
	long	 max_tokens;	/* 0: the brain's default */
	long	 idle_timeout; /* seconds of silence; 0: the default */
};

struct brain_anthropic_config {
	char	*base_url;	/* env, else [anthropic], else the API */
	char	*key_file;	/* NULL: ANTHROPIC_API_KEY only */
	long	 max_tokens;	/* 0: the brain's default */
	long	 context_window;	/* 0: the model's known window */
	long	 thinking; /* BRAIN_THINKING_*, or a budget in tokens */
	long	 idle_timeout;	/* 0: the default */
};

#define BRAIN_THINKING_ADAPTIVE	0 /* {"type":"adaptive"} (default) */
#define BRAIN_THINKING_OFF	(-1)	/* no thinking */

/*
 * -1 when section is not a brain section ([brain.NAME], [anthropic]);
 * otherwise 1 when it may hold key and 0 when it may not.
 */
int	 brain_config_known(const char *, const char *);
/*
 * Read [brain.NAME] from path (NULL: the default config file).  -1 with
 * *cause when the file is unreadable, the section is missing or a value
 * is wrong; the message names the file, the section and the fix.
 */
int	 brain_config_alias(const char *, const char *, struct brain_alias *,
	    char **) AD_WARN_UNUSED;
void	 brain_alias_clear(struct brain_alias *);
/* Read [anthropic] from path (NULL: default); the section is optional. */
int	 brain_config_anthropic(const char *,
	    struct brain_anthropic_config *, char **) AD_WARN_UNUSED;
void	 brain_anthropic_config_clear(struct brain_anthropic_config *);

#endif
