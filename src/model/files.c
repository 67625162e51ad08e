/* ISC licence: see COPYING.  Files touched by a session, from events. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "model/files.h"
#include "wire/json_scan.h"

/* A write, edit or read whose result has not come yet. */
struct files_pending {
	enum files_kind	 kind;
	char		*use_id;
	char		*path;
	char		*a;		/* write: content; edit: old_string */
	size_t		 alen;
	char		*b;		/* edit: new_string */
	size_t		 blen;
	int		 all;		/* edit: replace_all */
	int		 partial;	/* read: view_range given */
};

struct files {
	struct files_file	*v;
	size_t			 n;
	struct files_op		*ops;
	size_t			 nops;
	struct files_pending	*pend;
	size_t			 npend;
	size_t			 kept;		/* bytes in ops' before */
};

/* Create an empty set. */
struct files *
files_create(void)
{
	return xcalloc(1, sizeof(struct files));
}

/* Free a pending entry's strings. */
static void
files_pending_clear(struct files_pending *p)
{
	free(p->use_id);
	free(p->path);
	free(p->a);
	free(p->b);
}

/* Free everything; NULL does nothing. */
void
files_free(struct files *fs)
{
	if (fs == NULL)
		return;
	for (size_t i = 0; i < fs->n; i++) {
		free(fs->v[i].path);
		free(fs->v[i].initial);
		free(fs->v[i].current);
	}
	for (size_t i = 0; i < fs->nops; i++) {
		free(fs->ops[i].use_id);
		free(fs->ops[i].before);
	}
	for (size_t i = 0; i < fs->npend; i++)
		files_pending_clear(&fs->pend[i]);
	free(fs->v);
	free(fs->ops);
	free(fs->pend);
	free(fs);
}

/* The file for path, added if new; returns its index. */
static size_t
files_get(struct files *fs, const char *path)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].path, path) == 0)
			return i;
	fs->v = xreallocarray(fs->v, fs->n + 1, sizeof *fs->v);
	memset(&fs->v[fs->n], 0, sizeof fs->v[fs->n]);
	fs->v[fs->n].path = xstrdup(path);
	return fs->n++;
}

/* A string member of a JSON object, with its length, or NULL. */
static const char *
files_str(json_t *obj, const char *key, size_t *len)
{
	json_t	*v = json_object_get(obj, key);

	if (!json_is_string(v))
		return NULL;
	if (len != NULL)
		*len = json_string_length(v);
	return json_string_value(v);
}

/* Remember a read, write or edit until its result comes. */
static int
files_use(struct files *fs, struct api_event *ev,
    const struct api_event_view *v)
{
	struct files_pending	 p;
	const char		*path, *s;
	size_t			 len;

	memset(&p, 0, sizeof p);
	if (v->tool_name == NULL || ev->id == NULL ||
	    !json_is_object(v->tool_input))
		return 0;
	if (strcmp(v->tool_name, "read") == 0)
		p.kind = FILES_READ;
	else if (strcmp(v->tool_name, "write") == 0)
		p.kind = FILES_WRITE;
	else if (strcmp(v->tool_name, "edit") == 0)
		p.kind = FILES_EDIT;
	else
		return 0;
	if ((path = files_str(v->tool_input, "file_path", NULL)) == NULL)
		return 0;
	if (p.kind == FILES_WRITE) {
		if ((s = files_str(v->tool_input, "content", &len)) == NULL)
			return 0;
		p.a = xmemdup(s, len + 1);
		p.alen = len;
	} else if (p.kind == FILES_EDIT) {
		if ((s = files_str(v->tool_input, "old_string", &len)) == NULL)
			return 0;
		p.a = xmemdup(s, len + 1);
		p.alen = len;
		if ((s = files_str(v->tool_input, "new_string", &len)) ==
		    NULL) {
			free(p.a);
			return 0;
		}
		p.b = xmemdup(s, len + 1);
		p.blen = len;
		p.all = json_is_true(json_object_get(v->tool_input,
		    "replace_all"));
	} else
		p.partial = json_object_get(v->tool_input, "view_range") !=
		    NULL && !json_is_null(json_object_get(v->tool_input,
		    "view_range"));
	p.use_id = xstrdup(ev->id);
	p.path = xstrdup(path);
	(void)files_get(fs, path);
	fs->pend = xreallocarray(fs->pend, fs->npend + 1, sizeof *fs->pend);
	fs->pend[fs->npend++] = p;
	return 1;
}

/* Set a file's current content (a copy of s). */
static void
files_set_current(struct files_file *f, const char *s, size_t len)
{
	free(f->current);
	f->current = xmemdup(s, len + 1);
	f->current[len] = '\0';
	f->currentlen = len;
	f->current_known = 1;
}

/* The text blocks of a result, joined. */
static int
files_result_text(json_t *content, struct buf *out)
{
	json_t	*block;
	size_t	 i;

	if (json_is_string(content))
		return buf_append(out, json_string_value(content),
		    json_string_length(content));
	json_array_foreach(content, i, block) {
		const char	*t;
		size_t		 len;

		if ((t = files_str(block, "text", &len)) != NULL &&
		    buf_append(out, t, len) != 0)
			return -1;
	}
	return 0;
}

/*
 * Apply an edit to known content: the replacement of old by new, once
 * (old must then be unique) or everywhere.  -1 if the content does not
 * hold old as the edit requires; the caller forgets the content.
 */
static int
files_edit(struct files_file *f, const struct files_pending *p)
{
	struct buf	 out;
	const char	*at, *from = f->current;
	const char	*end = f->current + f->currentlen;
	size_t		 n = 0;

	if (p->alen == 0)
		return -1;
	buf_init(&out, BUF_UNBOUNDED);
	while ((at = memmem(from, (size_t)(end - from), p->a, p->alen)) !=
	    NULL) {
		n++;
		if (!p->all && n > 1)
			break;
		if (buf_append(&out, from, (size_t)(at - from)) != 0 ||
		    buf_append(&out, p->b, p->blen) != 0)
			break;
		from = at + p->alen;
	}
	if (n == 0 || (!p->all && n > 1)) {
		buf_clear(&out);
		return -1;
	}
	if (buf_append(&out, from, (size_t)(end - from)) != 0) {
		buf_clear(&out);
		return -1;
	}
	free(f->current);
	f->currentlen = out.len;
	f->current = buf_steal(&out, NULL);
	return 0;
}

/* Record a successful write or edit. */
static void
files_record(struct files *fs, const struct files_pending *p, size_t file,
    const char *before, size_t beforelen, int known)
{
	struct files_op	*op;

	fs->ops = xreallocarray(fs->ops, fs->nops + 1, sizeof *fs->ops);
	op = &fs->ops[fs->nops++];
	memset(op, 0, sizeof *op);
	op->kind = p->kind;
	op->use_id = xstrdup(p->use_id);
	op->file = file;
	if (p->kind == FILES_WRITE && known &&
	    fs->kept + beforelen <= FILES_MAX_KEPT) {
		op->before = xmemdup(before, beforelen + 1);
		op->before[beforelen] = '\0';
		op->beforelen = beforelen;
		op->before_known = 1;
		fs->kept += beforelen;
	}
}

/* A result arrived: apply its pending use. */
static int
files_result(struct files *fs, const struct api_event_view *v)
{
	struct files_pending	 p;
	struct files_file	*f;
	struct buf		 text;
	size_t			 i, idx;

	if (v->tool_use_id == NULL)
		return 0;
	for (i = 0; i < fs->npend; i++)
		if (strcmp(fs->pend[i].use_id, v->tool_use_id) == 0)
			break;
	if (i == fs->npend)
		return 0;
	p = fs->pend[i];
	memmove(&fs->pend[i], &fs->pend[i + 1],
	    (fs->npend - i - 1) * sizeof *fs->pend);
	fs->npend--;
	idx = files_get(fs, p.path);
	f = &fs->v[idx];
	if (v->is_error == 1) {
		f->failed++;
		files_pending_clear(&p);
		return 1;
	}
	switch (p.kind) {
	case FILES_READ:
		f->reads++;
		if (p.partial)
			break;
		buf_init(&text, BUF_UNBOUNDED);
		if (files_result_text(v->content, &text) == 0) {
			if (!f->changed && !f->initial_known) {
				f->initial = xmemdup(buf_cstr(&text),
				    text.len + 1);
				f->initiallen = text.len;
				f->initial_known = 1;
			}
			files_set_current(f, buf_cstr(&text), text.len);
		}
		buf_clear(&text);
		break;
	case FILES_WRITE:
		f->writes++;
		if (!f->changed && !f->initial_known)
			f->created = 1;
		files_record(fs, &p, idx, f->current, f->currentlen,
		    f->current_known);
		files_set_current(f, p.a, p.alen);
		f->changed = 1;
		break;
	case FILES_EDIT:
		f->edits++;
		files_record(fs, &p, idx, NULL, 0, 0);
		if (f->current_known && files_edit(f, &p) != 0) {
			free(f->current);
			f->current = NULL;
			f->currentlen = 0;
			f->current_known = 0;
		}
		f->changed = 1;
		break;
	}
	files_pending_clear(&p);
	return 1;
}

/*
 * Is a tool use worth a full parse?  Only if it is read, write or edit.
 * The scanner reads one member without building a tree (a full parse
 * costs ~18 us).
 */
static int
files_use_wanted(const struct api_event *ev)
{
	struct json_span	 sp;
	char			*v;
	int			 want;

	if (json_scan_member(ev->raw, ev->rawlen, "name", &sp) != 1 ||
	    (v = json_scan_strdup(&sp)) == NULL)
		return 0;
	want = strcmp(v, "read") == 0 || strcmp(v, "write") == 0 ||
	    strcmp(v, "edit") == 0;
	free(v);
	return want;
}

/*
 * Does files_apply read this event's body?  Every tool use (its name is
 * in the body); a result only if it answers a pending read, write or
 * edit, which its head tells (api_event_head is enough to ask).
 */
int
files_needs_body(const struct files *fs, const struct api_event *ev)
{
	if (ev->type == API_EV_AGENT_TOOL_USE)
		return 1;
	if (ev->type != API_EV_AGENT_TOOL_RESULT || ev->tool_use_id == NULL)
		return 0;
	for (size_t i = 0; i < fs->npend; i++)
		if (strcmp(fs->pend[i].use_id, ev->tool_use_id) == 0)
			return 1;
	return 0;
}

/* Feed one event. */
int
files_apply(struct files *fs, struct api_event *ev)
{
	struct api_event_view	 v;
	char			*cause = NULL;

	if (!files_needs_body(fs, ev))
		return 0;
	if (ev->type == API_EV_AGENT_TOOL_USE && !files_use_wanted(ev))
		return 0;
	if (api_event_view(ev, &v, &cause) != 0) {
		free(cause);
		return 0;
	}
	if (ev->type == API_EV_AGENT_TOOL_USE)
		return files_use(fs, ev, &v);
	return files_result(fs, &v);
}

/* Number of files touched. */
size_t
files_count(const struct files *fs)
{
	return fs->n;
}

/* The i-th file. */
const struct files_file *
files_at(const struct files *fs, size_t i)
{
	return i < fs->n ? &fs->v[i] : NULL;
}

/* The file at path, or NULL. */
const struct files_file *
files_find(const struct files *fs, const char *path)
{
	for (size_t i = 0; i < fs->n; i++)
		if (strcmp(fs->v[i].path, path) == 0)
			return &fs->v[i];
	return NULL;
}

/* The op made by a tool use, or NULL. */
const struct files_op *
files_op(const struct files *fs, const char *use_id)
{
	for (size_t i = fs->nops; i > 0; i--)
		if (strcmp(fs->ops[i - 1].use_id, use_id) == 0)
			return &fs->ops[i - 1];
	return NULL;
}

/* The net diff of file i. */
struct diff *
files_net_diff(const struct files *fs, size_t i, int ctx)
{
	const struct files_file	*f = files_at(fs, i);

	if (f == NULL || !f->current_known)
		return NULL;
	if (f->initial_known)
		return diff_create(f->initial, f->initiallen, f->current,
		    f->currentlen, ctx);
	if (f->created)
		return diff_create("", 0, f->current, f->currentlen, ctx);
	return NULL;
}
