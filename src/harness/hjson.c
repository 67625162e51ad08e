/* ISC licence: see COPYING.  Shared jansson helpers for the harness. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include "base/buf.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "harness/hjson.h"

/* A string member, or NULL. */
const char *
hjson_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

/* Is member key exactly val? */
int
hjson_str_is(const json_t *obj, const char *key, const char *val)
{
	const char	*s = hjson_str(obj, key);

	return s != NULL && strcmp(s, val) == 0;
}

/* Compact encoding; allocation failure is fatal. */
char *
hjson_dump(const json_t *j)
{
	char	*s;

	if ((s = json_dumps(j, JSON_COMPACT|JSON_ENCODE_ANY)) == NULL)
		fatalx("json_dumps failed");
	return s;
}

/* Bytes to a JSON string, replacing what is not UTF-8. */
json_t *
hjson_string_lossy(const char *s, size_t len)
{
	struct buf	 b;
	json_t		*j;
	uint32_t	 cp;
	int		 n;

	if (utf8_valid(s, len))
		return json_stringn(s, len);
	buf_init(&b, BUF_UNBOUNDED);
	for (size_t i = 0; i < len; i += (size_t)n) {
		if ((n = utf8_decode(s + i, len - i, &cp)) > 0) {
			if (buf_append(&b, s + i, (size_t)n) != 0)
				fatalx("string too long");
			continue;
		}
		n = 1;
		if (buf_append(&b, "\xef\xbf\xbd", 3) != 0)
			fatalx("string too long");
	}
	j = json_stringn(b.data != NULL ? b.data : "", b.len);
	buf_clear(&b);
	return j;
}
