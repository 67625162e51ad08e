/*
 * agent_loop.h -- the runner: a session's turn as a state machine over
 * its event log (harness.md 2-3).
 *
 * The runner looks at the session's state (session.h, rebuilt from the
 * log), does the next thing, logs what happened, and looks again:
 *
 *   interrupt pending    settle every open call as interrupted, then
 *                        idle(end_turn)
 *   idle, messages queued  running; take them; a model request is due
 *   calls wait for the client  idle(requires_action, every pending id);
 *                        re-emitted with the rest on partial answers
 *   a call to settle     run it in the sandbox (or log its denial) in
 *                        model order
 *   a model request due  span start, the brain streams into the turn
 *                        assembler, span end; errors retry with
 *                        session.error(retrying) + rescheduled, then
 *                        exhausted -> idle(retries_exhausted)
 *   the response ended   session.usage, idle(end_turn | refusal)
 *
 * It runs as a job on the worker pool while there is work and exits when
 * the session waits for the client, so an idle or waiting session costs
 * no thread.  Slow steps (brain, tools, backoff) run with the session
 * unlocked and are cancelled by user.interrupt through the session's
 * struct cancel.  The sandbox is provisioned on another worker as soon as
 * a turn starts, in parallel with the first model request.
 */
#ifndef PILOTHOUSE_AGENT_LOOP_H
#define PILOTHOUSE_AGENT_LOOP_H

#include <jansson.h>

struct session;

/* Make sure a runner job will look at the session.  Lock held. */
void	 agent_loop_kick(struct session *);
/*
 * Log one validated client event (from POST .../events, initial_events
 * or the autopilot) with its queued/processed semantics and wake the
 * runner.  priv is stolen (may be NULL); *echo gets a new reference to
 * the event as logged.  Lock held.
 */
int	 agent_loop_accept(struct session *, json_t *, json_t *, json_t **);
/* After a reload: calls in flight are stale, running sessions are
 * rescheduled and resumed, autopilot timers re-armed.  Lock held. */
void	 agent_loop_resume(struct session *);

#endif
