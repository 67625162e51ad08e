/*
 * fixture.h -- read the shared wire fixtures (tests/data/fixtures) from
 * the source tree, for the C tests.  A missing fixture ends the test
 * program with a failure, since it means the tree is broken.
 */
#ifndef PILOTHOUSE_FIXTURE_H
#define PILOTHOUSE_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/xmalloc.h"

#define FIXTURE_DIR	PH_SRCDIR "/tests/data/fixtures"

/* Read fixture name into a new buffer (NUL-terminated).  Caller frees. */
static __attribute__((unused)) char *
fixture_read(const char *name, size_t *lenp)
{
	struct buf	 b;
	char		*path, *cause = NULL, *s;

	xasprintf(&path, "%s/%s", FIXTURE_DIR, name);
	buf_init(&b, 64 * 1024 * 1024);
	if (io_read_file(path, b.max, &b, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	free(path);
	s = buf_steal(&b, lenp);
	return s;
}

/* Split text into its lines (without the '\n'); lines[i] point into text,
 * which is modified.  Caller frees the array. */
static __attribute__((unused)) char **
fixture_lines(char *text, size_t *np)
{
	char	**v = NULL, *p, *nl;
	size_t	  n = 0;

	for (p = text; *p != '\0'; p = nl + 1) {
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = p;
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
	}
	*np = n;
	return v;
}

#endif
