/*
 * sanitize.h -- make untrusted text safe to show on a terminal.
 *
 * Event text comes from models and tool output and may hold anything:
 * C0/C1 controls, ESC/CSI/OSC/DCS sequences (OSC 52 writes the user's
 * clipboard), bidi overrides, invisible tag characters, invalid UTF-8.
 * None of it may reach the terminal raw.  sanitize_next() cuts text into
 * pieces: runs of printable UTF-8 (slices of the input, safe to write),
 * line ends and tabs (for the caller to lay out), and inert visible
 * representations of everything else ("\xe2\x90\x9b" for ESC, so
 * "ESC[2J" shows as "\xe2\x90\x9b[2J"; "<U+202E>" for a bidi override;
 * "<0xFF>" for a byte that is not UTF-8), which callers draw in a
 * distinct style.  With SANITIZE_SGR, a complete SGR sequence (ESC [ n;m
 * m) is returned as one piece with its parameters, so a renderer can map
 * colour onto its own styles; the bytes themselves are never written.
 */
#ifndef PILOTHOUSE_SANITIZE_H
#define PILOTHOUSE_SANITIZE_H

#include <stddef.h>

#include "base/buf.h"
#include "base/compiler.h"

enum sanitize_kind {
	SANITIZE_TEXT,		/* printable UTF-8, in the input */
	SANITIZE_NEWLINE,	/* LF, or CR LF */
	SANITIZE_TAB,		/* HT */
	SANITIZE_INERT,		/* text is a visible stand-in (in rep) */
	SANITIZE_SGR		/* only with SANITIZE_SGR; see params */
};

#define SANITIZE_SGR_FLAG	0x1	/* recognise SGR sequences */
#define SANITIZE_MAX_PARAMS	16

struct sanitize_piece {
	enum sanitize_kind	 kind;
	const char		*text;	/* TEXT: into the input; INERT: rep */
	size_t			 len;
	char			 rep[16];
	int			 nparams;	/* SGR parameters; 0: "ESC[m" */
	int			 params[SANITIZE_MAX_PARAMS];
};

/* The next piece of s (len > 0); returns the input bytes it covers. */
size_t	 sanitize_next(const char *, size_t, int, struct sanitize_piece *);
/*
 * Append a plain-text rendering to out: text verbatim, line ends as
 * "\n", tabs as "\t", inert stand-ins in place, SGR dropped.  -1 when
 * out's ceiling is reached (out then holds a prefix).
 */
int	 sanitize_to_buf(const char *, size_t, struct buf *) AD_WARN_UNUSED;

#endif
