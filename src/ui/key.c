/* ISC licence: see COPYING.  Key events and key names. */

#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/compiler.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "ui/key.h"
#include "ui/width.h"

/* Names of the special keys (and of Space, which has no glyph). */
static const struct {
	const char	*name;
	int		 key;
} ui_key_names[] = {
	{ "Enter", UI_KEY_ENTER },
	{ "Escape", UI_KEY_ESCAPE },
	{ "Tab", UI_KEY_TAB },
	{ "Backspace", UI_KEY_BACKSPACE },
	{ "Delete", UI_KEY_DELETE },
	{ "Insert", UI_KEY_INSERT },
	{ "Up", UI_KEY_UP },
	{ "Down", UI_KEY_DOWN },
	{ "Left", UI_KEY_LEFT },
	{ "Right", UI_KEY_RIGHT },
	{ "Home", UI_KEY_HOME },
	{ "End", UI_KEY_END },
	{ "PgUp", UI_KEY_PGUP },
	{ "PgDn", UI_KEY_PGDN },
	{ "Space", ' ' },
};

/* Fill a key event. */
void
ui_input_key(struct ui_input *in, int key, int mods)
{
	memset(in, 0, sizeof *in);
	in->type = UI_INPUT_KEY;
	in->key = key;
	in->mods = mods;
}

/* Map a control byte to a key and modifiers. */
void
ui_key_from_byte(int c, int *key, int *mods)
{
	*mods = 0;
	switch (c) {
	case '\r':
		*key = UI_KEY_ENTER;	/* raw mode: Enter is CR, C-j is LF */
		return;
	case '\t':
		*key = UI_KEY_TAB;
		return;
	case 0x1b:
		*key = UI_KEY_ESCAPE;
		return;
	case 0x7f:
	case 0x08:
		*key = UI_KEY_BACKSPACE;
		return;
	case 0:
		*key = ' ';
		*mods = UI_MOD_CTRL;
		return;
	}
	if (c > 0 && c < 0x20) {
		*key = c + 'a' - 1;	/* 0x1c-0x1f give \ ] ^ _ */
		if (c >= 0x1c)
			*key = c + '@';
		*mods = UI_MOD_CTRL;
		return;
	}
	*key = c;
}

/* Parse a key name. */
int
ui_key_parse(const char *name, int *key, int *mods, char **cause)
{
	const char	*p = name;
	uint32_t	 cp;
	size_t		 len;
	int		 n;

	*mods = 0;
	/* Modifier prefixes: C-, M-, S- (only before a named key). */
	while (p[0] != '\0' && p[1] == '-' && p[2] != '\0') {
		if (p[0] == 'C')
			*mods |= UI_MOD_CTRL;
		else if (p[0] == 'M')
			*mods |= UI_MOD_ALT;
		else if (p[0] == 'S')
			*mods |= UI_MOD_SHIFT;
		else
			break;
		p += 2;
	}
	for (size_t i = 0; i < AD_NITEMS(ui_key_names); i++) {
		if (strcmp(p, ui_key_names[i].name) == 0) {
			*key = ui_key_names[i].key;
			return 0;
		}
	}
	if (p[0] == 'F' && p[1] >= '1' && p[1] <= '9') {
		n = p[1] - '0';
		if (p[2] >= '0' && p[2] <= '2' && p[3] == '\0' && n == 1)
			n = 10 + (p[2] - '0');
		else if (p[2] != '\0')
			n = 0;
		if (n >= 1 && n <= 12) {
			*key = UI_KEY_F1 + n - 1;
			return 0;
		}
	}
	len = strlen(p);
	if (len > 0 && utf8_decode(p, len, &cp) == (int)len && cp > 0x20 &&
	    cp != 0x7f && width_cp(cp) > 0) {
		if ((*mods & UI_MOD_SHIFT) && cp < 0x80) {
			xasprintf(cause, "key \"%s\": write the character "
			    "itself, not S-", name);
			return -1;
		}
		if ((*mods & UI_MOD_CTRL) && cp >= 'A' && cp <= 'Z')
			cp += 'a' - 'A';	/* C-O is C-o */
		*key = (int)cp;
		return 0;
	}
	xasprintf(cause, "unknown key \"%s\" (see doc/KEYS.md for names)",
	    name);
	return -1;
}

/* The canonical name of key with mods. */
const char *
ui_key_name(int key, int mods, char *buf, size_t size)
{
	const char	*base = NULL;
	char		 tmp[16];
	int		 n;

	for (size_t i = 0; i < AD_NITEMS(ui_key_names); i++)
		if (ui_key_names[i].key == key)
			base = ui_key_names[i].name;
	if (base == NULL && key >= UI_KEY_F1 && key <= UI_KEY_F12) {
		snprintf(tmp, sizeof tmp, "F%d", key - UI_KEY_F1 + 1);
		base = tmp;
	} else if (base == NULL) {
		n = utf8_encode(key > 0 && key < UI_KEY_BASE ? (uint32_t)key :
		    0xfffd, tmp);
		tmp[n] = '\0';
		base = tmp;
	}
	snprintf(buf, size, "%s%s%s%s", (mods & UI_MOD_CTRL) ? "C-" : "",
	    (mods & UI_MOD_ALT) ? "M-" : "", (mods & UI_MOD_SHIFT) ? "S-" : "",
	    base);
	return buf;
}
