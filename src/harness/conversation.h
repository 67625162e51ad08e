/*
 * conversation.h -- the canonical conversation a brain is given,
 * rebuilt from a session's event log (harness.md 5.1).
 *
 * Events are taken in the order they were processed (a message queued
 * while the agent ran joins at the model-request boundary where it was
 * taken), and mapped: user messages to user turns (several merged), the
 * blocks of one model request to one assistant message (thinking with
 * its private text and signature, text, tool_use with the provider's
 * id), tool results to tool_result blocks in tool_use order, with the
 * private markers x_denied and x_interrupted.  A request that was
 * retried is dropped; system.message text is collected apart.
 */
#ifndef PILOTHOUSE_CONVERSATION_H
#define PILOTHOUSE_CONVERSATION_H

#include <jansson.h>

#include "base/compiler.h"

struct hstore;

/* *messages (new reference) and *system_extra (caller frees, NULL when
 * there is none); -1 with *cause when the log cannot be read. */
int	 conversation_build(struct hstore *, const char *, json_t **, char **,
	    char **) AD_WARN_UNUSED;

#endif
