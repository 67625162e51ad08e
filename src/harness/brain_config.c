/* ISC licence: see COPYING.  Brain sections of the configuration file. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/ini.h"
#include "base/paths.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "harness/brain_config.h"

static struct ini	*brain_config_load(const char *, char **, char **);
static char		*brain_config_path(const char *, const char *);
static int		 brain_config_number(const char *, const char *,
			     const char *, const char *, long, long, long *,
			     char **);

/* Load the file; *pathp gets the name used (caller frees). */
static struct ini *
brain_config_load(const char *path, char **pathp, char **cause)
{
	struct ini	*ini;
	char		*dir;

	if (path != NULL)
		*pathp = xstrdup(path);
	else {
		dir = paths_config_dir();
		xasprintf(pathp, "%s/config", dir);
		free(dir);
	}
	if ((ini = ini_load(*pathp, cause)) == NULL) {
		free(*pathp);
		*pathp = NULL;
	}
	return ini;
}

/*
 * Resolve a key_file value: "~/" is the home directory, a relative path
 * is taken from the config file's directory.  Caller frees.
 */
static char *
brain_config_path(const char *file, const char *v)
{
	const char	*home, *slash;
	char		*p;

	if (v[0] == '/')
		return xstrdup(v);
	if (strncmp(v, "~/", 2) == 0 && (home = getenv("HOME")) != NULL) {
		xasprintf(&p, "%s/%s", home, v + 2);
		return p;
	}
	if ((slash = strrchr(file, '/')) == NULL)
		return xstrdup(v);
	xasprintf(&p, "%.*s/%s", (int)(slash - file), file, v);
	return p;
}

/* Parse one numeric key, naming file, section and key on error. */
static int
brain_config_number(const char *file, const char *section, const char *key,
    const char *value, long min, long max, long *out, char **cause)
{
	long long	 v;
	char		*why = NULL;

	if (str_to_ll(value, min, max, &v, &why) != 0) {
		xasprintf(cause, "%s: [%s] %s: %s", file, section, key, why);
		free(why);
		return -1;
	}
	*out = (long)v;
	return 0;
}

/* Read [brain.NAME]; every key is checked, base_url and model required. */
int
brain_config_alias(const char *path, const char *name,
    struct brain_alias *ba, char **cause)
{
	struct ini	*ini;
	char		*file, *section;
	const char	*k, *v;
	int		 rc = -1;

	memset(ba, 0, sizeof *ba);
	ba->stream_tools = 1;
	if ((ini = brain_config_load(path, &file, cause)) == NULL)
		return -1;
	xasprintf(&section, "brain.%s", name);
	ba->name = xstrdup(name);
	if (ini_key_at(ini, section, 0, &v) == NULL) {
		xasprintf(cause, "model local:%s: no [%s] section in %s "
		    "(add one with base_url and model, see pilothouse(1))",
		    name, section, file);
		goto out;
	}
	for (size_t i = 0; (k = ini_key_at(ini, section, i, &v)) != NULL;
	    i++) {
		if (strcmp(k, "base_url") == 0) {
			free(ba->base_url);
			ba->base_url = xstrdup(v);
		} else if (strcmp(k, "model") == 0) {
			free(ba->model);
			ba->model = xstrdup(v);
		} else if (strcmp(k, "key_file") == 0) {
			free(ba->key_file);
			ba->key_file = brain_config_path(file, v);
		} else if (strcmp(k, "context_window") == 0) {
			if (brain_config_number(file, section, k, v, 512,
			    100000000, &ba->context_window, cause) != 0)
				goto out;
		} else if (strcmp(k, "max_tokens") == 0) {
			if (brain_config_number(file, section, k, v, 1,
			    10000000, &ba->max_tokens, cause) != 0)
				goto out;
		} else if (strcmp(k, "idle_timeout") == 0) {
			if (brain_config_number(file, section, k, v, 1,
			    86400, &ba->idle_timeout, cause) != 0)
				goto out;
		} else if (strcmp(k, "stream_tools") == 0) {
			if (strcmp(v, "true") == 0 || strcmp(v, "yes") == 0 ||
			    strcmp(v, "1") == 0)
				ba->stream_tools = 1;
			else if (strcmp(v, "false") == 0 ||
			    strcmp(v, "no") == 0 || strcmp(v, "0") == 0)
				ba->stream_tools = 0;
			else {
				xasprintf(cause, "%s: [%s] stream_tools: "
				    "\"%s\" is not true or false", file,
				    section, v);
				goto out;
			}
		} else {
			xasprintf(cause, "%s: [%s]: unknown key \"%s\" (known: "
			    "base_url, model, key_file, context_window, "
			    "stream_tools, max_tokens, idle_timeout)", file,
			    section, k);
			goto out;
		}
	}
	if (ba->base_url == NULL || *ba->base_url == '\0' ||
	    ba->model == NULL || *ba->model == '\0') {
		xasprintf(cause, "%s: [%s] needs base_url and model (e.g. "
		    "base_url = http://127.0.0.1:8080/v1)", file, section);
		goto out;
	}
	if (!str_has_prefix(ba->base_url, "http://") &&
	    !str_has_prefix(ba->base_url, "https://")) {
		xasprintf(cause, "%s: [%s] base_url: \"%s\" is not an http:// "
		    "or https:// URL", file, section, ba->base_url);
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		brain_alias_clear(ba);
	free(section);
	free(file);
	ini_free(ini);
	return rc;
}

/* Free the strings of an alias. */
void
brain_alias_clear(struct brain_alias *ba)
{
	free(ba->name);
	free(ba->base_url);
	free(ba->model);
	free(ba->key_file);
	memset(ba, 0, sizeof *ba);
}

/* Read [anthropic]; the environment's base URL wins over the file. */
int
brain_config_anthropic(const char *path, struct brain_anthropic_config *ac,
    char **cause)
{
	static const char	 section[] = "anthropic";
	struct ini		*ini;
	char			*file;
	const char		*k, *v, *env;
	int			 rc = -1;

	memset(ac, 0, sizeof *ac);
	if ((ini = brain_config_load(path, &file, cause)) == NULL)
		return -1;
	for (size_t i = 0; (k = ini_key_at(ini, section, i, &v)) != NULL;
	    i++) {
		if (strcmp(k, "base_url") == 0) {
			free(ac->base_url);
			ac->base_url = xstrdup(v);
		} else if (strcmp(k, "key_file") == 0) {
			free(ac->key_file);
			ac->key_file = brain_config_path(file, v);
		} else if (strcmp(k, "max_tokens") == 0) {
			if (brain_config_number(file, section, k, v, 1,
			    10000000, &ac->max_tokens, cause) != 0)
				goto out;
		} else if (strcmp(k, "context_window") == 0) {
			if (brain_config_number(file, section, k, v, 1024,
			    100000000, &ac->context_window, cause) != 0)
				goto out;
		} else if (strcmp(k, "idle_timeout") == 0) {
			if (brain_config_number(file, section, k, v, 1,
			    86400, &ac->idle_timeout, cause) != 0)
				goto out;
		} else if (strcmp(k, "thinking") == 0) {
			if (strcmp(v, "adaptive") == 0)
				ac->thinking = BRAIN_THINKING_ADAPTIVE;
			else if (strcmp(v, "off") == 0)
				ac->thinking = BRAIN_THINKING_OFF;
			else if (brain_config_number(file, section, k, v, 1024,
			    10000000, &ac->thinking, cause) != 0)
				goto out;
		} else {
			xasprintf(cause, "%s: [anthropic]: unknown key \"%s\" "
			    "(known: base_url, key_file, max_tokens, "
			    "context_window, thinking, idle_timeout)", file, k);
			goto out;
		}
	}
	if ((env = getenv(BRAIN_ANTHROPIC_URL_ENV)) != NULL && *env != '\0') {
		free(ac->base_url);
		ac->base_url = xstrdup(env);
	}
	if (ac->base_url == NULL)
		ac->base_url = xstrdup(BRAIN_ANTHROPIC_DEFAULT_URL);
	rc = 0;
out:
	if (rc != 0)
		brain_anthropic_config_clear(ac);
	free(file);
	ini_free(ini);
	return rc;
}

/* Free the strings of the [anthropic] settings. */
void
brain_anthropic_config_clear(struct brain_anthropic_config *ac)
{
	free(ac->base_url);
	free(ac->key_file);
	memset(ac, 0, sizeof *ac);
}
