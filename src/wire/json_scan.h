/*
 * json_scan.h -- validate and pick through JSON text without building a
 * tree.
 *
 * The hot path (every event off the wire) needs a handful of top-level
 * fields and the assurance that the text is JSON; jansson's full parse
 * costs ~18 us an event, this scan well under a tenth of that.  The
 * scanner checks the whole grammar of RFC 8259 (strings with their
 * escapes and valid UTF-8, numbers, literals, nesting up to
 * JSON_SCAN_MAX_DEPTH) in one pass and allocates nothing; values it is
 * not asked about are skipped.  Text it accepts that jansson still
 * refuses: integers too big for 64 bits, reals that overflow a double,
 * escaped lone surrogates and \u0000 in an object key.
 *
 * A span is a value's raw text within the caller's buffer: borrowed,
 * valid as long as that buffer is.
 */
#ifndef PILOTHOUSE_JSON_SCAN_H
#define PILOTHOUSE_JSON_SCAN_H

#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/compiler.h"

#define JSON_SCAN_MAX_DEPTH	2048	/* jansson's own nesting limit */

struct json_span {
	const char	*p;
	size_t		 len;
};

/* What a value is, from its first byte. */
enum json_scan_kind {
	JSON_SCAN_INVALID = 0,
	JSON_SCAN_OBJECT,
	JSON_SCAN_ARRAY,
	JSON_SCAN_STRING,
	JSON_SCAN_NUMBER,
	JSON_SCAN_TRUE,
	JSON_SCAN_FALSE,
	JSON_SCAN_NULL
};

/* Walks the members of one object (json_scan_object_init/next). */
struct json_scan_iter {
	const char	*p;		/* next byte to read */
	const char	*end;
	int		 state;		/* 0 first member, 1 later, 2 done */
	int		 trusted;	/* values skipped without checks */
};

/*
 * Skip one value (with any whitespace before it) at p, before end.
 * Returns the byte after it, or NULL when the text is not valid JSON.
 * If *esc is given, it is set when the value is a string with escapes.
 */
const char		*json_scan_skip(const char *, const char *, int *);
/* Non-zero when text is exactly one valid JSON value (and whitespace). */
int			 json_scan_valid(const char *, size_t);
enum json_scan_kind	 json_scan_kind(const struct json_span *);

/* Start walking the object that is text; -1 if text is not an object. */
int	 json_scan_object_init(struct json_scan_iter *, const char *, size_t)
	    AD_WARN_UNUSED;
/*
 * Start walking an object that a validating scan has already accepted
 * (an event's raw text, say): values are skipped without checking them
 * again, strings by their closing quote, which is several times faster
 * on long text.  Never reads outside the text, but on text that is not
 * valid JSON the members it returns are unspecified.
 */
int	 json_scan_object_init_trusted(struct json_scan_iter *, const char *,
	    size_t) AD_WARN_UNUSED;
/*
 * The next member: 1 with key (the string's text, quotes included) and
 * value set, 0 after the closing brace, -1 if the text is invalid.
 * keyesc is set when the key has escapes (compare with json_scan_key_is).
 */
int	 json_scan_object_next(struct json_scan_iter *, struct json_span *,
	    struct json_span *, int *) AD_WARN_UNUSED;
/* Non-zero when the key (as returned above) decodes to name. */
int	 json_scan_key_is(const struct json_span *, int, const char *);
/*
 * The value of member name in object text (the last one, as jansson
 * keeps): 1 found, 0 absent, -1 not a valid object.
 */
int	 json_scan_member(const char *, size_t, const char *,
	    struct json_span *) AD_WARN_UNUSED;

/* Start walking the array that is text; -1 if text is not an array. */
int	 json_scan_array_init(struct json_scan_iter *, const char *, size_t)
	    AD_WARN_UNUSED;
/* The next element: 1 with value set, 0 after the closing bracket, -1 if
 * the text is invalid. */
int	 json_scan_array_next(struct json_scan_iter *, struct json_span *)
	    AD_WARN_UNUSED;
/*
 * Append text to b without the whitespace between tokens (strings are
 * copied byte for byte), so a pretty-printed value fits on one line.
 * The text must be valid JSON.  -1 if b's ceiling is reached.
 */
int	 json_scan_minify(const char *, size_t, struct buf *) AD_WARN_UNUSED;

/*
 * Decode a string value (quotes included) into out, which needs
 * span.len bytes; returns the decoded length, or -1 if the span is not
 * a string.  Lone surrogates become U+FFFD; \u0000 is kept as a NUL.
 */
long	 json_scan_string(const struct json_span *, char *);
/*
 * Decode a string value as C text: as json_scan_string, but a NUL
 * becomes U+2400 (its control picture) so the rest of the text is kept,
 * and the result is NUL-ended.  out needs span.len bytes (a NUL comes
 * from six bytes, \u0000, and takes three).  The length, or -1 if the
 * span is not a string.
 */
long	 json_scan_text(const struct json_span *, char *);
/* The decoded string as a new C string; NULL if not a string or it
 * holds a NUL.  Caller frees. */
char	*json_scan_strdup(const struct json_span *);
/* An integer value; -1 if not an integer that fits in 64 bits. */
int	 json_scan_int64(const struct json_span *, int64_t *) AD_WARN_UNUSED;
/* A number value as a double; -1 if not a number. */
int	 json_scan_double(const struct json_span *, double *) AD_WARN_UNUSED;
/* 1 for true, 0 for false, -1 for anything else (null included). */
int	 json_scan_bool(const struct json_span *);

#endif
