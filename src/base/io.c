/* ISC licence: see COPYING.  Descriptor and whole-file helpers. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/io.h"
#include "base/rand.h"
#include "base/xmalloc.h"

/* Write everything, looping over short writes and EINTR. */
int
io_write_all(int fd, const void *p, size_t len)
{
	const char	*q = p;
	ssize_t		 n;

	while (len > 0) {
		n = write(fd, q, len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		q += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Read path into b (appending), refusing files larger than max. */
int
io_read_file(const char *path, size_t max, struct buf *b, char **cause)
{
	char	 chunk[65536];
	ssize_t	 n;
	int	 fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC|O_NOCTTY)) == -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	for (;;) {
		n = read(fd, chunk, sizeof chunk);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			xasprintf(cause, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		if (b->len + (size_t)n > max ||
		    buf_append(b, chunk, (size_t)n) != 0) {
			xasprintf(cause, "%s: larger than %zu bytes", path,
			    max);
			goto fail;
		}
	}
	close(fd);
	return 0;
fail:
	close(fd);
	return -1;
}

/* Replace path atomically with len bytes; the file is private (0600). */
int
io_write_file(const char *path, const void *p, size_t len, char **cause)
{
	char	*tmp, tail[9];
	int	 fd;

	rand_base62(tail, 8);
	xasprintf(&tmp, "%s.%s.tmp", path, tail);
	fd = open(tmp, O_WRONLY|O_CREAT|O_EXCL|O_CLOEXEC|O_NOFOLLOW, 0600);
	if (fd == -1) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if (io_write_all(fd, p, len) != 0 || fsync(fd) != 0) {
		xasprintf(cause, "%s: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return -1;
	}
	close(fd);
	if (rename(tmp, path) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

/* Turn O_NONBLOCK on or off. */
int
io_set_nonblock(int fd, int on)
{
	int	fl;

	if ((fl = fcntl(fd, F_GETFL)) == -1)
		return -1;
	fl = on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
	return fcntl(fd, F_SETFL, fl);
}
