/*
 * buf.h -- bounded byte buffers (curl's dynbuf, with a ceiling).
 *
 * Every buffer filled from outside (network, files, children) is given a
 * maximum length at buf_init(); an append that would pass it fails and
 * leaves the buffer unchanged, so hostile input cannot grow memory without
 * bound.  The contents are always followed by a NUL that is not counted
 * in len, so text can be used as a C string.  struct buf is embedded in
 * its owner (hence _init/_clear).
 */
#ifndef PILOTHOUSE_BUF_H
#define PILOTHOUSE_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "base/compiler.h"

struct buf {
	char	*data;		/* NULL until the first append */
	size_t	 len;		/* bytes in use, excluding the NUL */
	size_t	 size;		/* bytes allocated */
	size_t	 max;		/* ceiling on len */
};

#define BUF_UNBOUNDED	((size_t)-1 / 2)

void	 buf_init(struct buf *, size_t);
void	 buf_clear(struct buf *);
void	 buf_reset(struct buf *);
void	 buf_release(struct buf *, size_t);
int	 buf_append(struct buf *, const void *, size_t) AD_WARN_UNUSED;
int	 buf_puts(struct buf *, const char *) AD_WARN_UNUSED;
int	 buf_putc(struct buf *, int) AD_WARN_UNUSED;
int	 buf_printf(struct buf *, const char *, ...)
	    AD_PRINTFLIKE(2, 3) AD_WARN_UNUSED;
int	 buf_vprintf(struct buf *, const char *, va_list)
	    AD_PRINTFLIKE(2, 0) AD_WARN_UNUSED;
/* buf_printf for unbounded buffers: failing is fatal, like xmalloc. */
void	 buf_xprintf(struct buf *, const char *, ...) AD_PRINTFLIKE(2, 3);
void	 buf_consume(struct buf *, size_t);
void	 buf_truncate(struct buf *, size_t);
const char *buf_cstr(const struct buf *);
char	*buf_steal(struct buf *, size_t *);

#endif
