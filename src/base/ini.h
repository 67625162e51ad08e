/*
 * ini.h -- the configuration file format: "[section]" or
 * "[section.name]" headers, "key = value" lines, '#' or ';' comments,
 * optional double quotes around a value.  Parsing only: what the keys
 * mean is decided by the callers (cli/config.c).
 */
#ifndef PILOTHOUSE_INI_H
#define PILOTHOUSE_INI_H

#include <stddef.h>

#include "base/compiler.h"

struct ini;

/* Parse text (len bytes); NULL with *cause ("file:line: why"). */
struct ini	*ini_parse(const char *, size_t, const char *, char **);
/* Read and parse a file; a missing file gives an empty ini. */
struct ini	*ini_load(const char *, char **);
void		 ini_free(struct ini *);
/* Borrowed; valid until ini_free.  NULL when absent. */
const char	*ini_get(const struct ini *, const char *, const char *);
/* Names of sections with this prefix before the dot ("brain" finds
 * "brain.qwen" as "qwen"), NULL-terminated.  Caller frees the array
 * only; the strings are borrowed. */
const char	**ini_subsections(const struct ini *, const char *);
/* The idx-th entry of the file (section "" before any header) and its
 * key and value, borrowed; -1 past the end. */
int		 ini_entry_at(const struct ini *, size_t, const char **,
		    const char **, const char **);
/* Iterate the keys of a section in file order; returns NULL at the end. */
const char	*ini_key_at(const struct ini *, const char *, size_t,
		    const char **);

#endif
