/*
 * scenario.h -- scenario files for the scripted brain (harness.md 4).
 *
 * A scenario is plain JSON: the responses a scripted model gives, turn by
 * turn, with tool calls that really run in the sandbox and branches on
 * what they return.  Loading validates everything once (unknown keys,
 * missing inputs, unknown labels, bad regular expressions) and reports
 * "file:line: where: what"; $file references, line arrays and labels are
 * resolved then.  A loaded scenario is immutable and reference counted,
 * so every session using it shares one copy.
 *
 * A scenario set is the ordered list of directories scenarios are looked
 * up in ("NAME" is DIR/NAME.json in the first directory that has it),
 * with a cache that reloads a file when it changes.
 */
#ifndef PILOTHOUSE_SCENARIO_H
#define PILOTHOUSE_SCENARIO_H

#include <regex.h>
#include <stddef.h>

#include <jansson.h>

#include "base/compiler.h"

enum scenario_block_kind {
	SCENARIO_TEXT,
	SCENARIO_THINKING,
	SCENARIO_TOOL,
	SCENARIO_CUSTOM_TOOL,
	SCENARIO_PAUSE
};

struct scenario_pace {
	int	latency_ms;	/* before the first delta */
	int	cps;		/* characters per second */
	int	chunk;		/* characters per delta */
	double	jitter;		/* +- fraction of each delay */
	int	fast;		/* zero every delay */
};

struct scenario_block {
	enum scenario_block_kind kind;
	char		*text;		/* text, thinking, custom auto_result */
	char		*name;		/* tool name */
	json_t		*input;		/* tool input */
	char		*id;		/* fixed model tool id, or NULL */
	/* {expect, auto, after_ms, deny_message} */
	json_t		*confirm;
	/* expect: checked against the real tool result */
	int		 has_expect;
	int		 expect_is_error;	/* -1: not checked */
	char		*expect_contains;
	int		 has_expect_matches;
	regex_t		 expect_matches;
	int		 on_deny;	/* response index, or -1 */
	int		 on_error;
	int		 on_mismatch;
	int		 pause_ms;
};

struct scenario_fail {
	char	*type;		/* "model_overloaded_error"... */
	char	*message;
	int	 times;		/* fail while attempt < times */
	int	 after_chars;
	int	 retry_after_ms;	/* -1: the harness backoff */
};

struct scenario_response {
	char			*label;
	struct scenario_block	*blocks;
	size_t			 nblocks;
	/* end_turn, tool_use, max_tokens or refusal */
	char			*stop;
	json_t			*refusal;	/* {category, explanation} */
	int			 next;		/* index; -1: the following */
	json_t			*usage;		/* or NULL: estimated */
	struct scenario_fail	*fail;		/* or NULL */
	struct scenario_pace	 pace;
};

struct scenario_turn {
	char			*user;		/* the demo driver's prompt */
	int			 has_match;
	regex_t			 match;
	struct scenario_response *responses;
	size_t			 nresponses;
};

struct scenario {
	int			 refs;		/* scenario_unref */
	char			*name;
	char			*path;		/* the file */
	char			*dir;		/* its directory */
	char			*description;
	json_t			*agent;		/* or NULL */
	/* workspace seeding */
	char			*copy;		/* absolute dir, or NULL */
	json_t			*files;		/* {"rel/path": "text"} */
	json_t			*setup;		/* ["cmd", ...] */
	int			 strict;
	struct scenario_turn	*turns;
	size_t			 nturns;
};

struct scenario_set;

/* Load and validate one file; NULL with *cause ("file:line: ...").
 * Returns a new reference. */
struct scenario		*scenario_load(const char *, char **);
/* The same from text already read (path names it in messages, and its
 * directory resolves relative references). */
struct scenario		*scenario_load_mem(const char *, const char *, size_t,
			    char **);
void			 scenario_ref(struct scenario *);
void			 scenario_unref(struct scenario *);

/* Directories in lookup order (NULLs skipped).  Caller frees with
 * scenario_set_free. */
struct scenario_set	*scenario_set_create(const char *const *, size_t);
void			 scenario_set_free(struct scenario_set *);
/* Find NAME; NULL with *cause.  Thread safe.  Returns a new reference. */
struct scenario		*scenario_set_get(struct scenario_set *, const char *,
			    char **);
/* Resolve a manifest's "scenarios/x.json"-style reference or bare name
 * to a scenario name ("x").  Caller frees. */
char			*scenario_name_from_ref(const char *);
/* The directory a file of this set would be found in, for NAME.json; the
 * first directory that has it, or NULL.  Caller frees. */
char			*scenario_set_find(struct scenario_set *, const char *);

#endif
