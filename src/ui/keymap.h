/*
 * keymap.h -- the one table of key bindings.
 *
 * Every binding lives here once: context, key, action and the text that
 * explains it.  The same table answers key presses, draws the "?" help
 * overlay and the key-hint row, and writes doc/KEYS.md (a test checks
 * that the checked-in file matches; "make keys" rewrites it).  The
 * [keys] section of the config rebinds actions (keymap_bind).
 *
 * A view looks a key up through a chain of contexts, most specific
 * first (the fleet asks FLEET, then LIST, then GLOBAL).  Modal contexts
 * (an approval card, a prompt, a y/N question) have no GLOBAL fallback,
 * so a stray key can never reach a session action behind them.
 */
#ifndef PILOTHOUSE_KEYMAP_H
#define PILOTHOUSE_KEYMAP_H

#include <stddef.h>

#include "base/buf.h"
#include "base/compiler.h"

enum ui_context {
	UI_CTX_GLOBAL,		/* every view that is not text entry */
	UI_CTX_LIST,		/* tables: fleet, approvals, files, audit */
	UI_CTX_FLEET,
	UI_CTX_SESSION,		/* the attach view: one session's timeline */
	UI_CTX_TRANSCRIPT,	/* scrolling text: timeline, diff, payload */
	UI_CTX_GRID,
	UI_CTX_APPROVALS,
	UI_CTX_CARD,		/* the approval card (modal) */
	UI_CTX_CONFIRM,		/* a y/N question (modal) */
	UI_CTX_PROMPT,		/* a line of text entry (modal) */
	UI_CTX_HELP,
	UI_CTX_REPLAY,		/* a session's replay */
	UI_CTX__COUNT
};

enum ui_action {
	UI_ACT_NONE = 0,
	/* global */
	UI_ACT_HELP,
	UI_ACT_QUIT,
	UI_ACT_DETACH,
	UI_ACT_BACK,
	UI_ACT_COMMAND,
	UI_ACT_REPAINT,
	UI_ACT_COPY,
	UI_ACT_REFRESH,
	UI_ACT_ATTENTION,
	UI_ACT_DOWN,
	UI_ACT_UP,
	UI_ACT_PAGE_DOWN,
	UI_ACT_PAGE_UP,
	UI_ACT_HALF_DOWN,
	UI_ACT_HALF_UP,
	UI_ACT_TOP,
	UI_ACT_BOTTOM,
	UI_ACT_NEXT_PANE,
	UI_ACT_PREV_PANE,
	UI_ACT_JUMP,		/* arg: 1-9 */
	/* lists */
	UI_ACT_OPEN,
	UI_ACT_TAG,
	UI_ACT_FILTER,
	UI_ACT_SORT_NEXT,
	UI_ACT_SORT_PREV,
	/* transcripts */
	UI_ACT_SEARCH,
	UI_ACT_SEARCH_NEXT,
	UI_ACT_SEARCH_PREV,
	UI_ACT_FOLLOW,
	UI_ACT_WRAP,
	UI_ACT_TIMESTAMPS,
	UI_ACT_DETAILS,
	UI_ACT_EXPAND,
	UI_ACT_RAW,
	UI_ACT_NEXT_ERROR,
	UI_ACT_PREV_ERROR,
	/* sessions */
	UI_ACT_STEER,
	UI_ACT_INTERRUPT,
	UI_ACT_ESC_INTERRUPT,
	UI_ACT_APPROVE,
	UI_ACT_DENY,
	UI_ACT_DENY_REASON,
	UI_ACT_APPROVE_BATCH,
	UI_ACT_SHOW_DIFF,
	UI_ACT_FILES,
	UI_ACT_CUSTOM_RESULT,
	/* grid */
	UI_ACT_ZOOM,
	UI_ACT_LAYOUT_NEXT,
	UI_ACT_LAYOUT_PREV,
	/* approval card */
	UI_ACT_CARD_ALLOW,
	UI_ACT_CARD_DENY,
	UI_ACT_CARD_DENY_REASON,
	UI_ACT_CARD_DIFF,
	UI_ACT_CARD_DISMISS,
	UI_ACT_CARD_LEFT,
	UI_ACT_CARD_RIGHT,
	UI_ACT_CARD_PRESS,
	/* y/N */
	UI_ACT_YES,
	UI_ACT_NO,
	/* prompt */
	UI_ACT_SUBMIT,
	UI_ACT_CANCEL,
	UI_ACT_COMPLETE,
	UI_ACT_NEWLINE,
	UI_ACT_HISTORY_PREV,
	UI_ACT_HISTORY_NEXT,
	UI_ACT_CHAR_LEFT,
	UI_ACT_CHAR_RIGHT,
	UI_ACT_LINE_START,
	UI_ACT_LINE_END,
	UI_ACT_DELETE_BACK,
	UI_ACT_DELETE_FORWARD,
	UI_ACT_DELETE_WORD,
	UI_ACT_DELETE_LINE,
	/* replay */
	UI_ACT_PLAY,
	UI_ACT_STEP_NEXT,
	UI_ACT_STEP_PREV,
	UI_ACT_SLOWER,
	UI_ACT_FASTER,
	UI_ACT_SPEED_RESET,
	UI_ACT_SEEK_PERCENT,	/* arg: 0-9 (tens of percent) */
	UI_ACT_SEEK_TIME,
	UI_ACT_SKIP_NEXT,
	UI_ACT_SKIP_PREV,
	UI_ACT_MARKER_NEXT,
	UI_ACT_MARKER_PREV,
	UI_ACT_MARKER_TYPES,
	UI_ACT_TURN_NEXT,
	UI_ACT_TURN_PREV,
	UI_ACT_STALL_NEXT,
	UI_ACT_STALL_PREV,
	UI_ACT_MARK,
	UI_ACT_MARK_NEXT,
	UI_ACT_MARK_PREV,
	UI_ACT_ELAPSED,
	UI_ACT_IDLE_CAP,
	UI_ACT__COUNT
};

/* One binding, as the table, the help and doc/KEYS.md see it. */
struct keymap_entry {
	enum ui_context	 ctx;
	int		 key;
	int		 mods;
	enum ui_action	 action;
	int		 arg;		/* UI_ACT_JUMP, UI_ACT_SEEK_PERCENT */
	int		 hint;		/* shown in the key-hint row */
};

struct keymap;

/* The default bindings.  Caller frees with keymap_free. */
struct keymap	*keymap_create(void);
void		 keymap_free(struct keymap *);
/*
 * Rebind: action is "NAME" (every context where NAME is bound) or
 * "CONTEXT.NAME"; keys is a comma list of key names that replaces the
 * default keys.  -1 with *cause naming the bad word.
 */
int		 keymap_bind(struct keymap *, const char *, const char *,
		    char **) AD_WARN_UNUSED;
/* The action for a key through a chain of contexts; UI_ACT_NONE. */
enum ui_action	 keymap_lookup(const struct keymap *, const enum ui_context *,
		    int, int, int, int *);
/* Bindings in table order; NULL past the end.  Borrowed. */
const struct keymap_entry *keymap_entry_at(const struct keymap *, size_t);
/* The first key bound to action in ctx, as a name ("" if none). */
const char	*keymap_key_for(const struct keymap *, enum ui_context,
		    enum ui_action, char *, size_t);
const char	*keymap_context_name(enum ui_context);
const char	*keymap_context_title(enum ui_context);
const char	*keymap_action_name(enum ui_action);
/* A short label for the hint row ("steer"). */
const char	*keymap_action_label(enum ui_action);
/* One sentence for help and doc/KEYS.md. */
const char	*keymap_action_help(enum ui_action);
/* doc/KEYS.md: every context, key and action, as Markdown. */
int		 keymap_markdown(const struct keymap *, struct buf *)
		    AD_WARN_UNUSED;

#endif
