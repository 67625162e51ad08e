/*
 * hjson.h -- small jansson helpers the harness modules share: typed
 * lookups that treat a missing or mistyped member as absent, and
 * compact encoding.
 */
#ifndef PILOTHOUSE_HJSON_H
#define PILOTHOUSE_HJSON_H

#include <stddef.h>

#include <jansson.h>

/* The string member key, or NULL when absent or not a string.  Borrowed. */
const char	*hjson_str(const json_t *, const char *);
/* Non-zero when member key is the string val. */
int		 hjson_str_is(const json_t *, const char *, const char *);
/* A JSON string from arbitrary bytes: invalid UTF-8 becomes U+FFFD and
 * NUL bytes are kept (escaped).  Returns a new reference. */
json_t		*hjson_string_lossy(const char *, size_t);
/* Compact JSON text of j.  Caller frees. */
char		*hjson_dump(const json_t *);

#endif
