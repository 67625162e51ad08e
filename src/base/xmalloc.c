/* ISC licence: see COPYING.  Allocation wrappers that abort on failure. */

#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"

static void	(*fatal_hook)(void);

static AD_NORETURN void	fatal_exit(const char *, va_list, const char *)
		    AD_PRINTFLIKE(1, 0);

/* Allocate size bytes or die. */
void *
xmalloc(size_t size)
{
	void	*p;

	if (size == 0)
		size = 1;
	if ((p = malloc(size)) == NULL)
		fatalx("out of memory allocating %zu bytes", size);
	return p;
}

/* Allocate a zeroed array or die. */
void *
xcalloc(size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if ((p = calloc(n, size)) == NULL)
		fatalx("out of memory allocating %zu x %zu bytes", n, size);
	return p;
}

/* Resize an allocation or die. */
void *
xrealloc(void *ptr, size_t size)
{
	return xreallocarray(ptr, 1, size);
}

/* Resize an array, checking the multiplication for overflow. */
void *
xreallocarray(void *ptr, size_t n, size_t size)
{
	void	*p;

	if (n == 0 || size == 0)
		n = size = 1;
	if (size != 0 && n > SIZE_MAX / size)
		fatalx("allocation overflow: %zu x %zu", n, size);
	if ((p = realloc(ptr, n * size)) == NULL)
		fatalx("out of memory reallocating %zu x %zu bytes", n, size);
	return p;
}

/* Duplicate a string or die. */
char *
xstrdup(const char *s)
{
	return xmemdup(s, strlen(s) + 1);
}

/* Duplicate at most n bytes of a string, always NUL-terminated. */
char *
xstrndup(const char *s, size_t n)
{
	size_t	 len;
	char	*p;

	len = strnlen(s, n);
	p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

/* Duplicate len bytes of memory. */
void *
xmemdup(const void *src, size_t len)
{
	void	*p;

	p = xmalloc(len);
	if (len != 0)
		memcpy(p, src, len);
	return p;
}

/* asprintf that dies on failure; returns the length. */
int
xasprintf(char **ret, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = xvasprintf(ret, fmt, ap);
	va_end(ap);
	return n;
}

/* vasprintf that dies on failure; returns the length. */
int
xvasprintf(char **ret, const char *fmt, va_list ap)
{
	int	 n;

	n = vasprintf(ret, fmt, ap);
	if (n < 0 || *ret == NULL)
		fatalx("out of memory formatting a string");
	return n;
}

/* Register the hook run before a fatal message (one hook; last wins). */
void
fatal_set_hook(void (*hook)(void))
{
	fatal_hook = hook;
}

/* Run the hook once, print the message and exit with EX_SOFTWARE. */
static AD_NORETURN void
fatal_exit(const char *fmt, va_list ap, const char *errstr)
{
	void	(*hook)(void) = fatal_hook;

	fatal_hook = NULL;
	if (hook != NULL)
		hook();
	fputs("pilothouse: ", stderr);
	vfprintf(stderr, fmt, ap);
	if (errstr != NULL)
		fprintf(stderr, ": %s", errstr);
	fputc('\n', stderr);
	exit(70);
}

/* Die with a message and strerror(errno). */
void
fatal(const char *fmt, ...)
{
	va_list	 ap;
	int	 saved = errno;

	va_start(ap, fmt);
	fatal_exit(fmt, ap, strerror(saved));
}

/* Die with a message. */
void
fatalx(const char *fmt, ...)
{
	va_list	 ap;

	va_start(ap, fmt);
	fatal_exit(fmt, ap, NULL);
}
