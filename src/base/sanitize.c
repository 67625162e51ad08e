/* ISC licence: see COPYING.  Untrusted text made safe for terminals. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "base/sanitize.h"
#include "base/utf8.h"

#define SANITIZE_MAX_SGR	64	/* longest SGR sequence recognised */

/*
 * Code points that must never be written raw even though they are valid
 * UTF-8: C1 controls, bidi embeddings/overrides/isolates and marks, the
 * line and paragraph separators (they reflow some terminals), the
 * interlinear annotation controls and the invisible tag characters used
 * to smuggle hidden text.
 */
static int
sanitize_is_dangerous(uint32_t cp)
{
	return (cp >= 0x80 && cp <= 0x9f) ||
	    cp == 0x061c || cp == 0x200e || cp == 0x200f ||
	    (cp >= 0x202a && cp <= 0x202e) ||
	    (cp >= 0x2066 && cp <= 0x2069) ||
	    cp == 0x2028 || cp == 0x2029 ||
	    (cp >= 0xfff9 && cp <= 0xfffb) ||
	    (cp >= 0xe0000 && cp <= 0xe007f);
}

/* Fill p with "<0xFF>" for a stray byte or "<U+202E>" for a code point. */
static void
sanitize_inert(struct sanitize_piece *p, int is_byte, unsigned v)
{
	int	n;

	p->kind = SANITIZE_INERT;
	if (is_byte)
		n = snprintf(p->rep, sizeof p->rep, "<0x%02X>", v);
	else
		n = snprintf(p->rep, sizeof p->rep, "<U+%04X>", v);
	p->text = p->rep;
	p->len = n > 0 ? (size_t)n : 0;
}

/* A C0 control or DEL as its Unicode control picture (U+2400 block). */
static void
sanitize_control_picture(struct sanitize_piece *p, unsigned char c)
{
	uint32_t	cp = c == 0x7f ? 0x2421 : 0x2400 + c;

	p->kind = SANITIZE_INERT;
	p->len = (size_t)utf8_encode(cp, p->rep);
	p->text = p->rep;
}

/* Try to read "ESC [ params m" at s; returns its length or 0. */
static size_t
sanitize_sgr(const char *s, size_t len, struct sanitize_piece *p)
{
	size_t	i;
	int	v = -1;

	if (len < 3 || s[1] != '[')
		return 0;
	p->nparams = 0;
	for (i = 2; i < len && i < SANITIZE_MAX_SGR; i++) {
		char	c = s[i];

		if (c >= '0' && c <= '9') {
			v = (v < 0 ? 0 : v) * 10 + (c - '0');
			if (v > 65535)
				return 0;
		} else if (c == ';' || c == ':' || c == 'm') {
			if (p->nparams < SANITIZE_MAX_PARAMS &&
			    (v >= 0 || c != 'm' || p->nparams > 0))
				p->params[p->nparams++] = v < 0 ? 0 : v;
			v = -1;
			if (c == 'm') {
				p->kind = SANITIZE_SGR;
				p->text = s;
				p->len = i + 1;
				return i + 1;
			}
		} else
			return 0;
	}
	return 0;
}

/* Cut the next piece from s. */
size_t
sanitize_next(const char *s, size_t len, int flags, struct sanitize_piece *p)
{
	const unsigned char	*u = (const unsigned char *)s;
	uint32_t		 cp;
	size_t			 i, n;
	int			 k;

	memset(p, 0, sizeof *p);
	if (u[0] == '\n') {
		p->kind = SANITIZE_NEWLINE;
		return 1;
	}
	if (u[0] == '\r' && len > 1 && u[1] == '\n') {
		p->kind = SANITIZE_NEWLINE;
		return 2;
	}
	if (u[0] == '\t') {
		p->kind = SANITIZE_TAB;
		return 1;
	}
	if (u[0] == 0x1b && (flags & SANITIZE_SGR_FLAG) &&
	    (n = sanitize_sgr(s, len, p)) > 0)
		return n;
	if (u[0] < 0x20 || u[0] == 0x7f) {
		sanitize_control_picture(p, u[0]);
		return 1;
	}
	if (u[0] >= 0x80) {
		if ((k = utf8_decode(s, len, &cp)) < 0) {
			sanitize_inert(p, 1, u[0]);
			return 1;
		}
		if (sanitize_is_dangerous(cp)) {
			sanitize_inert(p, 0, cp);
			return (size_t)k;
		}
	}
	/* A run of printable text: stop before anything special. */
	for (i = 0; i < len; ) {
		if (u[i] < 0x20 || u[i] == 0x7f)
			break;
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = utf8_decode(s + i, len - i, &cp)) < 0 ||
		    sanitize_is_dangerous(cp))
			break;
		i += (size_t)k;
	}
	p->kind = SANITIZE_TEXT;
	p->text = s;
	p->len = i;
	return i;
}

/* Plain-text rendering of untrusted text. */
int
sanitize_to_buf(const char *s, size_t len, struct buf *out)
{
	struct sanitize_piece	p;
	size_t			n;

	while (len > 0) {
		n = sanitize_next(s, len, 0, &p);
		switch (p.kind) {
		case SANITIZE_NEWLINE:
			if (buf_putc(out, '\n') != 0)
				return -1;
			break;
		case SANITIZE_TAB:
			if (buf_putc(out, '\t') != 0)
				return -1;
			break;
		case SANITIZE_TEXT:
		case SANITIZE_INERT:
			if (buf_append(out, p.text, p.len) != 0)
				return -1;
			break;
		case SANITIZE_SGR:
			break;
		}
		s += n;
		len -= n;
	}
	return 0;
}
