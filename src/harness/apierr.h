/*
 * apierr.h -- an API error as the harness answers it: HTTP status,
 * error.type, a message that names the problem and what to do, and an
 * optional details.error_code (api.md 9).
 */
#ifndef PILOTHOUSE_APIERR_H
#define PILOTHOUSE_APIERR_H

#include "base/compiler.h"

struct apierr {
	int		 status;	/* 0: no error */
	const char	*type;		/* "invalid_request_error"... */
	char		*message;	/* owned */
	const char	*code;		/* details.error_code, or NULL */
};

/* Set the error (the first one wins); returns -1 for "return apierr_set". */
int	 apierr_set(struct apierr *, int, const char *, const char *, ...)
	    AD_PRINTFLIKE(4, 5);
/* 400 invalid_request_error. */
int	 apierr_invalid(struct apierr *, const char *, ...) AD_PRINTFLIKE(2, 3);
/* 404 not_found_error. */
int	 apierr_not_found(struct apierr *, const char *, ...)
	    AD_PRINTFLIKE(2, 3);
void	 apierr_clear(struct apierr *);

#endif
