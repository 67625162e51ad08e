/* ISC licence: see COPYING.  Bounded, NUL-terminated byte buffers. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"

#define BUF_MIN_SIZE	64

/* Prepare an empty buffer that may hold at most max bytes. */
void
buf_init(struct buf *b, size_t max)
{
	b->data = NULL;
	b->len = b->size = 0;
	b->max = max;
}

/* Free the memory; the buffer can be used again (same ceiling). */
void
buf_clear(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->size = 0;
}

/* Empty the buffer but keep its memory for reuse. */
void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data != NULL)
		b->data[0] = '\0';
}

/*
 * Empty the buffer and give its memory back if more than keep bytes are
 * allocated, so one huge message does not pin its memory for the life
 * of a long-lived connection.
 */
void
buf_release(struct buf *b, size_t keep)
{
	if (b->size > keep)
		buf_clear(b);
	else
		buf_reset(b);
}

/* Make room for extra more bytes plus the NUL; -1 past the ceiling. */
static int
buf_grow(struct buf *b, size_t extra)
{
	size_t	 need, size;

	if (extra > b->max || b->len > b->max - extra)
		return -1;
	need = b->len + extra + 1;
	if (need <= b->size)
		return 0;
	size = b->size < BUF_MIN_SIZE ? BUF_MIN_SIZE : b->size;
	while (size < need)
		size = size > ((size_t)-1) / 2 ? need : size * 2;
	b->data = xrealloc(b->data, size);
	b->size = size;
	return 0;
}

/* Append len bytes; on -1 (ceiling) nothing is appended. */
int
buf_append(struct buf *b, const void *p, size_t len)
{
	if (buf_grow(b, len) != 0)
		return -1;
	if (len != 0)
		memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

/* Append a C string. */
int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

/* Append one byte. */
int
buf_putc(struct buf *b, int c)
{
	char	ch = (char)c;

	return buf_append(b, &ch, 1);
}

/* Append formatted text. */
int
buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 rv;

	va_start(ap, fmt);
	rv = buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rv;
}

/*
 * Append formatted text to a buffer without a real ceiling
 * (BUF_UNBOUNDED): running out is fatal, as in xmalloc, so callers that
 * build text of their own need not check.
 */
void
buf_xprintf(struct buf *b, const char *fmt, ...)
{
	va_list	 ap;
	int	 rv;

	va_start(ap, fmt);
	rv = buf_vprintf(b, fmt, ap);
	va_end(ap);
	if (rv != 0)
		fatalx("buf_xprintf: past the buffer's ceiling");
}

/* Append formatted text from a va_list. */
int
buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list	 ap2;
	int	 n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || buf_grow(b, (size_t)n) != 0)
		return -1;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
	return 0;
}

/* Drop n bytes from the front. */
void
buf_consume(struct buf *b, size_t n)
{
	if (n >= b->len) {
		buf_reset(b);
		return;
	}
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
}

/* Cut the buffer to len bytes (no-op when already shorter). */
void
buf_truncate(struct buf *b, size_t len)
{
	if (len < b->len) {
		b->len = len;
		b->data[len] = '\0';
	}
}

/* The contents as a C string; "" when empty.  Borrowed. */
const char *
buf_cstr(const struct buf *b)
{
	return b->data != NULL ? b->data : "";
}

/*
 * Take the contents (NUL-terminated); the buffer is left empty.  Caller
 * frees.
 */
char *
buf_steal(struct buf *b, size_t *lenp)
{
	char	*p;

	p = b->data != NULL ? b->data : xstrdup("");
	if (lenp != NULL)
		*lenp = b->len;
	b->data = NULL;
	b->len = b->size = 0;
	return p;
}
