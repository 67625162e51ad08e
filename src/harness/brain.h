/*
 * brain.h -- the brain: what decides the next assistant message.
 *
 * One call to brain_next_turn() is one model request.  It blocks on the
 * session's runner thread and streams what the model produces as a
 * sequence of events (struct brain_ev) into a sink, then returns how the
 * request ended.  A brain never executes tools and never writes session
 * events: the turn assembler (turn.h) turns the deltas into events and
 * the agent loop runs the tools (harness.md section 5).
 *
 * Event order for one call is always
 *
 *	START, (BLOCK_START(i) deltas... BLOCK_STOP(i))*, STOP
 *
 * with the deltas of one block contiguous: a backend that interleaves
 * blocks (OpenAI can) re-sequences them before calling the sink.  On an
 * error or a cancellation the sequence stops wherever it was (no STOP);
 * blocks that were not stopped are dropped by the assembler.
 *
 * Cancellation: the caller fires the struct cancel (user.interrupt).  A
 * brain polls cancel_fired() (libcurl: in CURLOPT_XFERINFOFUNCTION) or
 * waits on cancel_fd()/cancel_sleep(), and returns BRAIN_CANCELLED
 * promptly (well under 100 ms).  A non-zero return from the sink means
 * the same thing.
 *
 * Brains are chosen by the model string (harness.md section 5.7):
 * brain_create() routes "scripted:NAME" to the scripted brain, "local:ALIAS"
 * to the OpenAI-compatible brain (brain_openai.h) and anything else to
 * the Anthropic Messages API (brain_anthropic.h), as brain.c's table
 * says.  A model whose backend cannot be made (a missing [brain.ALIAS],
 * a bad config value) gets a brain whose every call fails with a
 * non-retryable BRAIN_E_REQUEST naming the problem, so the session
 * shows a model_request_failed_error instead of hanging.
 */
#ifndef PILOTHOUSE_BRAIN_H
#define PILOTHOUSE_BRAIN_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "base/cancel.h"
#include "base/compiler.h"

struct scenario_set;

enum brain_block {
	BRAIN_BLOCK_TEXT,
	BRAIN_BLOCK_THINKING,
	BRAIN_BLOCK_REDACTED_THINKING,
	BRAIN_BLOCK_TOOL_USE
};

enum brain_stop {
	BRAIN_STOP_END_TURN,
	BRAIN_STOP_TOOL_USE,
	BRAIN_STOP_MAX_TOKENS,
	BRAIN_STOP_REFUSAL,
	BRAIN_STOP_PAUSE,		/* pause_turn: send the same request */
	BRAIN_STOP_CONTEXT		/* context window exceeded */
};

struct brain_usage {
	int64_t		input;		/* uncached input tokens */
	int64_t		output;
	int64_t		cache_read;
	int64_t		cache_write;
};

enum brain_ev_kind {
	BRAIN_EV_START,		/* usage.input may be set */
	BRAIN_EV_BLOCK_START,	/* index, block; tool_use: tool_id, tool_name,
				   hints */
	BRAIN_EV_TEXT,		/* data, len: text delta */
	BRAIN_EV_THINKING,	/* data, len: thinking delta */
	BRAIN_EV_SIGNATURE,	/* data, len: signature or redacted data */
	BRAIN_EV_TOOL_JSON,	/* data, len: fragment of the input JSON */
	BRAIN_EV_BLOCK_STOP,	/* index */
	BRAIN_EV_STOP		/* stop, stop_details, usage (final) */
};

/* One event.  Every pointer is borrowed: valid until the sink returns. */
struct brain_ev {
	enum brain_ev_kind	 kind;
	int			 index;
	enum brain_block	 block;
	const char		*tool_id;	/* toolu_..., call_... */
	const char		*tool_name;
	/* Scripted only: {"confirm":{...}, "auto_result":"..."}, or NULL. */
	json_t			*hints;
	const char		*data;		/* deltas; not NUL-terminated */
	size_t			 len;
	enum brain_stop		 stop;
	/* A refusal's {category, explanation}. */
	json_t			*stop_details;
	struct brain_usage	 usage;
};

/* Return non-zero to abort the request (the call then returns
 * BRAIN_CANCELLED). */
typedef int	(*brain_sink)(void *, const struct brain_ev *);

/*
 * One model request.  Everything is borrowed for the duration of the
 * call.  messages is the canonical conversation of harness.md 5.1: an
 * Anthropic-shaped array of {"role","content"} rebuilt from the log.
 * Two harness-private markers appear in it and must not be sent to a
 * provider: "x_denied" and "x_interrupted" on tool_result blocks, and
 * "x_turn_start":true on a user message that began a user turn (after
 * an idle).  Backends building a provider request copy only the keys
 * they know, which drops these.
 */
struct brain_request {
	const char	*model;		/* after routing: "fix-mean" for
					   "scripted:fix-mean" */
	const char	*system;	/* may be NULL */
	json_t		*messages;
	json_t		*tools;		/* [{name, description,
					   input_schema}] */
	int		 max_tokens;
	json_t		*thinking;	/* NULL or {"type":"enabled",...} */
	int		 attempt;	/* 0, 1, 2... retries of this request */
	const char	*session_id;
	const char	*workdir;	/* as the model sees it: "/workspace" */
};

enum brain_status {
	BRAIN_OK,
	BRAIN_CANCELLED,
	BRAIN_E_OVERLOADED,	/* model_overloaded_error */
	BRAIN_E_RATE_LIMITED,	/* model_rate_limited_error */
	BRAIN_E_REQUEST,	/* model_request_failed_error */
	BRAIN_E_AUTH,		/* model_request_failed_error */
	BRAIN_E_BILLING,	/* billing_error */
	BRAIN_E_CONTEXT,	/* the prompt is too long */
	BRAIN_E_PROTOCOL	/* the backend broke its protocol */
};

struct brain_result {
	enum brain_status	status;
	int			retryable;	/* may pass on retry */
	int			http_status;	/* 0 when not HTTP */
	int			retry_after_ms;	/* -1: the harness backoff */
	char			message[512];	/* for session.error */
};

/* A backend: a const table per kind of brain (curl's vtls style). */
struct brain_ops {
	const char	*name;		/* "scripted", "anthropic", "openai" */
	/* Blocking; runs on the session's runner thread.  Fills *res. */
	void		(*next_turn)(void *, const struct brain_request *,
			    brain_sink, void *, struct cancel *,
			    struct brain_result *);
	void		(*free)(void *);
};

struct brain {
	const struct brain_ops	*ops;
	void			*impl;
	char			*model;		/* backend model id, owned */
};

/* What brains may need from the harness; borrowed for the brain's life. */
struct brain_env {
	struct scenario_set	*scenarios;	/* scripted: scenario files */
	int			 scripted_fast;	/* --scripted-fast */
	/* --config FILE, or NULL for the default (brain_config.h). */
	const char		*config_path;
};

/*
 * Make the brain for an agent's model string.  Never fails: an unknown
 * or unavailable model gives a brain whose calls fail with a clear
 * message.  Caller frees with brain_free.
 */
struct brain	*brain_create(const char *, const struct brain_env *);
void		 brain_free(struct brain *);
/* One model request (see the top of this file). */
void		 brain_next_turn(struct brain *, const struct brain_request *,
		    brain_sink, void *, struct cancel *, struct brain_result *);
/* The session.error type for a failed status ("model_overloaded_error"). */
const char	*brain_error_type(enum brain_status);
/* Fill res as a failure; fmt is the message. */
void		 brain_result_fail(struct brain_result *, enum brain_status,
		    int, const char *, ...) AD_PRINTFLIKE(4, 5);

/* The scripted brain's backend (brain_scripted.c). */
void		*brain_scripted_create(const char *, const struct brain_env *,
		    char **);
extern const struct brain_ops brain_scripted_ops;

#endif
