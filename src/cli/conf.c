/* ISC licence: see COPYING.  The configuration file and the endpoint. */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/ini.h"
#include "base/io.h"
#include "base/paths.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "cli/conf.h"
#include "harness/brain_config.h"
#include "wire/api_url.h"

#define CONF_MAX_KEY	4096	/* bytes in a key file */

/* A value must be one of these kinds (checked at load). */
enum conf_kind {
	CONF_STRING,		/* anything */
	CONF_URL,		/* an api_url.h form */
	CONF_PATH		/* a file name */
};

/*
 * Every key the file may hold.  A section ending in ".*" matches
 * "section.NAME" for any NAME; the key "*" matches any key (the console
 * checks [keys] itself against its keymap).  Add a line here for each
 * new key.  The harness's brain sections ([brain.NAME], [anthropic]) are
 * not here: harness/brain_config.c, which reads them, keeps their one
 * list and answers for it (brain_config_known).
 */
static const struct conf_key {
	const char		*section;
	const char		*key;
	enum conf_kind	 kind;
} conf_keys[] = {
	{ "api", "url", CONF_URL },
	{ "api", "key_file", CONF_PATH },
	{ "context.*", "url", CONF_URL },
	{ "context.*", "key_file", CONF_PATH },
	{ "ui", "theme", CONF_STRING },
	{ "ui", "backend", CONF_STRING },
	{ "ui", "colors", CONF_STRING },
	{ "ui", "ascii", CONF_STRING },
	{ "ui", "mouse", CONF_STRING },
	{ "ui", "notify", CONF_STRING },
	{ "ui", "clipboard", CONF_STRING },
	{ "ui", "stall", CONF_STRING },
	{ "ui", "header", CONF_STRING },
	{ "ui", "hints", CONF_STRING },
	{ "keys", "*", CONF_STRING },
};

struct conf {
	char		*path;
	char		*dir;		/* for relative key_file paths */
	struct ini	*ini;
};

static int	conf_check(struct conf *, char **);

/* The default configuration file. */
char *
conf_default_path(void)
{
	char	*dir, *p;

	dir = paths_config_dir();
	xasprintf(&p, "%s/config", dir);
	free(dir);
	return p;
}

/* The local harness socket, as the harness itself names it. */
char *
conf_harness_socket(void)
{
	char	*dir, *p;

	dir = paths_runtime_dir();
	xasprintf(&p, "%s/harness.sock", dir);
	free(dir);
	return p;
}

/* Does a file section match a table section ("context.*")? */
static int
conf_section_match(const char *pattern, const char *section)
{
	size_t	len = strlen(pattern);

	if (len > 2 && strcmp(pattern + len - 2, ".*") == 0)
		return strncmp(section, pattern, len - 1) == 0 &&
		    section[len - 1] != '\0';
	return strcmp(pattern, section) == 0;
}

/*
 * The kind of value key in section may hold: 1 when known, 0 when the
 * section is but the key is not, -1 when the section is unknown.
 */
static int
conf_kind(const char *section, const char *key, enum conf_kind *kind)
{
	int	r, known_section = 0;

	if ((r = brain_config_known(section, key)) != -1) {
		*kind = strcmp(key, "key_file") == 0 ? CONF_PATH : CONF_STRING;
		return r;
	}
	for (size_t j = 0; j < AD_NITEMS(conf_keys); j++) {
		if (!conf_section_match(conf_keys[j].section, section))
			continue;
		known_section = 1;
		if (strcmp(conf_keys[j].key, key) == 0 ||
		    strcmp(conf_keys[j].key, "*") == 0) {
			*kind = conf_keys[j].kind;
			return 1;
		}
	}
	return known_section ? 0 : -1;
}

/* Refuse sections and keys the table does not know, and bad values. */
static int
conf_check(struct conf *cf, char **cause)
{
	const char		*section, *key, *value;
	struct api_url		 u;
	enum conf_kind		 kind = CONF_STRING;
	char			*why;
	int			 r;

	for (size_t i = 0; ini_entry_at(cf->ini, i, &section, &key,
	    &value) == 0; i++) {
		if ((r = conf_kind(section, key, &kind)) == -1) {
			xasprintf(cause, "%s: unknown section [%s]", cf->path,
			    section);
			return -1;
		}
		if (r == 0) {
			xasprintf(cause, "%s: unknown key \"%s\" in [%s]",
			    cf->path, key, section);
			return -1;
		}
		if (kind == CONF_URL &&
		    api_url_parse(value, &u, &why) != 0) {
			xasprintf(cause, "%s: [%s] %s: %s", cf->path, section,
			    key, why);
			free(why);
			return -1;
		}
		if (kind == CONF_URL)
			api_url_clear(&u);
		if (kind == CONF_PATH && *value == '\0') {
			xasprintf(cause, "%s: [%s] %s is empty", cf->path,
			    section, key);
			return -1;
		}
	}
	return 0;
}

/* Load and check a configuration file. */
struct conf *
conf_load(const char *path, char **cause)
{
	struct conf	*cf;
	struct stat	 sb;
	char		*slash;

	cf = xcalloc(1, sizeof *cf);
	cf->path = path != NULL ? xstrdup(path) : conf_default_path();
	if (path != NULL && stat(path, &sb) != 0) {
		xasprintf(cause, "cannot read %s: %s", path, strerror(errno));
		goto fail;
	}
	if ((cf->ini = ini_load(cf->path, cause)) == NULL)
		goto fail;
	cf->dir = xstrdup(cf->path);
	if ((slash = strrchr(cf->dir, '/')) != NULL)
		slash[slash == cf->dir ? 1 : 0] = '\0';
	else {
		free(cf->dir);
		cf->dir = xstrdup(".");
	}
	if (conf_check(cf, cause) != 0)
		goto fail;
	return cf;

fail:
	conf_free(cf);
	return NULL;
}

/* Free a configuration. */
void
conf_free(struct conf *cf)
{
	if (cf == NULL)
		return;
	ini_free(cf->ini);
	free(cf->path);
	free(cf->dir);
	free(cf);
}

/* The path the configuration was read from. */
const char *
conf_path(const struct conf *cf)
{
	return cf->path;
}

/* One value. */
const char *
conf_get(const struct conf *cf, const char *section, const char *key)
{
	return ini_get(cf->ini, section, key);
}

/* The i-th key of a section and its value, in file order, or NULL. */
const char *
conf_key_at(const struct conf *cf, const char *section, size_t i,
    const char **value)
{
	return ini_key_at(cf->ini, section, i, value);
}

/* Read the key in name (relative to the config file, or ~/). */
int
conf_read_key(const struct conf *cf, const char *name, char **key,
    char **cause)
{
	struct buf	 b;
	struct stat	 sb;
	const char	*home;
	char		*path, *why = NULL, *s, *e;
	int		 fd, rv = -1;

	if (str_has_prefix(name, "~/") && (home = getenv("HOME")) != NULL)
		xasprintf(&path, "%s/%s", home, name + 2);
	else if (*name == '/')
		path = xstrdup(name);
	else
		xasprintf(&path, "%s/%s", cf->dir, name);
	buf_init(&b, CONF_MAX_KEY);
	if ((fd = open(path, O_RDONLY|O_CLOEXEC|O_NOFOLLOW)) == -1 ||
	    fstat(fd, &sb) != 0) {
		xasprintf(cause, "cannot read key file %s: %s", path,
		    strerror(errno));
		if (fd != -1)
			close(fd);
		goto out;
	}
	close(fd);
	if (!S_ISREG(sb.st_mode) || sb.st_uid != geteuid()) {
		xasprintf(cause, "key file %s is not a regular file of ours",
		    path);
		goto out;
	}
	if (sb.st_mode & 077) {
		xasprintf(cause, "key file %s is readable by others (mode "
		    "%04o); run: chmod 600 %s", path,
		    (unsigned)(sb.st_mode & 07777), path);
		goto out;
	}
	if (io_read_file(path, CONF_MAX_KEY, &b, &why) != 0) {
		xasprintf(cause, "key file %s: %s", path, why);
		free(why);
		goto out;
	}
	s = b.data != NULL ? b.data : "";
	e = s + b.len;
	while (s < e && (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r'))
		s++;
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' ||
	    e[-1] == '\r'))
		e--;
	if (s == e) {
		xasprintf(cause, "key file %s is empty", path);
		goto out;
	}
	for (const char *p = s; p < e; p++) {
		if ((unsigned char)*p <= ' ' || *p == 0x7f) {
			xasprintf(cause, "key file %s must hold the key "
			    "alone, on one line", path);
			goto out;
		}
	}
	*key = xstrndup(s, (size_t)(e - s));
	rv = 0;
out:
	if (b.data != NULL)
		explicit_bzero(b.data, b.len);
	buf_clear(&b);
	free(path);
	return rv;
}

/* Resolve URL and key in the documented order. */
int
conf_endpoint(const struct conf *cf, const char *api_url,
    const char *context, int local, struct conf_endpoint *ep, char **cause)
{
	const char	*url = NULL, *key_file = NULL, *env, *any;
	char		*section = NULL, *key = NULL;
	struct api_url	 u;

	memset(ep, 0, sizeof *ep);
	if (local) {
		ep->harness = 1;
		goto harness;
	}
	if (context != NULL) {
		xasprintf(&section, "context.%s", context);
		if (ini_key_at(cf->ini, section, 0, &any) == NULL) {
			xasprintf(cause, "no context \"%s\" in %s (add a "
			    "[context.%s] section)", context, cf->path,
			    context);
			free(section);
			return -1;
		}
		url = conf_get(cf, section, "url");
		key_file = conf_get(cf, section, "key_file");
	}
	if (key_file != NULL) {
		if (conf_read_key(cf, key_file, &key, cause) != 0)
			goto fail;
	} else if ((env = getenv("ANTHROPIC_API_KEY")) != NULL && *env != '\0')
		key = xstrdup(env);
	else if ((key_file = conf_get(cf, "api", "key_file")) != NULL) {
		if (conf_read_key(cf, key_file, &key, cause) != 0)
			goto fail;
	}

	if (api_url != NULL) {
		url = api_url;
		ep->url_from = "--api-url";
	} else if (url != NULL)
		ep->url_from = "the context";
	else if ((env = getenv("ANTHROPIC_BASE_URL")) != NULL && *env != '\0') {
		url = env;
		ep->url_from = "ANTHROPIC_BASE_URL";
	} else if ((url = conf_get(cf, "api", "url")) != NULL)
		ep->url_from = "the configuration file";
	else if (key == NULL) {
		ep->harness = 1;
		goto harness;
	} else {
		url = API_URL_DEFAULT;
		ep->url_from = "the default";
	}
	if (api_url_parse(url, &u, cause) != 0)
		goto fail;
	api_url_clear(&u);
	if ((env = getenv("SSL_CERT_FILE")) != NULL && *env != '\0')
		ep->ca_file = xstrdup(env);
	ep->url = xstrdup(url);
	ep->key = key;
	free(section);
	return 0;

harness:
	{
		char	*sock = conf_harness_socket();

		xasprintf(&ep->url, "unix:%s", sock);
		free(sock);
	}
	ep->url_from = "the local harness";
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	free(section);
	return 0;

fail:
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	free(section);
	return -1;
}

/* Free the endpoint's strings (the key is wiped first). */
void
conf_endpoint_clear(struct conf_endpoint *ep)
{
	free(ep->url);
	free(ep->ca_file);
	if (ep->key != NULL) {
		explicit_bzero(ep->key, strlen(ep->key));
		free(ep->key);
	}
	memset(ep, 0, sizeof *ep);
}
