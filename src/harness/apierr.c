/* ISC licence: see COPYING.  API errors. */

#include "config.h"

#include <stdarg.h>
#include <stdlib.h>

#include "base/xmalloc.h"
#include "harness/apierr.h"

/* Record an error unless one is already set. */
static int
apierr_vset(struct apierr *e, int status, const char *type, const char *fmt,
    va_list ap)
{
	if (e->status != 0)
		return -1;
	e->status = status;
	e->type = type;
	xvasprintf(&e->message, fmt, ap);
	return -1;
}

/* Any status and type. */
int
apierr_set(struct apierr *e, int status, const char *type, const char *fmt,
    ...)
{
	va_list	ap;

	va_start(ap, fmt);
	apierr_vset(e, status, type, fmt, ap);
	va_end(ap);
	return -1;
}

/* A bad request. */
int
apierr_invalid(struct apierr *e, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	apierr_vset(e, 400, "invalid_request_error", fmt, ap);
	va_end(ap);
	return -1;
}

/* An unknown id. */
int
apierr_not_found(struct apierr *e, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	apierr_vset(e, 404, "not_found_error", fmt, ap);
	va_end(ap);
	return -1;
}

/* Forget the error. */
void
apierr_clear(struct apierr *e)
{
	free(e->message);
	e->message = NULL;
	e->status = 0;
	e->type = NULL;
	e->code = NULL;
}
