/*
 * demo.h -- the demo driver: a manifest (harness.md 4.5) played inside
 * the harness.
 *
 * demo_start() creates an environment, one agent and a session per
 * manifest entry (each session overrides the agent's model with
 * "scripted:<scenario>" and takes the scenario's system prompt and
 * tools, and its metadata names the scenario so the workspace is
 * seeded), then sends each scenario turn's user text: the first after
 * the entry's start_ms, each next one when the previous turn ends with
 * end_turn.  Timed "script" entries (an interrupt, a message) are sent at
 * their at_ms.  Everything goes through the same harness functions the
 * HTTP handlers call, so clients see exactly what they would see from
 * any other client.  The driver runs in the harness process, on its own
 * timer thread, so it keeps driving after the command that started it
 * has exited.
 */
#ifndef PILOTHOUSE_DEMO_H
#define PILOTHOUSE_DEMO_H

#include <jansson.h>

#include "harness/apierr.h"

struct demo;
struct harness;

/* Registers an observer on the harness (one demo per harness). */
struct demo	*demo_create(struct harness *);
void		 demo_free(struct demo *);
/*
 * Start a manifest: body is {"manifest": {...}}.  *out (new reference)
 * is {"demo", "environment_id", "agent_id", "sessions": [{"key",
 * "session_id", "scenario"}]}.
 */
int		 demo_start(struct demo *, json_t *, json_t **,
		    struct apierr *);

#endif
