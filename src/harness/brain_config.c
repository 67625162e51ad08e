/* ISC licence: see COPYING.  Brain sections of the configuration file. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/ini.h"
#include "base/paths.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "harness/brain_config.h"

/* The fields a brain section may set. */
enum brain_config_field {
	BRAIN_CONFIG_BASE_URL,
	BRAIN_CONFIG_MODEL,
	BRAIN_CONFIG_KEY_FILE,
	BRAIN_CONFIG_WINDOW,
	BRAIN_CONFIG_STREAM_TOOLS,
	BRAIN_CONFIG_MAX_TOKENS,
	BRAIN_CONFIG_IDLE_TIMEOUT,
	BRAIN_CONFIG_THINKING
};

/* What one section said, before it is checked and handed out. */
struct brain_config_values {
	char	*base_url;
	char	*model;
	char	*key_file;
	long	 context_window;
	long	 max_tokens;
	long	 idle_timeout;
	long	 thinking;
	int	 stream_tools;
};

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

/*
 * Every key a brain section may hold, with its limits: the one list the
 * readers below and brain_config_known() (for the client's checks) use.
 */
static const struct brain_config_key {
	const char		*section; /* "brain.*" or "anthropic" */
	const char		*key;
	enum brain_config_field	 field;
	long			 min, max;	/* numbers only */
} brain_config_keys[] = {
	{ "brain.*", "base_url", BRAIN_CONFIG_BASE_URL, 0, 0 },
	{ "brain.*", "model", BRAIN_CONFIG_MODEL, 0, 0 },
	{ "brain.*", "key_file", BRAIN_CONFIG_KEY_FILE, 0, 0 },
	{ "brain.*", "context_window", BRAIN_CONFIG_WINDOW, 512, 100000000 },
	{ "brain.*", "stream_tools", BRAIN_CONFIG_STREAM_TOOLS, 0, 0 },
	{ "brain.*", "max_tokens", BRAIN_CONFIG_MAX_TOKENS, 1, 10000000 },
	{ "brain.*", "idle_timeout", BRAIN_CONFIG_IDLE_TIMEOUT, 1, 86400 },
	{ "anthropic", "base_url", BRAIN_CONFIG_BASE_URL, 0, 0 },
	{ "anthropic", "key_file", BRAIN_CONFIG_KEY_FILE, 0, 0 },
	{ "anthropic", "max_tokens", BRAIN_CONFIG_MAX_TOKENS, 1, 10000000 },
	{ "anthropic", "context_window", BRAIN_CONFIG_WINDOW, 1024,
	    100000000 },
	{ "anthropic", "thinking", BRAIN_CONFIG_THINKING, 1024, 10000000 },
	{ "anthropic", "idle_timeout", BRAIN_CONFIG_IDLE_TIMEOUT, 1, 86400 },
};

/* Which table section a file section is: "brain.*", "anthropic" or NULL. */
static const char *
brain_config_kind(const char *section)
{
	if (strncmp(section, "brain.", 6) == 0 && section[6] != '\0')
		return "brain.*";
	if (strcmp(section, "anthropic") == 0)
		return "anthropic";
	return NULL;
}

/* Is this a brain section, and does it know the key? */
int
brain_config_known(const char *section, const char *key)
{
	const char	*kind;

	if ((kind = brain_config_kind(section)) == NULL)
		return -1;
	for (size_t i = 0; i < AD_NITEMS(brain_config_keys); i++)
		if (strcmp(brain_config_keys[i].section, kind) == 0 &&
		    strcmp(brain_config_keys[i].key, key) == 0)
			return 1;
	return 0;
}

/*
 * Read one brain section into v: every key checked against the table,
 * numbers against their limits.  -1 with *cause naming file, section
 * and key.
 */
static int
brain_config_read(const char *file, const struct ini *ini,
    const char *section, struct brain_config_values *v, char **cause)
{
	const struct brain_config_key	*bk;
	const char			*kind, *k, *val;
	struct buf			 known;

	kind = brain_config_kind(section);
	for (size_t i = 0; (k = ini_key_at(ini, section, i, &val)) != NULL;
	    i++) {
		bk = NULL;
		for (size_t j = 0; j < AD_NITEMS(brain_config_keys); j++)
			if (strcmp(brain_config_keys[j].section, kind) == 0 &&
			    strcmp(brain_config_keys[j].key, k) == 0)
				bk = &brain_config_keys[j];
		if (bk == NULL) {
			buf_init(&known, BUF_UNBOUNDED);
			for (size_t j = 0; j < AD_NITEMS(brain_config_keys);
			    j++)
				if (strcmp(brain_config_keys[j].section,
				    kind) == 0 && buf_printf(&known, "%s%s",
				    known.len > 0 ? ", " : "",
				    brain_config_keys[j].key) != 0)
					fatalx("buffer");
			xasprintf(cause, "%s: [%s]: unknown key \"%s\" (known: "
			    "%s)", file, section, k, buf_cstr(&known));
			buf_clear(&known);
			return -1;
		}
		switch (bk->field) {
		case BRAIN_CONFIG_BASE_URL:
			free(v->base_url);
			v->base_url = xstrdup(val);
			break;
		case BRAIN_CONFIG_MODEL:
			free(v->model);
			v->model = xstrdup(val);
			break;
		case BRAIN_CONFIG_KEY_FILE:
			free(v->key_file);
			v->key_file = brain_config_path(file, val);
			break;
		case BRAIN_CONFIG_STREAM_TOOLS:
			if (strcmp(val, "true") == 0 ||
			    strcmp(val, "yes") == 0 || strcmp(val, "1") == 0)
				v->stream_tools = 1;
			else if (strcmp(val, "false") == 0 ||
			    strcmp(val, "no") == 0 || strcmp(val, "0") == 0)
				v->stream_tools = 0;
			else {
				xasprintf(cause, "%s: [%s] stream_tools: "
				    "\"%s\" is not true or false", file,
				    section, val);
				return -1;
			}
			break;
		case BRAIN_CONFIG_THINKING:
			if (strcmp(val, "adaptive") == 0) {
				v->thinking = BRAIN_THINKING_ADAPTIVE;
				break;
			}
			if (strcmp(val, "off") == 0) {
				v->thinking = BRAIN_THINKING_OFF;
				break;
			}
			/* Else a budget in tokens, read as a number. */
			/* FALLTHROUGH */
		case BRAIN_CONFIG_WINDOW:
		case BRAIN_CONFIG_MAX_TOKENS:
		case BRAIN_CONFIG_IDLE_TIMEOUT:
			if (brain_config_number(file, section, k, val,
			    bk->min, bk->max, bk->field ==
			    BRAIN_CONFIG_THINKING ? &v->thinking : bk->field ==
			    BRAIN_CONFIG_WINDOW ? &v->context_window :
			    bk->field == BRAIN_CONFIG_MAX_TOKENS ?
			    &v->max_tokens : &v->idle_timeout, cause) != 0)
				return -1;
			break;
		}
	}
	return 0;
}

/* Read [brain.NAME]; base_url and model are required. */
int
brain_config_alias(const char *path, const char *name,
    struct brain_alias *ba, char **cause)
{
	struct brain_config_values	 v;
	struct ini			*ini;
	char				*file, *section;
	const char			*val;
	int				 rc = -1;

	memset(ba, 0, sizeof *ba);
	memset(&v, 0, sizeof v);
	v.stream_tools = 1;
	if ((ini = brain_config_load(path, &file, cause)) == NULL)
		return -1;
	xasprintf(&section, "brain.%s", name);
	if (ini_key_at(ini, section, 0, &val) == NULL) {
		xasprintf(cause, "model local:%s: no [%s] section in %s "
		    "(add one with base_url and model, see pilothouse(1))",
		    name, section, file);
		goto out;
	}
	if (brain_config_read(file, ini, section, &v, cause) != 0)
		goto out;
	if (v.base_url == NULL || *v.base_url == '\0' ||
	    v.model == NULL || *v.model == '\0') {
		xasprintf(cause, "%s: [%s] needs base_url and model (e.g. "
		    "base_url = http://127.0.0.1:8080/v1)", file, section);
		goto out;
	}
	if (!str_has_prefix(v.base_url, "http://") &&
	    !str_has_prefix(v.base_url, "https://")) {
		xasprintf(cause, "%s: [%s] base_url: \"%s\" is not an http:// "
		    "or https:// URL", file, section, v.base_url);
		goto out;
	}
	ba->name = xstrdup(name);
	ba->base_url = v.base_url;
	ba->model = v.model;
	ba->key_file = v.key_file;
	ba->context_window = v.context_window;
	ba->stream_tools = v.stream_tools;
	ba->max_tokens = v.max_tokens;
	ba->idle_timeout = v.idle_timeout;
	v.base_url = v.model = v.key_file = NULL;
	rc = 0;
out:
	free(v.base_url);
	free(v.model);
	free(v.key_file);
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
	struct brain_config_values	 v;
	struct ini			*ini;
	char				*file;
	const char			*env;
	int				 rc = -1;

	memset(ac, 0, sizeof *ac);
	memset(&v, 0, sizeof v);
	v.thinking = BRAIN_THINKING_ADAPTIVE;
	if ((ini = brain_config_load(path, &file, cause)) == NULL)
		return -1;
	if (brain_config_read(file, ini, "anthropic", &v, cause) != 0)
		goto out;
	if ((env = getenv(BRAIN_ANTHROPIC_URL_ENV)) != NULL && *env != '\0') {
		free(v.base_url);
		v.base_url = xstrdup(env);
	}
	ac->base_url = v.base_url != NULL ? v.base_url :
	    xstrdup(BRAIN_ANTHROPIC_DEFAULT_URL);
	ac->key_file = v.key_file;
	ac->max_tokens = v.max_tokens;
	ac->context_window = v.context_window;
	ac->thinking = v.thinking;
	ac->idle_timeout = v.idle_timeout;
	v.base_url = v.key_file = NULL;
	rc = 0;
out:
	free(v.base_url);
	free(v.model);
	free(v.key_file);
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
