/*
 * api_error.h -- what went wrong with a request, in one structure.
 *
 * The API reports errors in an envelope (api.md section 9):
 * {"type":"error","error":{"type":"not_found_error","message":"..."},
 * "request_id":"req_..."}; transport failures (no connection, a reset)
 * have no envelope.  api_error_format() gives the one line the command
 * line prints after "pilothouse: ", with every byte that came from the
 * server made safe for a terminal (base/sanitize.h).  Embedded in its
 * owner (_clear frees the strings).
 */
#ifndef PILOTHOUSE_API_ERROR_H
#define PILOTHOUSE_API_ERROR_H

#include <stddef.h>

enum api_status {
	API_OK = 0,
	API_ERR_HTTP,		/* the server answered with an error */
	API_ERR_NETWORK,	/* no connection, or it broke */
	API_ERR_PROTOCOL	/* an unusable answer (bad JSON, too big) */
};

struct api_error {
	enum api_status	 status;
	long		 http;		/* HTTP status; 0 when none */
	char		*type;		/* error.type, or NULL */
	char		*message;	/* error.message or what failed (raw) */
	char		*request_id;	/* from the header or body, or NULL */
	char		*hint;		/* what to do about it, or NULL */
};

void	 api_error_clear(struct api_error *);
/* Replace dst (cleared first) by a copy of src. */
void	 api_error_copy(struct api_error *, const struct api_error *);
/*
 * An error answer: status http, body (len bytes, an envelope or not) and
 * the request-id header (or NULL).  An "event: error" frame on a stream
 * is the same with http 0.
 */
void	 api_error_set_http(struct api_error *, long, const char *, size_t,
	    const char *);
/* Any other failure, with a printf message and an optional hint. */
void	 api_error_set(struct api_error *, enum api_status, const char *,
	    const char *, ...) __attribute__((format(printf, 4, 5)));
/* Replace every occurrence of secret in the strings by "[redacted]". */
void	 api_error_redact(struct api_error *, const char *);
/*
 * "404 not_found_error: message" (or "message" for transport errors),
 * then "; hint" when there is one; sanitised.  Caller frees.
 */
char	*api_error_format(const struct api_error *);

#endif
