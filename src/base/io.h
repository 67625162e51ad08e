/*
 * io.h -- file-descriptor helpers: complete writes, bounded whole-file
 * reads, descriptor flags, and private (0600) file creation.
 */
#ifndef PILOTHOUSE_IO_H
#define PILOTHOUSE_IO_H

#include <stddef.h>
#include <sys/types.h>

#include "base/buf.h"
#include "base/compiler.h"

/* Write all len bytes, retrying on EINTR/short writes; -1 on error. */
int	 io_write_all(int, const void *, size_t) AD_WARN_UNUSED;
/* Read a whole file of at most max bytes into b; -1 with *cause. */
int	 io_read_file(const char *, size_t, struct buf *, char **)
	    AD_WARN_UNUSED;
/* Write a file atomically (temp + fsync + rename), mode 0600. */
int	 io_write_file(const char *, const void *, size_t, char **)
	    AD_WARN_UNUSED;
int	 io_set_nonblock(int, int);

#endif
