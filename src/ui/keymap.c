/* ISC licence: see COPYING.  The keymap table, lookups and its docs. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/compiler.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "ui/key.h"
#include "ui/keymap.h"

#define H	1	/* the binding appears in the key-hint row */

static const struct {
	const char	*name;
	const char	*title;
} keymap_contexts[UI_CTX__COUNT] = {
	[UI_CTX_GLOBAL] = { "global", "Everywhere except text entry" },
	[UI_CTX_LIST] = { "list",
	    "Lists (fleet, approvals, files, audit)" },
	[UI_CTX_FLEET] = { "fleet", "Fleet: the session table" },
	[UI_CTX_SESSION] = { "session",
	    "Session: one session's timeline (attach view)" },
	[UI_CTX_TRANSCRIPT] = { "transcript",
	    "Transcripts: timelines, diffs and payloads" },
	[UI_CTX_GRID] = { "grid", "Grid: 2, 4, 6 or 9 live sessions" },
	[UI_CTX_APPROVALS] = { "approvals",
	    "Approvals: every pending tool call, oldest first" },
	[UI_CTX_CARD] = { "card",
	    "Approval card (Esc leaves the call pending)" },
	[UI_CTX_CONFIRM] = { "confirm", "A y/N question" },
	[UI_CTX_PROMPT] = { "prompt",
	    "Text entry: the composer, : commands and / filters" },
	[UI_CTX_HELP] = { "help", "This help" },
	[UI_CTX_REPLAY] = { "replay",
	    "Replay: a session from the cache, in session time" },
};

static const struct {
	const char	*name;
	const char	*label;
	const char	*help;
} keymap_actions[UI_ACT__COUNT] = {
	[UI_ACT_HELP] = { "help", "help",
	    "Show this help, grouped by context (/ filters it)" },
	[UI_ACT_QUIT] = { "quit", "quit",
	    "Go back; in the top view quit (asks first if a draft or tags "
	    "are pending)" },
	[UI_ACT_DETACH] = { "detach", "detach",
	    "Leave the console at once; agents keep running, nothing is "
	    "interrupted" },
	[UI_ACT_BACK] = { "back", "back",
	    "Go back, close the overlay or clear the filter (never "
	    "destructive)" },
	[UI_ACT_COMMAND] = { "command", "command",
	    "Command mode with completion (:sessions :approvals :grid "
	    ":open :replay :new :theme :audit :sql :q)" },
	[UI_ACT_COPY] = { "copy", "copy",
	    "Copy the selected id or file path (OSC 52 with [ui] "
	    "clipboard = osc52)" },
	[UI_ACT_REPAINT] = { "repaint", "repaint",
	    "Repaint the whole screen" },
	[UI_ACT_REFRESH] = { "refresh", "refresh",
	    "Fetch the sessions and events again from the API" },
	[UI_ACT_ATTENTION] = { "attention", "attention",
	    "Jump to the next session needing attention (approval, then "
	    "stalled, then error) and focus its pending call" },
	[UI_ACT_DOWN] = { "down", "down", "Move down" },
	[UI_ACT_UP] = { "up", "up", "Move up" },
	[UI_ACT_PAGE_DOWN] = { "page-down", "page", "Page down" },
	[UI_ACT_PAGE_UP] = { "page-up", "page up", "Page up" },
	[UI_ACT_HALF_DOWN] = { "half-down", "half", "Half a page down" },
	[UI_ACT_HALF_UP] = { "half-up", "half up", "Half a page up" },
	[UI_ACT_TOP] = { "top", "top", "Go to the top" },
	[UI_ACT_BOTTOM] = { "bottom", "bottom",
	    "Go to the bottom; in a live transcript, resume following" },
	[UI_ACT_NEXT_PANE] = { "next-pane", "pane", "Next pane" },
	[UI_ACT_PREV_PANE] = { "prev-pane", "pane", "Previous pane" },
	[UI_ACT_JUMP] = { "jump", "jump", "Jump to pane or session N" },
	[UI_ACT_OPEN] = { "open", "open",
	    "Open the selected item (attach to a session)" },
	[UI_ACT_TAG] = { "tag", "tag",
	    "Tag or untag the selected item (for batch actions)" },
	[UI_ACT_FILTER] = { "filter", "filter",
	    "Filter the list (text or regex; ! inverts; @waiting #idle "
	    "%stalled ^error)" },
	[UI_ACT_SORT_NEXT] = { "sort-next", "sort",
	    "Sort by the next column (again: reverse)" },
	[UI_ACT_SORT_PREV] = { "sort-prev", "sort",
	    "Sort by the previous column" },
	[UI_ACT_SEARCH] = { "search", "search",
	    "Search the transcript; matches are highlighted in place" },
	[UI_ACT_SEARCH_NEXT] = { "search-next", "next", "Next search hit" },
	[UI_ACT_SEARCH_PREV] = { "search-prev", "prev",
	    "Previous search hit" },
	[UI_ACT_FOLLOW] = { "follow", "follow",
	    "Toggle follow (scrolling up pauses it)" },
	[UI_ACT_WRAP] = { "wrap", "wrap", "Toggle line wrapping" },
	[UI_ACT_TIMESTAMPS] = { "timestamps", "times",
	    "Toggle timestamps" },
	[UI_ACT_DETAILS] = { "details", "details",
	    "Expand or collapse the selected tool call (input and result)" },
	[UI_ACT_EXPAND] = { "expand", "expand",
	    "Expand or collapse every tool call and status event" },
	[UI_ACT_RAW] = { "raw", "json",
	    "Show or hide the raw JSON of the selected event" },
	[UI_ACT_NEXT_ERROR] = { "next-error", "error",
	    "Next error (session.error or a failed tool call)" },
	[UI_ACT_PREV_ERROR] = { "prev-error", "error", "Previous error" },
	[UI_ACT_STEER] = { "steer", "steer",
	    "Steer: write a message (Enter sends user.message)" },
	[UI_ACT_INTERRUPT] = { "interrupt", "interrupt",
	    "Interrupt the session (asks y/N; counts tagged sessions)" },
	[UI_ACT_ESC_INTERRUPT] = { "esc-interrupt", "interrupt",
	    "Interrupt the running turn (as in ant connect); when idle, "
	    "go back" },
	[UI_ACT_APPROVE] = { "approve", "approve",
	    "Approve the focused pending tool call" },
	[UI_ACT_DENY] = { "deny", "deny",
	    "Deny the focused pending tool call" },
	[UI_ACT_DENY_REASON] = { "deny-reason", "deny+why",
	    "Deny with a reason that the agent is told" },
	[UI_ACT_APPROVE_BATCH] = { "approve-tagged", "approve tagged",
	    "Approve every tagged call (shows the count and tools first)" },
	[UI_ACT_SHOW_DIFF] = { "show", "show",
	    "Show the full diff or payload of the pending call" },
	[UI_ACT_FILES] = { "files", "files",
	    "Files touched in the session, with their net diff" },
	[UI_ACT_CUSTOM_RESULT] = { "custom-result", "answer",
	    "Answer the pending custom tool call (sends "
	    "user.custom_tool_result)" },
	[UI_ACT_ZOOM] = { "zoom", "zoom", "Zoom or unzoom the focused pane" },
	[UI_ACT_LAYOUT_NEXT] = { "layout-next", "layout",
	    "More panes (2, 4, 6, 9)" },
	[UI_ACT_LAYOUT_PREV] = { "layout-prev", "layout", "Fewer panes" },
	[UI_ACT_CARD_ALLOW] = { "allow", "allow", "Allow the tool call" },
	[UI_ACT_CARD_DENY] = { "deny", "deny", "Deny the tool call" },
	[UI_ACT_CARD_DENY_REASON] = { "deny-reason", "deny+why",
	    "Deny and tell the agent why" },
	[UI_ACT_CARD_DIFF] = { "show", "show",
	    "Show the full payload or diff" },
	[UI_ACT_CARD_DISMISS] = { "dismiss", "later",
	    "Close the card; the call stays pending" },
	[UI_ACT_CARD_LEFT] = { "button-left", "buttons",
	    "Focus the button on the left" },
	[UI_ACT_CARD_RIGHT] = { "button-right", "buttons",
	    "Focus the button on the right" },
	[UI_ACT_CARD_PRESS] = { "press", "press",
	    "Press the focused button (none is focused at first)" },
	[UI_ACT_YES] = { "yes", "yes", "Yes" },
	[UI_ACT_NO] = { "no", "no", "No (the default)" },
	[UI_ACT_SUBMIT] = { "submit", "send", "Send or run what was typed" },
	[UI_ACT_CANCEL] = { "cancel", "cancel",
	    "Cancel (a steer draft is kept for next time)" },
	[UI_ACT_COMPLETE] = { "complete", "complete",
	    "Complete the command, theme or session id" },
	[UI_ACT_NEWLINE] = { "newline", "newline",
	    "Insert a line break (composer)" },
	[UI_ACT_HISTORY_PREV] = { "history-prev", "history",
	    "Previous entry in the history" },
	[UI_ACT_HISTORY_NEXT] = { "history-next", "history",
	    "Next entry in the history" },
	[UI_ACT_CHAR_LEFT] = { "left", "left", "Cursor left" },
	[UI_ACT_CHAR_RIGHT] = { "right", "right", "Cursor right" },
	[UI_ACT_LINE_START] = { "line-start", "start", "Start of the line" },
	[UI_ACT_LINE_END] = { "line-end", "end", "End of the line" },
	[UI_ACT_DELETE_BACK] = { "delete-back", "delete",
	    "Delete the character before the cursor" },
	[UI_ACT_DELETE_FORWARD] = { "delete-forward", "delete",
	    "Delete the character under the cursor" },
	[UI_ACT_DELETE_WORD] = { "delete-word", "delete word",
	    "Delete the word before the cursor" },
	[UI_ACT_DELETE_LINE] = { "delete-line", "clear",
	    "Delete everything before the cursor" },
	[UI_ACT_PLAY] = { "play", "play", "Play or pause the replay" },
	[UI_ACT_STEP_NEXT] = { "step-next", "step",
	    "Step forward one event" },
	[UI_ACT_STEP_PREV] = { "step-prev", "back",
	    "Step back one event" },
	[UI_ACT_SLOWER] = { "slower", "slower",
	    "Play slower (down to 0.25x)" },
	[UI_ACT_FASTER] = { "faster", "faster",
	    "Play faster (up to 64x, then as fast as possible)" },
	[UI_ACT_SPEED_RESET] = { "speed-reset", "1x",
	    "Play at 1x (session time)" },
	[UI_ACT_SEEK_PERCENT] = { "seek-percent", "seek",
	    "Seek to 0-90 % of the session's events" },
	[UI_ACT_SEEK_TIME] = { "seek-time", "seek time",
	    "Seek to a time (HH:MM:SS, or an RFC 3339 timestamp)" },
	[UI_ACT_SKIP_NEXT] = { "skip-next", "+10s",
	    "Skip 10 s of session time forward" },
	[UI_ACT_SKIP_PREV] = { "skip-prev", "-10s",
	    "Skip 10 s of session time back" },
	[UI_ACT_MARKER_NEXT] = { "marker-next", "marker",
	    "Next marker of the chosen types" },
	[UI_ACT_MARKER_PREV] = { "marker-prev", "marker",
	    "Previous marker of the chosen types" },
	[UI_ACT_MARKER_TYPES] = { "marker-types", "markers",
	    "Choose the marker types (tool call, approval, denial, error, "
	    "user message, file edit, compaction, thread spawn)" },
	[UI_ACT_TURN_NEXT] = { "turn-next", "turn",
	    "Next user turn" },
	[UI_ACT_TURN_PREV] = { "turn-prev", "turn",
	    "Previous user turn" },
	[UI_ACT_STALL_NEXT] = { "stall-next", "stall",
	    "Next stall (a gap longer than the stall threshold)" },
	[UI_ACT_STALL_PREV] = { "stall-prev", "stall",
	    "Previous stall" },
	[UI_ACT_MARK] = { "mark", "mark",
	    "Bookmark the playhead (again: remove the bookmark)" },
	[UI_ACT_MARK_NEXT] = { "mark-next", "next mark",
	    "Next bookmark" },
	[UI_ACT_MARK_PREV] = { "mark-prev", "prev mark",
	    "Previous bookmark" },
	[UI_ACT_ELAPSED] = { "elapsed", "elapsed",
	    "Session time elapsed from the last bookmark to the playhead" },
	[UI_ACT_IDLE_CAP] = { "idle-cap", "idle",
	    "Cycle idle-time compression: off, 2 s, 5 s" },
};

/*
 * The default bindings (console.md 4.2), in the order help shows them.
 * Chords tmux or vim-tmux-navigator use (C-a, C-b, C-h/j/k/l) are left
 * alone, C-d and C-u only ever move, and no critical action is on Alt.
 */
static const struct {
	enum ui_context	 ctx;
	const char	*key;
	enum ui_action	 action;
	int		 arg;
	int		 hint;
} keymap_defaults[] = {
	{ UI_CTX_GLOBAL, "?", UI_ACT_HELP, 0, H },
	{ UI_CTX_GLOBAL, "F1", UI_ACT_HELP, 0, 0 },
	{ UI_CTX_GLOBAL, "q", UI_ACT_QUIT, 0, H },
	{ UI_CTX_GLOBAL, "C-c", UI_ACT_DETACH, 0, 0 },
	{ UI_CTX_GLOBAL, "Escape", UI_ACT_BACK, 0, 0 },
	{ UI_CTX_GLOBAL, ":", UI_ACT_COMMAND, 0, H },
	{ UI_CTX_GLOBAL, "C-l", UI_ACT_REPAINT, 0, 0 },
	{ UI_CTX_GLOBAL, "R", UI_ACT_REFRESH, 0, 0 },
	{ UI_CTX_GLOBAL, "y", UI_ACT_COPY, 0, 0 },
	{ UI_CTX_GLOBAL, "!", UI_ACT_ATTENTION, 0, H },
	{ UI_CTX_GLOBAL, "j", UI_ACT_DOWN, 0, 0 },
	{ UI_CTX_GLOBAL, "Down", UI_ACT_DOWN, 0, 0 },
	{ UI_CTX_GLOBAL, "k", UI_ACT_UP, 0, 0 },
	{ UI_CTX_GLOBAL, "Up", UI_ACT_UP, 0, 0 },
	{ UI_CTX_GLOBAL, "PgDn", UI_ACT_PAGE_DOWN, 0, 0 },
	{ UI_CTX_GLOBAL, "PgUp", UI_ACT_PAGE_UP, 0, 0 },
	{ UI_CTX_GLOBAL, "b", UI_ACT_PAGE_UP, 0, 0 },
	{ UI_CTX_GLOBAL, "C-d", UI_ACT_HALF_DOWN, 0, 0 },
	{ UI_CTX_GLOBAL, "C-u", UI_ACT_HALF_UP, 0, 0 },
	{ UI_CTX_GLOBAL, "g", UI_ACT_TOP, 0, 0 },
	{ UI_CTX_GLOBAL, "Home", UI_ACT_TOP, 0, 0 },
	{ UI_CTX_GLOBAL, "G", UI_ACT_BOTTOM, 0, 0 },
	{ UI_CTX_GLOBAL, "End", UI_ACT_BOTTOM, 0, 0 },
	{ UI_CTX_GLOBAL, "Tab", UI_ACT_NEXT_PANE, 0, 0 },
	{ UI_CTX_GLOBAL, "S-Tab", UI_ACT_PREV_PANE, 0, 0 },
	{ UI_CTX_GLOBAL, "1", UI_ACT_JUMP, 1, 0 },
	{ UI_CTX_GLOBAL, "2", UI_ACT_JUMP, 2, 0 },
	{ UI_CTX_GLOBAL, "3", UI_ACT_JUMP, 3, 0 },
	{ UI_CTX_GLOBAL, "4", UI_ACT_JUMP, 4, 0 },
	{ UI_CTX_GLOBAL, "5", UI_ACT_JUMP, 5, 0 },
	{ UI_CTX_GLOBAL, "6", UI_ACT_JUMP, 6, 0 },
	{ UI_CTX_GLOBAL, "7", UI_ACT_JUMP, 7, 0 },
	{ UI_CTX_GLOBAL, "8", UI_ACT_JUMP, 8, 0 },
	{ UI_CTX_GLOBAL, "9", UI_ACT_JUMP, 9, 0 },

	{ UI_CTX_LIST, "Enter", UI_ACT_OPEN, 0, H },
	{ UI_CTX_LIST, "Space", UI_ACT_TAG, 0, 0 },
	{ UI_CTX_LIST, "/", UI_ACT_FILTER, 0, H },

	{ UI_CTX_FLEET, "s", UI_ACT_STEER, 0, H },
	{ UI_CTX_FLEET, "i", UI_ACT_INTERRUPT, 0, H },
	{ UI_CTX_FLEET, "a", UI_ACT_APPROVE, 0, H },
	{ UI_CTX_FLEET, "x", UI_ACT_DENY, 0, 0 },
	{ UI_CTX_FLEET, "X", UI_ACT_DENY_REASON, 0, 0 },
	{ UI_CTX_FLEET, "c", UI_ACT_CUSTOM_RESULT, 0, 0 },
	{ UI_CTX_FLEET, "d", UI_ACT_SHOW_DIFF, 0, 0 },
	{ UI_CTX_FLEET, "f", UI_ACT_FILES, 0, 0 },
	{ UI_CTX_FLEET, ">", UI_ACT_SORT_NEXT, 0, 0 },
	{ UI_CTX_FLEET, "<", UI_ACT_SORT_PREV, 0, 0 },

	{ UI_CTX_SESSION, "Escape", UI_ACT_ESC_INTERRUPT, 0, H },
	{ UI_CTX_SESSION, "s", UI_ACT_STEER, 0, H },
	{ UI_CTX_SESSION, "i", UI_ACT_INTERRUPT, 0, 0 },
	{ UI_CTX_SESSION, "a", UI_ACT_APPROVE, 0, H },
	{ UI_CTX_SESSION, "x", UI_ACT_DENY, 0, 0 },
	{ UI_CTX_SESSION, "X", UI_ACT_DENY_REASON, 0, 0 },
	{ UI_CTX_SESSION, "c", UI_ACT_CUSTOM_RESULT, 0, 0 },
	{ UI_CTX_SESSION, "d", UI_ACT_SHOW_DIFF, 0, 0 },
	{ UI_CTX_SESSION, "f", UI_ACT_FILES, 0, 0 },

	{ UI_CTX_TRANSCRIPT, "/", UI_ACT_SEARCH, 0, H },
	{ UI_CTX_TRANSCRIPT, "n", UI_ACT_SEARCH_NEXT, 0, 0 },
	{ UI_CTX_TRANSCRIPT, "N", UI_ACT_SEARCH_PREV, 0, 0 },
	{ UI_CTX_TRANSCRIPT, "Space", UI_ACT_PAGE_DOWN, 0, 0 },
	{ UI_CTX_TRANSCRIPT, "F", UI_ACT_FOLLOW, 0, 0 },
	{ UI_CTX_TRANSCRIPT, "w", UI_ACT_WRAP, 0, 0 },
	{ UI_CTX_TRANSCRIPT, "t", UI_ACT_TIMESTAMPS, 0, 0 },
	{ UI_CTX_TRANSCRIPT, "C-o", UI_ACT_DETAILS, 0, H },
	{ UI_CTX_TRANSCRIPT, "Enter", UI_ACT_DETAILS, 0, 0 },
	{ UI_CTX_TRANSCRIPT, "o", UI_ACT_EXPAND, 0, 0 },
	{ UI_CTX_TRANSCRIPT, "J", UI_ACT_RAW, 0, 0 },
	{ UI_CTX_TRANSCRIPT, "e", UI_ACT_NEXT_ERROR, 0, 0 },
	{ UI_CTX_TRANSCRIPT, "E", UI_ACT_PREV_ERROR, 0, 0 },

	{ UI_CTX_GRID, "z", UI_ACT_ZOOM, 0, H },
	{ UI_CTX_GRID, "+", UI_ACT_LAYOUT_NEXT, 0, H },
	{ UI_CTX_GRID, "_", UI_ACT_LAYOUT_PREV, 0, 0 },
	{ UI_CTX_GRID, "l", UI_ACT_NEXT_PANE, 0, 0 },
	{ UI_CTX_GRID, "Right", UI_ACT_NEXT_PANE, 0, 0 },
	{ UI_CTX_GRID, "h", UI_ACT_PREV_PANE, 0, 0 },
	{ UI_CTX_GRID, "Left", UI_ACT_PREV_PANE, 0, 0 },
	{ UI_CTX_GRID, "Enter", UI_ACT_OPEN, 0, H },
	{ UI_CTX_GRID, "s", UI_ACT_STEER, 0, 0 },
	{ UI_CTX_GRID, "i", UI_ACT_INTERRUPT, 0, 0 },
	{ UI_CTX_GRID, "a", UI_ACT_APPROVE, 0, 0 },
	{ UI_CTX_GRID, "x", UI_ACT_DENY, 0, 0 },
	{ UI_CTX_GRID, "X", UI_ACT_DENY_REASON, 0, 0 },

	{ UI_CTX_APPROVALS, "a", UI_ACT_APPROVE, 0, H },
	{ UI_CTX_APPROVALS, "x", UI_ACT_DENY, 0, H },
	{ UI_CTX_APPROVALS, "X", UI_ACT_DENY_REASON, 0, H },
	{ UI_CTX_APPROVALS, "A", UI_ACT_APPROVE_BATCH, 0, H },
	{ UI_CTX_APPROVALS, "d", UI_ACT_SHOW_DIFF, 0, 0 },

	{ UI_CTX_CARD, "y", UI_ACT_CARD_ALLOW, 0, H },
	{ UI_CTX_CARD, "n", UI_ACT_CARD_DENY, 0, H },
	{ UI_CTX_CARD, "N", UI_ACT_CARD_DENY_REASON, 0, H },
	{ UI_CTX_CARD, "Tab", UI_ACT_CARD_DENY_REASON, 0, 0 },
	{ UI_CTX_CARD, "d", UI_ACT_CARD_DIFF, 0, 0 },
	{ UI_CTX_CARD, "Escape", UI_ACT_CARD_DISMISS, 0, H },
	{ UI_CTX_CARD, "Left", UI_ACT_CARD_LEFT, 0, 0 },
	{ UI_CTX_CARD, "Right", UI_ACT_CARD_RIGHT, 0, 0 },
	{ UI_CTX_CARD, "Enter", UI_ACT_CARD_PRESS, 0, 0 },
	{ UI_CTX_CARD, "j", UI_ACT_DOWN, 0, 0 },
	{ UI_CTX_CARD, "Down", UI_ACT_DOWN, 0, 0 },
	{ UI_CTX_CARD, "k", UI_ACT_UP, 0, 0 },
	{ UI_CTX_CARD, "Up", UI_ACT_UP, 0, 0 },
	{ UI_CTX_CARD, "C-c", UI_ACT_DETACH, 0, 0 },

	{ UI_CTX_CONFIRM, "y", UI_ACT_YES, 0, H },
	{ UI_CTX_CONFIRM, "n", UI_ACT_NO, 0, H },
	{ UI_CTX_CONFIRM, "Enter", UI_ACT_NO, 0, 0 },
	{ UI_CTX_CONFIRM, "Escape", UI_ACT_NO, 0, 0 },
	{ UI_CTX_CONFIRM, "C-c", UI_ACT_DETACH, 0, 0 },

	{ UI_CTX_PROMPT, "Enter", UI_ACT_SUBMIT, 0, H },
	{ UI_CTX_PROMPT, "Escape", UI_ACT_CANCEL, 0, H },
	{ UI_CTX_PROMPT, "Tab", UI_ACT_COMPLETE, 0, H },
	{ UI_CTX_PROMPT, "C-j", UI_ACT_NEWLINE, 0, 0 },
	{ UI_CTX_PROMPT, "M-Enter", UI_ACT_NEWLINE, 0, 0 },
	{ UI_CTX_PROMPT, "Up", UI_ACT_HISTORY_PREV, 0, 0 },
	{ UI_CTX_PROMPT, "Down", UI_ACT_HISTORY_NEXT, 0, 0 },
	{ UI_CTX_PROMPT, "Left", UI_ACT_CHAR_LEFT, 0, 0 },
	{ UI_CTX_PROMPT, "Right", UI_ACT_CHAR_RIGHT, 0, 0 },
	{ UI_CTX_PROMPT, "Home", UI_ACT_LINE_START, 0, 0 },
	{ UI_CTX_PROMPT, "C-e", UI_ACT_LINE_END, 0, 0 },
	{ UI_CTX_PROMPT, "End", UI_ACT_LINE_END, 0, 0 },
	{ UI_CTX_PROMPT, "Backspace", UI_ACT_DELETE_BACK, 0, 0 },
	{ UI_CTX_PROMPT, "Delete", UI_ACT_DELETE_FORWARD, 0, 0 },
	{ UI_CTX_PROMPT, "C-w", UI_ACT_DELETE_WORD, 0, 0 },
	{ UI_CTX_PROMPT, "C-u", UI_ACT_DELETE_LINE, 0, 0 },
	{ UI_CTX_PROMPT, "C-c", UI_ACT_DETACH, 0, 0 },

	{ UI_CTX_HELP, "Escape", UI_ACT_BACK, 0, H },
	{ UI_CTX_HELP, "q", UI_ACT_BACK, 0, 0 },
	{ UI_CTX_HELP, "?", UI_ACT_BACK, 0, 0 },
	{ UI_CTX_HELP, "/", UI_ACT_FILTER, 0, H },

	{ UI_CTX_REPLAY, "Space", UI_ACT_PLAY, 0, H },
	{ UI_CTX_REPLAY, ".", UI_ACT_STEP_NEXT, 0, H },
	{ UI_CTX_REPLAY, "Right", UI_ACT_STEP_NEXT, 0, 0 },
	{ UI_CTX_REPLAY, ",", UI_ACT_STEP_PREV, 0, H },
	{ UI_CTX_REPLAY, "Left", UI_ACT_STEP_PREV, 0, 0 },
	{ UI_CTX_REPLAY, "S-Right", UI_ACT_SKIP_NEXT, 0, 0 },
	{ UI_CTX_REPLAY, "S-Left", UI_ACT_SKIP_PREV, 0, 0 },
	{ UI_CTX_REPLAY, "<", UI_ACT_SLOWER, 0, 0 },
	{ UI_CTX_REPLAY, ">", UI_ACT_FASTER, 0, 0 },
	{ UI_CTX_REPLAY, "=", UI_ACT_SPEED_RESET, 0, 0 },
	{ UI_CTX_REPLAY, "0", UI_ACT_SEEK_PERCENT, 0, 0 },
	{ UI_CTX_REPLAY, "1", UI_ACT_SEEK_PERCENT, 1, 0 },
	{ UI_CTX_REPLAY, "2", UI_ACT_SEEK_PERCENT, 2, 0 },
	{ UI_CTX_REPLAY, "3", UI_ACT_SEEK_PERCENT, 3, 0 },
	{ UI_CTX_REPLAY, "4", UI_ACT_SEEK_PERCENT, 4, 0 },
	{ UI_CTX_REPLAY, "5", UI_ACT_SEEK_PERCENT, 5, 0 },
	{ UI_CTX_REPLAY, "6", UI_ACT_SEEK_PERCENT, 6, 0 },
	{ UI_CTX_REPLAY, "7", UI_ACT_SEEK_PERCENT, 7, 0 },
	{ UI_CTX_REPLAY, "8", UI_ACT_SEEK_PERCENT, 8, 0 },
	{ UI_CTX_REPLAY, "9", UI_ACT_SEEK_PERCENT, 9, 0 },
	{ UI_CTX_REPLAY, "@", UI_ACT_SEEK_TIME, 0, 0 },
	{ UI_CTX_REPLAY, "]", UI_ACT_MARKER_NEXT, 0, H },
	{ UI_CTX_REPLAY, "[", UI_ACT_MARKER_PREV, 0, 0 },
	{ UI_CTX_REPLAY, "M", UI_ACT_MARKER_TYPES, 0, 0 },
	{ UI_CTX_REPLAY, "}", UI_ACT_TURN_NEXT, 0, 0 },
	{ UI_CTX_REPLAY, "{", UI_ACT_TURN_PREV, 0, 0 },
	{ UI_CTX_REPLAY, "s", UI_ACT_STALL_NEXT, 0, 0 },
	{ UI_CTX_REPLAY, "S", UI_ACT_STALL_PREV, 0, 0 },
	{ UI_CTX_REPLAY, "m", UI_ACT_MARK, 0, 0 },
	{ UI_CTX_REPLAY, "u", UI_ACT_MARK_NEXT, 0, 0 },
	{ UI_CTX_REPLAY, "U", UI_ACT_MARK_PREV, 0, 0 },
	{ UI_CTX_REPLAY, "T", UI_ACT_ELAPSED, 0, 0 },
	{ UI_CTX_REPLAY, "I", UI_ACT_IDLE_CAP, 0, 0 },
};

struct keymap {
	struct keymap_entry	*v;
	size_t			 n;
};

/* The default bindings, parsed. */
struct keymap *
keymap_create(void)
{
	struct keymap	*km;
	char		*cause = NULL;
	int		 key, mods;

	km = xcalloc(1, sizeof *km);
	km->v = xreallocarray(NULL, AD_NITEMS(keymap_defaults),
	    sizeof *km->v);
	for (size_t i = 0; i < AD_NITEMS(keymap_defaults); i++) {
		if (ui_key_parse(keymap_defaults[i].key, &key, &mods,
		    &cause) != 0)
			fatalx("keymap table: %s", cause);
		km->v[km->n].ctx = keymap_defaults[i].ctx;
		km->v[km->n].key = key;
		km->v[km->n].mods = mods;
		km->v[km->n].action = keymap_defaults[i].action;
		km->v[km->n].arg = keymap_defaults[i].arg;
		km->v[km->n].hint = keymap_defaults[i].hint;
		km->n++;
	}
	return km;
}

/* Free a keymap; NULL does nothing. */
void
keymap_free(struct keymap *km)
{
	if (km == NULL)
		return;
	free(km->v);
	free(km);
}

/* The context called name, or -1. */
static int
keymap_find_context(const char *name, size_t len)
{
	for (int i = 0; i < UI_CTX__COUNT; i++)
		if (strlen(keymap_contexts[i].name) == len &&
		    strncmp(keymap_contexts[i].name, name, len) == 0)
			return i;
	return -1;
}

/* Was action bound in ctx by the defaults? */
static int
keymap_default_has(enum ui_context ctx, enum ui_action action)
{
	for (size_t i = 0; i < AD_NITEMS(keymap_defaults); i++)
		if (keymap_defaults[i].ctx == ctx &&
		    keymap_defaults[i].action == action)
			return 1;
	return 0;
}

/* Drop entry i. */
static void
keymap_remove(struct keymap *km, size_t i)
{
	memmove(&km->v[i], &km->v[i + 1], (km->n - i - 1) * sizeof *km->v);
	km->n--;
}

/* Is entry e bound to one of the keys? */
static int
keymap_clashes(const struct keymap_entry *e, const int *keys, const int *mods,
    size_t nkeys)
{
	for (size_t k = 0; k < nkeys; k++)
		if (e->key == keys[k] && e->mods == mods[k])
			return 1;
	return 0;
}

/*
 * Replace the keys of action in ctx with keys (already parsed); a key
 * taken from another action of the same context leaves that action.
 */
static void
keymap_rebind(struct keymap *km, enum ui_context ctx, enum ui_action action,
    const int *keys, const int *mods, size_t nkeys)
{
	size_t	first = km->n;
	int	hint = 0, seen = 0;

	for (size_t i = 0; i < km->n; ) {
		if (km->v[i].ctx != ctx || (km->v[i].action != action &&
		    !keymap_clashes(&km->v[i], keys, mods, nkeys))) {
			i++;
			continue;
		}
		if (km->v[i].action == action) {
			hint |= km->v[i].hint;
			if (!seen)
				first = i;
			seen = 1;
		} else if (i < first)
			first--;
		keymap_remove(km, i);
	}
	if (first > km->n)
		first = km->n;
	km->v = xreallocarray(km->v, km->n + nkeys, sizeof *km->v);
	memmove(&km->v[first + nkeys], &km->v[first],
	    (km->n - first) * sizeof *km->v);
	for (size_t k = 0; k < nkeys; k++) {
		km->v[first + k].ctx = ctx;
		km->v[first + k].key = keys[k];
		km->v[first + k].mods = mods[k];
		km->v[first + k].action = action;
		km->v[first + k].arg = 0;
		km->v[first + k].hint = k == 0 ? hint : 0;
	}
	km->n += nkeys;
}

/* Rebind an action from the config. */
int
keymap_bind(struct keymap *km, const char *spec, const char *keylist,
    char **cause)
{
	const char	*dot, *name = spec;
	char		**words;
	size_t		 nkeys;
	int		*keys, *mods, ctx = -1, action = -1, found = 0, rv = -1;

	if ((dot = strchr(spec, '.')) != NULL) {
		if ((ctx = keymap_find_context(spec, (size_t)(dot - spec))) <
		    0) {
			xasprintf(cause, "keys: unknown context in \"%s\"",
			    spec);
			return -1;
		}
		name = dot + 1;
	}
	for (int a = 1; a < UI_ACT__COUNT; a++) {
		if (strcmp(keymap_actions[a].name, name) != 0)
			continue;
		if (ctx >= 0 && !keymap_default_has(ctx, a))
			continue;
		if (ctx < 0) {
			for (int c = 0; c < UI_CTX__COUNT; c++)
				if (keymap_default_has(c, a))
					found = 1;
			if (!found)
				continue;
		}
		action = a;
		break;
	}
	if (action < 0) {
		xasprintf(cause, "keys: unknown action \"%s\" (doc/KEYS.md "
		    "lists them)", spec);
		return -1;
	}
	if (action == UI_ACT_JUMP || action == UI_ACT_SEEK_PERCENT) {
		xasprintf(cause, "keys: \"%s\" is fixed to the digits", spec);
		return -1;
	}
	words = str_split(keylist, ',', &nkeys);
	keys = xreallocarray(NULL, nkeys + 1, sizeof *keys);
	mods = xreallocarray(NULL, nkeys + 1, sizeof *mods);
	for (size_t k = 0; k < nkeys; k++) {
		if (ui_key_parse(words[k], &keys[k], &mods[k], cause) != 0)
			goto out;
	}
	if (nkeys == 0) {
		xasprintf(cause, "keys: no key given for \"%s\"", spec);
		goto out;
	}
	/* Every action of that name (two contexts may share one). */
	for (int c = 0; c < UI_CTX__COUNT; c++) {
		if (ctx >= 0 && c != ctx)
			continue;
		for (int a = 1; a < UI_ACT__COUNT; a++)
			if (strcmp(keymap_actions[a].name, name) == 0 &&
			    keymap_default_has(c, a))
				keymap_rebind(km, c, a, keys, mods, nkeys);
	}
	rv = 0;
out:
	free(keys);
	free(mods);
	str_freev(words);
	return rv;
}

/* The action for a key, searching the chain of contexts in order. */
enum ui_action
keymap_lookup(const struct keymap *km, const enum ui_context *chain, int n,
    int key, int mods, int *arg)
{
	for (int c = 0; c < n; c++) {
		for (size_t i = 0; i < km->n; i++) {
			if (km->v[i].ctx != chain[c] || km->v[i].key != key ||
			    km->v[i].mods != mods)
				continue;
			if (arg != NULL)
				*arg = km->v[i].arg;
			return km->v[i].action;
		}
	}
	return UI_ACT_NONE;
}

/* The i-th binding. */
const struct keymap_entry *
keymap_entry_at(const struct keymap *km, size_t i)
{
	return i < km->n ? &km->v[i] : NULL;
}

/* The first key bound to action in ctx. */
const char *
keymap_key_for(const struct keymap *km, enum ui_context ctx,
    enum ui_action action, char *buf, size_t size)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->v[i].ctx == ctx && km->v[i].action == action)
			return ui_key_name(km->v[i].key, km->v[i].mods, buf,
			    size);
	if (size > 0)
		buf[0] = '\0';
	return buf;
}

/* A context's name in the config ("fleet"). */
const char *
keymap_context_name(enum ui_context ctx)
{
	return keymap_contexts[ctx].name;
}

/* A context's heading in help. */
const char *
keymap_context_title(enum ui_context ctx)
{
	return keymap_contexts[ctx].title;
}

/* An action's name in the config ("steer"). */
const char *
keymap_action_name(enum ui_action a)
{
	return keymap_actions[a].name != NULL ? keymap_actions[a].name : "";
}

/* An action's label in the hint row. */
const char *
keymap_action_label(enum ui_action a)
{
	return keymap_actions[a].label != NULL ? keymap_actions[a].label : "";
}

/* An action's sentence in help. */
const char *
keymap_action_help(enum ui_action a)
{
	return keymap_actions[a].help != NULL ? keymap_actions[a].help : "";
}

/* Append a key name, Markdown-quoted ("`|`" is escaped for tables). */
static int
keymap_md_key(struct buf *out, int key, int mods)
{
	char	name[UI_KEY_NAME_MAX];

	ui_key_name(key, mods, name, sizeof name);
	if (strcmp(name, "|") == 0)
		return buf_puts(out, "`\\|`");
	return buf_printf(out, "`%s`", name);
}

/* doc/KEYS.md. */
int
keymap_markdown(const struct keymap *km, struct buf *out)
{
	int	done[UI_ACT__COUNT];

	if (buf_puts(out, "# pilothouse keys\n\n"
	    "<!-- Generated from the keymap table in src/ui/keymap.c by "
	    "\"make keys\"; a test\n     checks this file against the "
	    "table.  Do not edit by hand. -->\n\n"
	    "Every binding can be changed in the `[keys]` section of the "
	    "configuration\nfile (see pilothouse(1), CONFIGURATION): "
	    "`NAME = KEY[,KEY...]` rebinds the\naction NAME in every "
	    "context, `CONTEXT.NAME = ...` in one.  Key names: a\n"
	    "character (`a`, `A`, `?`), `Space`, `Enter`, `Escape`, `Tab`, "
	    "`Backspace`,\n`Delete`, `Insert`, `Up`, `Down`, `Left`, "
	    "`Right`, `Home`, `End`, `PgUp`,\n`PgDn`, `F1`-`F12`, with "
	    "`C-` (Ctrl), `M-` (Alt) and `S-` (Shift) prefixes.\n") != 0)
		return -1;
	for (int c = 0; c < UI_CTX__COUNT; c++) {
		memset(done, 0, sizeof done);
		if (buf_printf(out, "\n## %s (`%s`)\n\n| Keys | Name | "
		    "Action |\n|---|---|---|\n", keymap_contexts[c].title,
		    keymap_contexts[c].name) != 0)
			return -1;
		for (size_t i = 0; i < km->n; i++) {
			enum ui_action	a = km->v[i].action;
			int		first = 1;

			if (km->v[i].ctx != (enum ui_context)c || done[a])
				continue;
			done[a] = 1;
			if (buf_puts(out, "| ") != 0)
				return -1;
			for (size_t j = i; j < km->n; j++) {
				if (km->v[j].ctx != km->v[i].ctx ||
				    km->v[j].action != a)
					continue;
				if ((!first && buf_puts(out, ", ") != 0) ||
				    keymap_md_key(out, km->v[j].key,
				    km->v[j].mods) != 0)
					return -1;
				first = 0;
			}
			if (buf_printf(out, " | `%s` | %s |\n",
			    keymap_actions[a].name, keymap_actions[a].help) !=
			    0)
				return -1;
		}
	}
	return 0;
}
