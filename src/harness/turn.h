/*
 * turn.h -- the turn assembler: a brain's deltas become session events
 * (harness.md 5.3).
 *
 * It is the brain_sink of one model request.  A text block's event id is
 * allocated when the block starts, so preview subscribers get
 * event_start and event_delta frames carrying the id of the agent.message
 * that completes the block.  Complete blocks become agent.thinking (text
 * and signature kept private), agent.message, agent.tool_use (with the
 * permission the policy gives it) or agent.custom_tool_use; a block cut
 * off by an error or an interrupt emits nothing, and so does a tool_use
 * whose JSON max_tokens left unfinished.  The stop reason and
 * usage are kept for span.model_request_end.
 */
#ifndef PILOTHOUSE_TURN_H
#define PILOTHOUSE_TURN_H

#include <jansson.h>

#include "base/buf.h"
#include "base/rand.h"
#include "harness/brain.h"

struct session;

struct turn {
	struct session		*s;
	json_t			*tools;		/* resolved agent tools */
	const char		*workdir;
	int			 open;		/* a block is open */
	int			 held;		/* a tool_use with cut JSON */
	enum brain_block	 block;
	char			 event_id[RAND_ID_LEN];
	struct buf		 text;		/* text, thinking, tool JSON */
	struct buf		 signature;
	char			*tool_id;
	char			*tool_name;
	json_t			*hints;
	int			 started;	/* START seen */
	int			 stopped;	/* STOP seen */
	enum brain_stop		 stop;
	json_t			*stop_details;
	struct brain_usage	 usage;
};

/* tools is borrowed for the turn's life. */
void	 turn_init(struct turn *, struct session *, json_t *, const char *);
void	 turn_clear(struct turn *);
/* The brain_sink: takes the session lock to emit. */
int	 turn_sink(void *, const struct brain_ev *);

#endif
