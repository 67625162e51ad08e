/* ISC licence: see COPYING.  Brains: routing by model string. */

#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/compiler.h"
#include "base/xmalloc.h"
#include "harness/brain.h"
#include "harness/brain_anthropic.h"
#include "harness/brain_openai.h"

/* A prefix of the model string and the backend serving it. */
struct brain_route {
	const char		*prefix;
	void			*(*create)(const char *,
				    const struct brain_env *, char **);
	const struct brain_ops	*ops;
};

/* The backends built in, first match wins; "" takes every model left. */
static const struct brain_route brain_routes[] = {
	{ "scripted:", brain_scripted_create, &brain_scripted_ops },
	{ "local:", brain_openai_create, &brain_openai_ops },
	{ "", brain_anthropic_create, &brain_anthropic_ops },
};

static void	brain_unavailable_next_turn(void *,
		    const struct brain_request *, brain_sink, void *,
		    struct cancel *, struct brain_result *);
static void	brain_unavailable_free(void *);

/* A brain that cannot serve its model: every call fails with why. */
static const struct brain_ops brain_unavailable_ops = {
	"unavailable", brain_unavailable_next_turn, brain_unavailable_free
};

/* Route a model string to its backend. */
struct brain *
brain_create(const char *model, const struct brain_env *env)
{
	struct brain	*b;
	char		*cause = NULL;
	size_t		 len;

	b = xcalloc(1, sizeof *b);
	for (size_t i = 0; i < AD_NITEMS(brain_routes); i++) {
		len = strlen(brain_routes[i].prefix);
		if (strncmp(model, brain_routes[i].prefix, len) != 0)
			continue;
		b->model = xstrdup(model + len);
		b->impl = brain_routes[i].create(b->model, env, &cause);
		if (b->impl != NULL) {
			b->ops = brain_routes[i].ops;
			return b;
		}
		break;
	}
	if (cause == NULL)
		xasprintf(&cause, "model \"%s\": no brain can serve it; use "
		    "local:ALIAS or scripted:NAME", model);
	if (b->model == NULL)
		b->model = xstrdup(model);
	b->ops = &brain_unavailable_ops;
	b->impl = cause;
	return b;
}

/* Free a brain and its backend. */
void
brain_free(struct brain *b)
{
	if (b == NULL)
		return;
	b->ops->free(b->impl);
	free(b->model);
	free(b);
}

/* One model request. */
void
brain_next_turn(struct brain *b, const struct brain_request *req,
    brain_sink sink, void *arg, struct cancel *cancel,
    struct brain_result *res)
{
	memset(res, 0, sizeof *res);
	res->retry_after_ms = -1;
	res->status = BRAIN_OK;
	b->ops->next_turn(b->impl, req, sink, arg, cancel, res);
}

/* The session.error type a brain failure is reported as. */
const char *
brain_error_type(enum brain_status st)
{
	switch (st) {
	case BRAIN_E_OVERLOADED:
		return "model_overloaded_error";
	case BRAIN_E_RATE_LIMITED:
		return "model_rate_limited_error";
	case BRAIN_E_BILLING:
		return "billing_error";
	case BRAIN_E_REQUEST:
	case BRAIN_E_AUTH:
	case BRAIN_E_CONTEXT:
	case BRAIN_E_PROTOCOL:
		return "model_request_failed_error";
	case BRAIN_OK:
	case BRAIN_CANCELLED:
		break;
	}
	return "unknown_error";
}

/* Fill a failure result. */
void
brain_result_fail(struct brain_result *res, enum brain_status st,
    int retryable, const char *fmt, ...)
{
	va_list	ap;

	res->status = st;
	res->retryable = retryable;
	va_start(ap, fmt);
	vsnprintf(res->message, sizeof res->message, fmt, ap);
	va_end(ap);
}

/* The unavailable brain: fail at once, not retryable. */
static void
brain_unavailable_next_turn(void *impl, const struct brain_request *req,
    brain_sink sink, void *arg, struct cancel *cancel,
    struct brain_result *res)
{
	brain_result_fail(res, BRAIN_E_REQUEST, 0, "%s", (char *)impl);
}

/* impl is the message. */
static void
brain_unavailable_free(void *impl)
{
	free(impl);
}
