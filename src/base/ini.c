/* ISC licence: see COPYING.  The INI-style configuration file parser. */

#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/ini.h"
#include "base/io.h"
#include "base/xmalloc.h"

#define INI_MAX_FILE	(1024 * 1024)

struct ini_entry {
	char	*section;	/* "" before the first header */
	char	*key;
	char	*value;
};

struct ini {
	struct ini_entry	*entries;	/* in file order */
	size_t			 n;
};

/* Trim blanks on both ends of [*s, *e). */
static void
ini_trim(const char **s, const char **e)
{
	while (*s < *e && isspace((unsigned char)**s))
		(*s)++;
	while (*e > *s && isspace((unsigned char)(*e)[-1]))
		(*e)--;
}

/* Parse a configuration text; name is used in error messages. */
struct ini *
ini_parse(const char *text, size_t len, const char *name, char **cause)
{
	struct ini	*ini;
	const char	*p = text, *end = text + len, *nl, *s, *e, *eq;
	char		*section;
	unsigned	 line = 0;

	ini = xcalloc(1, sizeof *ini);
	section = xstrdup("");
	for (; p < end; p = nl < end ? nl + 1 : end) {
		line++;
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		s = p;
		e = nl;
		ini_trim(&s, &e);
		if (s == e || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			if (e[-1] != ']' || e - s < 3) {
				xasprintf(cause, "%s:%u: bad section header",
				    name, line);
				goto fail;
			}
			s++;
			e--;
			ini_trim(&s, &e);
			free(section);
			section = xstrndup(s, (size_t)(e - s));
			continue;
		}
		eq = memchr(s, '=', (size_t)(e - s));
		if (eq == NULL || eq == s) {
			xasprintf(cause, "%s:%u: expected \"key = value\"",
			    name, line);
			goto fail;
		}
		const char	*ks = s, *ke = eq, *vs = eq + 1, *ve = e;

		ini_trim(&ks, &ke);
		ini_trim(&vs, &ve);
		if (ve - vs >= 2 && *vs == '"' && ve[-1] == '"') {
			vs++;
			ve--;
		}
		ini->entries = xreallocarray(ini->entries, ini->n + 1,
		    sizeof *ini->entries);
		ini->entries[ini->n].section = xstrdup(section);
		ini->entries[ini->n].key = xstrndup(ks, (size_t)(ke - ks));
		ini->entries[ini->n].value = xstrndup(vs, (size_t)(ve - vs));
		ini->n++;
	}
	free(section);
	return ini;
fail:
	free(section);
	ini_free(ini);
	return NULL;
}

/* Load a file; a file that does not exist is an empty configuration. */
struct ini *
ini_load(const char *path, char **cause)
{
	struct buf	 b;
	struct ini	*ini;
	char		*why = NULL;

	buf_init(&b, INI_MAX_FILE);
	if (io_read_file(path, INI_MAX_FILE, &b, &why) != 0) {
		if (errno == ENOENT) {
			free(why);
			buf_clear(&b);
			return xcalloc(1, sizeof *ini);
		}
		*cause = why;
		buf_clear(&b);
		return NULL;
	}
	ini = ini_parse(buf_cstr(&b), b.len, path, cause);
	buf_clear(&b);
	return ini;
}

/* Free a parsed file. */
void
ini_free(struct ini *ini)
{
	if (ini == NULL)
		return;
	for (size_t i = 0; i < ini->n; i++) {
		free(ini->entries[i].section);
		free(ini->entries[i].key);
		free(ini->entries[i].value);
	}
	free(ini->entries);
	free(ini);
}

/* The last value of key in section, or NULL. */
const char *
ini_get(const struct ini *ini, const char *section, const char *key)
{
	const char	*v = NULL;

	for (size_t i = 0; i < ini->n; i++)
		if (strcmp(ini->entries[i].section, section) == 0 &&
		    strcmp(ini->entries[i].key, key) == 0)
			v = ini->entries[i].value;
	return v;
}

/* Distinct "prefix.NAME" sections, as NAMEs, in first-seen order. */
const char **
ini_subsections(const struct ini *ini, const char *prefix)
{
	const char	**v;
	size_t		  n = 0, plen = strlen(prefix);

	v = xcalloc(ini->n + 1, sizeof *v);
	for (size_t i = 0; i < ini->n; i++) {
		const char	*s = ini->entries[i].section, *name;
		size_t		 j;

		if (strncmp(s, prefix, plen) != 0 || s[plen] != '.')
			continue;
		name = s + plen + 1;
		for (j = 0; j < n; j++)
			if (strcmp(v[j], name) == 0)
				break;
		if (j == n)
			v[n++] = name;
	}
	v[n] = NULL;
	return v;
}

/* The idx-th key of section (file order) and its value, or NULL. */
const char *
ini_key_at(const struct ini *ini, const char *section, size_t idx,
    const char **value)
{
	for (size_t i = 0; i < ini->n; i++) {
		if (strcmp(ini->entries[i].section, section) != 0)
			continue;
		if (idx-- == 0) {
			*value = ini->entries[i].value;
			return ini->entries[i].key;
		}
	}
	return NULL;
}

/* Every entry in file order, for callers that check what is allowed. */
int
ini_entry_at(const struct ini *ini, size_t idx, const char **section,
    const char **key, const char **value)
{
	if (idx >= ini->n)
		return -1;
	*section = ini->entries[idx].section;
	*key = ini->entries[idx].key;
	*value = ini->entries[idx].value;
	return 0;
}
