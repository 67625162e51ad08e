/*
 * xmalloc.h -- allocation that never returns NULL, and fatal exits.
 *
 * Every x* function aborts the program with a message when memory runs
 * out, so callers never check.  fatal()/fatalx() end the program after
 * running the hook registered with fatal_set_hook(), which the console
 * uses to restore the terminal before anything is printed.
 */
#ifndef PILOTHOUSE_XMALLOC_H
#define PILOTHOUSE_XMALLOC_H

#include <stdarg.h>
#include <stddef.h>

#include "base/compiler.h"

void	*xmalloc(size_t);
void	*xcalloc(size_t, size_t);
void	*xrealloc(void *, size_t);
void	*xreallocarray(void *, size_t, size_t);
char	*xstrdup(const char *);
char	*xstrndup(const char *, size_t);
void	*xmemdup(const void *, size_t);
int	 xasprintf(char **, const char *, ...) AD_PRINTFLIKE(2, 3);
int	 xvasprintf(char **, const char *, va_list) AD_PRINTFLIKE(2, 0);

/* Prints "pilothouse: <msg>: <strerror(errno)>" and exits 70. */
AD_NORETURN void fatal(const char *, ...) AD_PRINTFLIKE(1, 2);
/* Prints "pilothouse: <msg>" and exits 70. */
AD_NORETURN void fatalx(const char *, ...) AD_PRINTFLIKE(1, 2);
/* Called once before a fatal message is printed (e.g. endwin). */
void	 fatal_set_hook(void (*)(void));

#endif
