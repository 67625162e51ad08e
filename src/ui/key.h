/*
 * key.h -- one input event type for every backend, and key names.
 *
 * ncurses, libtickit and the headless backend each decode the terminal
 * their own way; all of them hand the console a struct ui_input.  A key
 * is a Unicode code point (a printable character, or the letter of a
 * control chord) or a UI_KEY_* value, plus modifiers: Ctrl-O arrives as
 * key 'o' with UI_MOD_CTRL, Shift-Tab as UI_KEY_TAB with UI_MOD_SHIFT.
 *
 * Key names are what the keymap, the config file ([keys]) and the help
 * use: "a", "A", "?", "Space", "Enter", "Escape", "Tab", "S-Tab", "C-o",
 * "M-x", "Up", "PgDn", "Home", "F1", ... (doc/KEYS.md).
 */
#ifndef PILOTHOUSE_KEY_H
#define PILOTHOUSE_KEY_H

#include <stddef.h>

#define UI_MOD_SHIFT	0x1
#define UI_MOD_ALT	0x2
#define UI_MOD_CTRL	0x4

enum ui_key {
	UI_KEY_NONE = 0,
	UI_KEY_BASE = 0x110000,		/* above every code point */
	UI_KEY_ENTER = UI_KEY_BASE,
	UI_KEY_ESCAPE,
	UI_KEY_TAB,
	UI_KEY_BACKSPACE,
	UI_KEY_DELETE,
	UI_KEY_INSERT,
	UI_KEY_UP,
	UI_KEY_DOWN,
	UI_KEY_LEFT,
	UI_KEY_RIGHT,
	UI_KEY_HOME,
	UI_KEY_END,
	UI_KEY_PGUP,
	UI_KEY_PGDN,
	UI_KEY_F1,			/* F1 + n - 1 up to F12 */
	UI_KEY_F12 = UI_KEY_F1 + 11,
	UI_KEY__END
};

enum ui_input_type {
	UI_INPUT_KEY,
	UI_INPUT_MOUSE
};

enum ui_mouse_action {
	UI_MOUSE_PRESS,
	UI_MOUSE_RELEASE,
	UI_MOUSE_WHEEL_UP,
	UI_MOUSE_WHEEL_DOWN
};

struct ui_input {
	enum ui_input_type	type;
	int			key;	/* code point or UI_KEY_* */
	int			mods;	/* UI_MOD_* */
	/* UI_INPUT_MOUSE */
	enum ui_mouse_action	action;
	int			button;	/* 1-3 */
	int			x, y;
};

#define UI_KEY_NAME_MAX	32

/* Fill in a key event; a helper for backends and tests. */
void	 ui_input_key(struct ui_input *, int, int);
/*
 * Parse a key name ("C-o", "S-Tab", "q", "PgDn") into key and mods; -1
 * with *cause if it is not one.  An uppercase letter is its own key
 * ("A"), not "S-a".
 */
int	 ui_key_parse(const char *, int *, int *, char **);
/* The canonical name of a key, into buf (UI_KEY_NAME_MAX bytes). */
const char *ui_key_name(int, int, char *, size_t);
/*
 * Normalise a control byte as terminals send it (0x01-0x1f, 0x7f) to a
 * key and modifiers: 0x0f is C-o, 0x09 Tab, 0x0d Enter, 0x7f Backspace.
 */
void	 ui_key_from_byte(int, int *, int *);

#endif
