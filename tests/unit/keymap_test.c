/* ISC licence: see COPYING.  Tests for ui/key and ui/keymap, and the
 * check that doc/KEYS.md is what the table generates ("--write FILE"
 * rewrites it: "make keys"). */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/xmalloc.h"
#include "ui/key.h"
#include "ui/keymap.h"
#include "tap.h"

/* Parse a key name and return "key/mods" for comparison. */
static const char *
parsed(const char *name)
{
	static char	out[64];
	char		*cause = NULL;
	int		 key, mods;

	if (ui_key_parse(name, &key, &mods, &cause) != 0) {
		free(cause);
		return "error";
	}
	snprintf(out, sizeof out, "%x/%d", key, mods);
	return out;
}

/* The action bound to a key name in a chain. */
static enum ui_action
lookup(struct keymap *km, const enum ui_context *chain, int n,
    const char *name)
{
	char	*cause = NULL;
	int	 key, mods;

	if (ui_key_parse(name, &key, &mods, &cause) != 0) {
		free(cause);
		return UI_ACT__COUNT;
	}
	return keymap_lookup(km, chain, n, key, mods, NULL);
}

int
main(int argc, char **argv)
{
	static const enum ui_context	 fleet[] = { UI_CTX_FLEET, UI_CTX_LIST,
	    UI_CTX_GLOBAL };
	static const enum ui_context	 card[] = { UI_CTX_CARD };
	struct keymap			*km;
	struct buf			 md, file;
	char				*cause = NULL, name[UI_KEY_NAME_MAX];
	char				*path;
	int				 key, mods, arg, rc;

	km = keymap_create();
	buf_init(&md, 1 << 20);
	if (keymap_markdown(km, &md) != 0)
		return 1;
	if (argc == 3 && strcmp(argv[1], "--write") == 0) {
		rc = io_write_file(argv[2], md.data, md.len, &cause);
		if (rc != 0) {
			fprintf(stderr, "%s\n", cause);
			free(cause);
		}
		buf_clear(&md);
		keymap_free(km);
		return rc != 0;
	}

	is_str(parsed("C-o"), "6f/4", "C-o");
	is_str(parsed("C-O"), "6f/4", "C-O is C-o");
	is_str(parsed("A"), "41/0", "A is its own key");
	is_str(parsed("S-Tab"), "110002/1", "S-Tab");
	is_str(parsed("M-Enter"), "110000/2", "M-Enter");
	is_str(parsed("F12"), "110019/0", "F12");
	is_str(parsed("F13"), "error", "no F13");
	is_str(parsed("S-a"), "error", "S-a is refused");
	is_str(parsed("Space"), "20/0", "Space");
	is_str(parsed("-"), "2d/0", "a bare dash");
	is_str(parsed("nosuchkey"), "error", "unknown names");
	is_str(ui_key_name(UI_KEY_PGDN, UI_MOD_CTRL, name, sizeof name),
	    "C-PgDn", "names round-trip");
	ui_key_from_byte(0x0f, &key, &mods);
	ok(key == 'o' && mods == UI_MOD_CTRL, "0x0f is C-o");
	ui_key_from_byte('\r', &key, &mods);
	ok(key == UI_KEY_ENTER && mods == 0, "CR is Enter");
	ui_key_from_byte('\n', &key, &mods);
	ok(key == 'j' && mods == UI_MOD_CTRL, "LF is C-j");
	ui_key_from_byte(0x7f, &key, &mods);
	ok(key == UI_KEY_BACKSPACE, "DEL is Backspace");

	is_int(lookup(km, fleet, 3, "s"), UI_ACT_STEER, "s steers in the "
	    "fleet");
	is_int(lookup(km, fleet, 3, "Enter"), UI_ACT_OPEN, "Enter opens "
	    "(from the list context)");
	is_int(lookup(km, fleet, 3, "C-c"), UI_ACT_DETACH, "C-c detaches "
	    "(global)");
	is_int(lookup(km, card, 1, "a"), UI_ACT_NONE, "a card does not fall "
	    "through to session actions");
	is_int(lookup(km, card, 1, "Escape"), UI_ACT_CARD_DISMISS,
	    "Esc dismisses a card");
	ok(keymap_lookup(km, fleet, 3, '3', 0, &arg) == UI_ACT_JUMP &&
	    arg == 3, "digits jump with their number");

	ok(keymap_bind(km, "steer", "S,C-t", &cause) == 0, "rebind steer");
	is_int(lookup(km, fleet, 3, "S"), UI_ACT_STEER, "S steers now");
	is_int(lookup(km, fleet, 3, "C-t"), UI_ACT_STEER, "so does C-t");
	is_int(lookup(km, fleet, 3, "s"), UI_ACT_NONE, "s no longer does");
	ok(keymap_bind(km, "fleet.approve", "y", &cause) == 0,
	    "rebind in one context");
	is_int(lookup(km, fleet, 3, "y"), UI_ACT_APPROVE, "y approves in the "
	    "fleet");
	ok(keymap_bind(km, "approve", "q", &cause) == 0, "take a key from "
	    "another action");
	is_int(lookup(km, fleet, 3, "q"), UI_ACT_APPROVE, "q approves");
	ok(keymap_bind(km, "nosuch", "y", &cause) != 0 &&
	    strstr(cause, "nosuch") != NULL, "unknown actions are named");
	free(cause);
	cause = NULL;
	ok(keymap_bind(km, "steer", "Hyper-x", &cause) != 0,
	    "bad keys are refused");
	free(cause);
	cause = NULL;
	ok(keymap_bind(km, "card.steer", "y", &cause) != 0,
	    "actions bind only where they apply");
	free(cause);
	cause = NULL;
	keymap_free(km);

	/* doc/KEYS.md matches the table. */
	buf_init(&file, 1 << 20);
	xasprintf(&path, "%s/doc/KEYS.md", getenv("top_srcdir") ?
	    getenv("top_srcdir") : ".");
	if (io_read_file(path, 1 << 20, &file, &cause) != 0) {
		ok(0, "read %s: %s", path, cause);
		free(cause);
	} else
		ok(file.len == md.len && memcmp(file.data, md.data, md.len) ==
		    0, "doc/KEYS.md is up to date (run \"make keys\")");
	free(path);
	buf_clear(&file);
	buf_clear(&md);
	return done_testing();
}
