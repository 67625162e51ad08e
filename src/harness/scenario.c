/* ISC licence: see COPYING.  Scenario files: loading and validation. */

#include "config.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/xmalloc.h"
#include "harness/scenario.h"

#define SCENARIO_MAX_FILE	(4u * 1024 * 1024)
#define SCENARIO_MAX_DIRS	8

/* Where each JSON container starts, for "file:line" messages. */
struct scenario_lines {
	const json_t	**ptr;
	int		 *line;
	size_t		  n;
	size_t		  size;
};

/* A load in progress. */
struct scenario_ctx {
	const char		*path;
	const char		*dir;
	struct scenario_lines	 lines;
	char			*cause;		/* first error */
};

struct scenario_cached {
	struct scenario		*sc;
	char			*path;
	struct timespec		 mtime;
	off_t			 size;
};

struct scenario_set {
	pthread_mutex_t		 lock;
	char			*dirs[SCENARIO_MAX_DIRS];
	size_t			 ndirs;
	struct scenario_cached	*cache;
	size_t			 ncache;
};

static void	scenario_free(struct scenario *);

/*
 * Line numbers: jansson keeps no positions, so scan the text for the
 * opening brace or bracket of every container, in document order, and
 * pair them with a pre-order walk of the tree (objects keep their key
 * order since jansson 2.8, and duplicate keys are rejected, so the two
 * orders are the same).
 */
static void
scenario_lines_scan(const char *text, size_t len, int **out, size_t *nout)
{
	int	*lines = NULL, line = 1, instr = 0;
	size_t	 n = 0, size = 0;

	for (size_t i = 0; i < len; i++) {
		char	c = text[i];

		if (c == '\n')
			line++;
		if (instr) {
			if (c == '\\')
				i++;
			else if (c == '"')
				instr = 0;
			continue;
		}
		if (c == '"')
			instr = 1;
		else if (c == '{' || c == '[') {
			if (n == size) {
				size = size ? size * 2 : 64;
				lines = xreallocarray(lines, size,
				    sizeof *lines);
			}
			lines[n++] = line;
		}
	}
	*out = lines;
	*nout = n;
}

/* Pre-order walk pairing containers with scanned lines. */
static void
scenario_lines_walk(struct scenario_lines *sl, const json_t *j,
    const int *lines, size_t nlines, size_t *pos)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	if (!json_is_object(j) && !json_is_array(j))
		return;
	if (sl->n == sl->size) {
		sl->size = sl->size ? sl->size * 2 : 64;
		sl->ptr = xreallocarray(sl->ptr, sl->size, sizeof *sl->ptr);
		sl->line = xreallocarray(sl->line, sl->size, sizeof *sl->line);
	}
	sl->ptr[sl->n] = j;
	sl->line[sl->n] = *pos < nlines ? lines[*pos] : 0;
	sl->n++;
	(*pos)++;
	if (json_is_object(j)) {
		json_object_foreach((json_t *)j, key, v)
			scenario_lines_walk(sl, v, lines, nlines, pos);
	} else {
		json_array_foreach(j, i, v)
			scenario_lines_walk(sl, v, lines, nlines, pos);
	}
}

/* The line a container starts on, or 0. */
static int
scenario_line_of(const struct scenario_ctx *ctx, const json_t *j)
{
	for (size_t i = 0; i < ctx->lines.n; i++)
		if (ctx->lines.ptr[i] == j)
			return ctx->lines.line[i];
	return 0;
}

/* Record the first error: "file:line: where: what". */
static AD_PRINTFLIKE(4, 5) int
scenario_error(struct scenario_ctx *ctx, const json_t *near, const char *where,
    const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;
	int	 line;

	if (ctx->cause != NULL)
		return -1;
	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	line = near != NULL ? scenario_line_of(ctx, near) : 0;
	if (line > 0)
		xasprintf(&ctx->cause, "%s:%d: %s: %s", ctx->path, line, where,
		    msg);
	else
		xasprintf(&ctx->cause, "%s: %s: %s", ctx->path, where, msg);
	free(msg);
	return -1;
}

/* Fail on any key of obj not in the NULL-terminated list ("_" keys pass). */
static int
scenario_check_keys(struct scenario_ctx *ctx, json_t *obj, const char *where,
    const char *const *allowed)
{
	const char	*key;
	json_t		*v;

	json_object_foreach(obj, key, v) {
		size_t	i;

		if (key[0] == '_')
			continue;
		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return scenario_error(ctx, obj, where,
			    "unknown key \"%s\"", key);
	}
	return 0;
}

/*
 * Long text: a string, an array of lines (joined with "\n"), or
 * {"$file": "relative/path"} read next to the scenario.  Caller frees.
 */
static char *
scenario_text(struct scenario_ctx *ctx, json_t *v, const char *where)
{
	struct buf	 b;
	json_t		*line, *file;
	char		*path, *cause = NULL, *out;
	size_t		 i;

	if (json_is_string(v))
		return xstrdup(json_string_value(v));
	if (json_is_array(v)) {
		buf_init(&b, BUF_UNBOUNDED);
		json_array_foreach(v, i, line) {
			if (!json_is_string(line)) {
				buf_clear(&b);
				scenario_error(ctx, v, where, "line %zu of a "
				    "line array is not a string", i);
				return NULL;
			}
			if ((i > 0 && buf_putc(&b, '\n') != 0) ||
			    buf_puts(&b, json_string_value(line)) != 0)
				fatalx("scenario text too long");
		}
		out = buf_steal(&b, NULL);
		return out != NULL ? out : xstrdup("");
	}
	if (json_is_object(v) && json_object_size(v) == 1 &&
	    json_is_string(file = json_object_get(v, "$file"))) {
		const char	*rel = json_string_value(file);

		if (rel[0] == '/' || strstr(rel, "..") != NULL) {
			scenario_error(ctx, v, where, "$file \"%s\" must be a "
			    "relative path without \"..\"", rel);
			return NULL;
		}
		xasprintf(&path, "%s/%s", ctx->dir, rel);
		buf_init(&b, SCENARIO_MAX_FILE);
		if (io_read_file(path, SCENARIO_MAX_FILE, &b, &cause) != 0) {
			scenario_error(ctx, v, where, "%s", cause);
			free(cause);
			free(path);
			buf_clear(&b);
			return NULL;
		}
		free(path);
		out = buf_steal(&b, NULL);
		return out != NULL ? out : xstrdup("");
	}
	scenario_error(ctx, v, where, "expected a string, an array of lines "
	    "or {\"$file\": \"path\"}");
	return NULL;
}

/* An optional non-negative integer member. */
static int
scenario_int(struct scenario_ctx *ctx, json_t *obj, const char *key,
    const char *where, int min, int max, int *out)
{
	json_t	*v;

	if ((v = json_object_get(obj, key)) == NULL)
		return 0;
	if (!json_is_integer(v) || json_integer_value(v) < min ||
	    json_integer_value(v) > max)
		return scenario_error(ctx, obj, where, "\"%s\" must be an "
		    "integer from %d to %d", key, min, max);
	*out = (int)json_integer_value(v);
	return 0;
}

/* Compile a POSIX ERE, reporting errors. */
static int
scenario_regex(struct scenario_ctx *ctx, json_t *near, const char *where,
    const char *pattern, regex_t *re)
{
	char	msg[128];
	int	rc;

	if ((rc = regcomp(re, pattern, REG_EXTENDED|REG_NOSUB)) != 0) {
		regerror(rc, re, msg, sizeof msg);
		return scenario_error(ctx, near, where, "bad regular "
		    "expression \"%s\": %s", pattern, msg);
	}
	return 0;
}

/* Pace overrides from obj onto p. */
static int
scenario_pace_parse(struct scenario_ctx *ctx, json_t *obj, const char *where,
    struct scenario_pace *p)
{
	static const char *const keys[] = { "latency_ms", "cps", "chunk",
	    "jitter", "fast", NULL };
	json_t	*v;

	if (!json_is_object(obj))
		return scenario_error(ctx, obj, where,
		    "pace must be an object");
	if (scenario_check_keys(ctx, obj, where, keys) != 0 ||
	    scenario_int(ctx, obj, "latency_ms", where, 0, 600000,
	    &p->latency_ms) != 0 ||
	    scenario_int(ctx, obj, "cps", where, 1, 1000000, &p->cps) != 0 ||
	    scenario_int(ctx, obj, "chunk", where, 1, 65536, &p->chunk) != 0)
		return -1;
	if ((v = json_object_get(obj, "jitter")) != NULL) {
		if (!json_is_number(v) || json_number_value(v) < 0 ||
		    json_number_value(v) > 1)
			return scenario_error(ctx, obj, where,
			    "\"jitter\" must be a number from 0 to 1");
		p->jitter = json_number_value(v);
	}
	if ((v = json_object_get(obj, "fast")) != NULL) {
		if (!json_is_boolean(v))
			return scenario_error(ctx, obj, where,
			    "\"fast\" must be true or false");
		p->fast = json_is_true(v);
	}
	return 0;
}

/* Look a label up among a turn's responses; -1 when unknown. */
static int
scenario_label(const struct scenario_turn *t, const char *label)
{
	for (size_t i = 0; i < t->nresponses; i++)
		if (t->responses[i].label != NULL &&
		    strcmp(t->responses[i].label, label) == 0)
			return (int)i;
	return -1;
}

/* Resolve an optional label member to an index. */
static int
scenario_jump(struct scenario_ctx *ctx, const struct scenario_turn *t,
    json_t *obj, const char *key, const char *where, int *out)
{
	json_t	*v;

	*out = -1;
	if ((v = json_object_get(obj, key)) == NULL)
		return 0;
	if (!json_is_string(v))
		return scenario_error(ctx, obj, where, "\"%s\" must be a label",
		    key);
	if ((*out = scenario_label(t, json_string_value(v))) == -1)
		return scenario_error(ctx, obj, where, "\"%s\": no response "
		    "is labelled \"%s\" in this turn", key,
		    json_string_value(v));
	return 0;
}

/* A tool block's "expect". */
static int
scenario_expect_parse(struct scenario_ctx *ctx, json_t *e, const char *where,
    struct scenario_block *b)
{
	static const char *const keys[] = { "is_error", "contains", "matches",
	    NULL };
	json_t	*v;

	if (!json_is_object(e))
		return scenario_error(ctx, e, where,
		    "expect must be an object");
	if (scenario_check_keys(ctx, e, where, keys) != 0)
		return -1;
	b->has_expect = 1;
	b->expect_is_error = -1;
	if ((v = json_object_get(e, "is_error")) != NULL) {
		if (!json_is_boolean(v))
			return scenario_error(ctx, e, where,
			    "expect.is_error must be true or false");
		b->expect_is_error = json_is_true(v);
	}
	if ((v = json_object_get(e, "contains")) != NULL) {
		if (!json_is_string(v))
			return scenario_error(ctx, e, where,
			    "expect.contains must be a string");
		b->expect_contains = xstrdup(json_string_value(v));
	}
	if ((v = json_object_get(e, "matches")) != NULL) {
		if (!json_is_string(v))
			return scenario_error(ctx, e, where,
			    "expect.matches must be a string");
		if (scenario_regex(ctx, e, where, json_string_value(v),
		    &b->expect_matches) != 0)
			return -1;
		b->has_expect_matches = 1;
	}
	return 0;
}

/* A tool block's "confirm": {expect, auto, after_ms, deny_message}. */
static int
scenario_confirm_parse(struct scenario_ctx *ctx, json_t *c, const char *where)
{
	static const char *const keys[] = { "expect", "auto", "after_ms",
	    "deny_message", NULL };
	json_t	*v;
	int	 ms = 0;

	if (!json_is_object(c))
		return scenario_error(ctx, c, where,
		    "confirm must be an object");
	if (scenario_check_keys(ctx, c, where, keys) != 0 ||
	    scenario_int(ctx, c, "after_ms", where, 0, 3600000, &ms) != 0)
		return -1;
	if ((v = json_object_get(c, "expect")) != NULL && (!json_is_string(v) ||
	    (strcmp(json_string_value(v), "ask") != 0 &&
	    strcmp(json_string_value(v), "allow") != 0 &&
	    strcmp(json_string_value(v), "deny") != 0)))
		return scenario_error(ctx, c, where,
		    "confirm.expect must be \"ask\", \"allow\" or \"deny\"");
	if ((v = json_object_get(c, "auto")) != NULL && (!json_is_string(v) ||
	    (strcmp(json_string_value(v), "allow") != 0 &&
	    strcmp(json_string_value(v), "deny") != 0)))
		return scenario_error(ctx, c, where,
		    "confirm.auto must be \"allow\" or \"deny\"");
	if ((v = json_object_get(c, "deny_message")) != NULL &&
	    !json_is_string(v))
		return scenario_error(ctx, c, where,
		    "confirm.deny_message must be a string");
	return 0;
}

/* One entry of "blocks". */
static int
scenario_block_parse(struct scenario_ctx *ctx, const struct scenario_turn *t,
    json_t *o, const char *where, struct scenario_block *b)
{
	static const char *const tool_keys[] = { "tool", "input", "id",
	    "confirm", "expect", "on_deny", "on_error", "on_mismatch", NULL };
	static const char *const custom_keys[] = { "custom_tool", "input",
	    "id", "auto_result", NULL };
	static const char *const text_keys[] = { "text", NULL };
	static const char *const thinking_keys[] = { "thinking", NULL };
	static const char *const pause_keys[] = { "pause_ms", NULL };
	json_t	*v;
	int	 tool;

	b->on_deny = b->on_error = b->on_mismatch = -1;
	b->expect_is_error = -1;
	if (!json_is_object(o))
		return scenario_error(ctx, o, where,
		    "a block must be an object");
	if ((v = json_object_get(o, "text")) != NULL) {
		b->kind = SCENARIO_TEXT;
		if (scenario_check_keys(ctx, o, where, text_keys) != 0)
			return -1;
		return (b->text = scenario_text(ctx, v, where)) ? 0 : -1;
	}
	if ((v = json_object_get(o, "thinking")) != NULL) {
		b->kind = SCENARIO_THINKING;
		if (scenario_check_keys(ctx, o, where, thinking_keys) != 0)
			return -1;
		return (b->text = scenario_text(ctx, v, where)) ? 0 : -1;
	}
	if (json_object_get(o, "pause_ms") != NULL) {
		b->kind = SCENARIO_PAUSE;
		return scenario_check_keys(ctx, o, where, pause_keys) != 0 ||
		    scenario_int(ctx, o, "pause_ms", where, 0, 600000,
		    &b->pause_ms) != 0 ? -1 : 0;
	}
	tool = json_object_get(o, "tool") != NULL;
	if (!tool && json_object_get(o, "custom_tool") == NULL)
		return scenario_error(ctx, o, where, "a block needs one of "
		    "\"text\", \"thinking\", \"tool\", \"custom_tool\" or "
		    "\"pause_ms\"");
	b->kind = tool ? SCENARIO_TOOL : SCENARIO_CUSTOM_TOOL;
	if (scenario_check_keys(ctx, o, where,
	    tool ? tool_keys : custom_keys) != 0)
		return -1;
	v = json_object_get(o, tool ? "tool" : "custom_tool");
	if (!json_is_string(v) || json_string_length(v) == 0)
		return scenario_error(ctx, o, where, "the tool name must be a "
		    "non-empty string");
	b->name = xstrdup(json_string_value(v));
	if (!json_is_object(v = json_object_get(o, "input")))
		return scenario_error(ctx, o, where, "a tool block needs an "
		    "\"input\" object");
	b->input = json_deep_copy(v);
	if ((v = json_object_get(o, "id")) != NULL) {
		if (!json_is_string(v))
			return scenario_error(ctx, o, where,
			    "\"id\" must be a string");
		b->id = xstrdup(json_string_value(v));
	}
	if (!tool) {
		if ((v = json_object_get(o, "auto_result")) != NULL &&
		    (b->text = scenario_text(ctx, v, where)) == NULL)
			return -1;
		return 0;
	}
	if ((v = json_object_get(o, "confirm")) != NULL) {
		if (scenario_confirm_parse(ctx, v, where) != 0)
			return -1;
		b->confirm = json_deep_copy(v);
	}
	if ((v = json_object_get(o, "expect")) != NULL &&
	    scenario_expect_parse(ctx, v, where, b) != 0)
		return -1;
	if (scenario_jump(ctx, t, o, "on_deny", where, &b->on_deny) != 0 ||
	    scenario_jump(ctx, t, o, "on_error", where, &b->on_error) != 0 ||
	    scenario_jump(ctx, t, o, "on_mismatch", where,
	    &b->on_mismatch) != 0)
		return -1;
	return 0;
}

/* The "fail" injection of a response. */
static int
scenario_fail_parse(struct scenario_ctx *ctx, json_t *o, const char *where,
    struct scenario_fail **out)
{
	static const char *const keys[] = { "type", "message", "times",
	    "after_chars", "retry_after_ms", NULL };
	static const char *const types[] = { "model_overloaded_error",
	    "model_rate_limited_error", "model_request_failed_error",
	    "billing_error", NULL };
	struct scenario_fail	*f;
	json_t			*v;
	size_t			 i;

	if (!json_is_object(o))
		return scenario_error(ctx, o, where, "fail must be an object");
	if (scenario_check_keys(ctx, o, where, keys) != 0)
		return -1;
	v = json_object_get(o, "type");
	for (i = 0; types[i] != NULL; i++)
		if (json_is_string(v) &&
		    strcmp(json_string_value(v), types[i]) == 0)
			break;
	if (types[i] == NULL)
		return scenario_error(ctx, o, where, "fail.type must be one of "
		    "model_overloaded_error, model_rate_limited_error, "
		    "model_request_failed_error, billing_error");
	f = xcalloc(1, sizeof *f);
	*out = f;
	f->type = xstrdup(types[i]);
	f->times = 1;
	f->retry_after_ms = -1;
	v = json_object_get(o, "message");
	if (v != NULL && !json_is_string(v))
		return scenario_error(ctx, o, where,
		    "fail.message must be a string");
	f->message = xstrdup(v != NULL ? json_string_value(v) :
	    "injected failure (scenario)");
	return scenario_int(ctx, o, "times", where, 0, 1000, &f->times) != 0 ||
	    scenario_int(ctx, o, "after_chars", where, 0, INT_MAX,
	    &f->after_chars) != 0 ||
	    scenario_int(ctx, o, "retry_after_ms", where, 0, 600000,
	    &f->retry_after_ms) != 0 ? -1 : 0;
}

/* One response (model request) of a turn. */
static int
scenario_response_parse(struct scenario_ctx *ctx, struct scenario_turn *t,
    size_t ri, json_t *o, const char *where, const struct scenario_pace *pace)
{
	static const char *const keys[] = { "label", "blocks", "stop",
	    "refusal", "next", "usage", "fail", "pace", NULL };
	static const char *const stops[] = { "end_turn", "tool_use",
	    "max_tokens", "refusal", NULL };
	struct scenario_response	*r = &t->responses[ri];
	json_t				*blocks, *v;
	char				*w;
	size_t				 i;
	int				 tools = 0;

	r->pace = *pace;
	r->next = -1;
	if (!json_is_object(o))
		return scenario_error(ctx, o, where,
		    "a response must be an object");
	if (scenario_check_keys(ctx, o, where, keys) != 0)
		return -1;
	blocks = json_object_get(o, "blocks");
	if (!json_is_array(blocks) || json_array_size(blocks) == 0)
		return scenario_error(ctx, o, where,
		    "a response needs a non-empty \"blocks\" array");
	r->nblocks = json_array_size(blocks);
	r->blocks = xcalloc(r->nblocks, sizeof *r->blocks);
	json_array_foreach(blocks, i, v) {
		xasprintf(&w, "%s.blocks[%zu]", where, i);
		if (scenario_block_parse(ctx, t, v, w, &r->blocks[i]) != 0) {
			free(w);
			return -1;
		}
		free(w);
		if (r->blocks[i].kind == SCENARIO_TOOL ||
		    r->blocks[i].kind == SCENARIO_CUSTOM_TOOL)
			tools++;
	}
	if ((v = json_object_get(o, "stop")) != NULL) {
		for (i = 0; stops[i] != NULL; i++)
			if (json_is_string(v) &&
			    strcmp(json_string_value(v), stops[i]) == 0)
				break;
		if (stops[i] == NULL)
			return scenario_error(ctx, o, where, "stop must be one "
			    "of end_turn, tool_use, max_tokens, refusal");
		r->stop = xstrdup(stops[i]);
	} else
		r->stop = xstrdup(tools ? "tool_use" : "end_turn");
	if (strcmp(r->stop, "tool_use") == 0 && tools == 0)
		return scenario_error(ctx, o, where,
		    "stop \"tool_use\" without any tool block");
	if ((v = json_object_get(o, "refusal")) != NULL) {
		if (!json_is_object(v))
			return scenario_error(ctx, o, where,
			    "refusal must be an object");
		r->refusal = json_deep_copy(v);
	}
	if ((v = json_object_get(o, "usage")) != NULL) {
		if (!json_is_object(v))
			return scenario_error(ctx, o, where,
			    "usage must be an object");
		r->usage = json_deep_copy(v);
	}
	if ((v = json_object_get(o, "fail")) != NULL &&
	    scenario_fail_parse(ctx, v, where, &r->fail) != 0)
		return -1;
	if ((v = json_object_get(o, "pace")) != NULL &&
	    scenario_pace_parse(ctx, v, where, &r->pace) != 0)
		return -1;
	return scenario_jump(ctx, t, o, "next", where, &r->next);
}

/* One entry of "turns". */
static int
scenario_turn_parse(struct scenario_ctx *ctx, json_t *o, const char *where,
    struct scenario_turn *t, const struct scenario_pace *pace)
{
	static const char *const keys[] = { "user", "match", "responses",
	    NULL };
	json_t	*v, *responses;
	char	*w;
	size_t	 i;

	if (!json_is_object(o))
		return scenario_error(ctx, o, where,
		    "a turn must be an object");
	if (scenario_check_keys(ctx, o, where, keys) != 0)
		return -1;
	if ((v = json_object_get(o, "user")) != NULL &&
	    (t->user = scenario_text(ctx, v, where)) == NULL)
		return -1;
	if ((v = json_object_get(o, "match")) != NULL) {
		if (!json_is_string(v))
			return scenario_error(ctx, o, where,
			    "match must be a string");
		if (scenario_regex(ctx, o, where, json_string_value(v),
		    &t->match) != 0)
			return -1;
		t->has_match = 1;
	}
	responses = json_object_get(o, "responses");
	if (!json_is_array(responses) || json_array_size(responses) == 0)
		return scenario_error(ctx, o, where,
		    "a turn needs a non-empty \"responses\" array");
	t->nresponses = json_array_size(responses);
	t->responses = xcalloc(t->nresponses, sizeof *t->responses);
	/* Labels first, so jumps may point forward. */
	json_array_foreach(responses, i, v) {
		json_t	*label = json_object_get(v, "label");

		if (label == NULL)
			continue;
		if (!json_is_string(label))
			return scenario_error(ctx, v, where,
			    "label must be a string");
		if (scenario_label(t, json_string_value(label)) != -1)
			return scenario_error(ctx, v, where, "label \"%s\" is "
			    "used twice", json_string_value(label));
		t->responses[i].label = xstrdup(json_string_value(label));
	}
	json_array_foreach(responses, i, v) {
		xasprintf(&w, "%s.responses[%zu]", where, i);
		if (scenario_response_parse(ctx, t, i, v, w, pace) != 0) {
			free(w);
			return -1;
		}
		free(w);
	}
	return 0;
}

/* The "workspace" object: copy, files, setup. */
static int
scenario_workspace_parse(struct scenario_ctx *ctx, json_t *o,
    struct scenario *sc)
{
	static const char *const keys[] = { "copy", "files", "setup", NULL };
	const char	*key;
	json_t		*v, *f;
	char		*text;
	size_t		 i;

	sc->files = json_object();
	sc->setup = json_array();
	if (!json_is_object(o))
		return scenario_error(ctx, o, "workspace",
		    "workspace must be an object");
	if (scenario_check_keys(ctx, o, "workspace", keys) != 0)
		return -1;
	if ((v = json_object_get(o, "copy")) != NULL) {
		if (!json_is_string(v) || json_string_value(v)[0] == '/' ||
		    strstr(json_string_value(v), "..") != NULL)
			return scenario_error(ctx, o, "workspace", "copy must "
			    "be a relative directory without \"..\"");
		xasprintf(&sc->copy, "%s/%s", ctx->dir, json_string_value(v));
	}
	if ((v = json_object_get(o, "files")) != NULL) {
		if (!json_is_object(v))
			return scenario_error(ctx, o, "workspace",
			    "files must be an object");
		json_object_foreach(v, key, f) {
			if (key[0] == '\0' || key[0] == '/' ||
			    strstr(key, "..") != NULL)
				return scenario_error(ctx, v, "workspace.files",
				    "\"%s\" must be a relative path without "
				    "\"..\"", key);
			if ((text = scenario_text(ctx, f,
			    "workspace.files")) == NULL)
				return -1;
			json_object_set_new(sc->files, key, json_string(text));
			free(text);
		}
	}
	if ((v = json_object_get(o, "setup")) != NULL) {
		if (!json_is_array(v))
			return scenario_error(ctx, o, "workspace",
			    "setup must be an array of commands");
		json_array_foreach(v, i, f) {
			if (!json_is_string(f))
				return scenario_error(ctx, v, "workspace.setup",
				    "command %zu is not a string", i);
			json_array_append(sc->setup, f);
		}
	}
	return 0;
}

/* Validate the top level and build the scenario. */
static int
scenario_parse(struct scenario_ctx *ctx, json_t *root, struct scenario *sc)
{
	static const char *const keys[] = { "scenario", "version",
	    "description", "agent", "workspace", "pace", "strict", "turns",
	    NULL };
	struct scenario_pace	 pace = { 600, 80, 12, 0.25, 0 };
	json_t			*v, *turns;
	char			*w;
	size_t			 i;
	int			 version = 1;

	if (!json_is_object(root))
		return scenario_error(ctx, root, "top level",
		    "a scenario must be a JSON object");
	if (scenario_check_keys(ctx, root, "top level", keys) != 0)
		return -1;
	v = json_object_get(root, "scenario");
	if (!json_is_string(v) || json_string_length(v) == 0)
		return scenario_error(ctx, root, "top level",
		    "\"scenario\" (the name) is required");
	sc->name = xstrdup(json_string_value(v));
	if (scenario_int(ctx, root, "version", "top level", 1, 1,
	    &version) != 0)
		return -1;
	v = json_object_get(root, "description");
	if (v != NULL && !json_is_string(v))
		return scenario_error(ctx, root, "top level",
		    "description must be a string");
	sc->description = xstrdup(v != NULL ? json_string_value(v) : "");
	if ((v = json_object_get(root, "agent")) != NULL) {
		if (!json_is_object(v))
			return scenario_error(ctx, root, "top level",
			    "agent must be an object");
		sc->agent = json_deep_copy(v);
	}
	if ((v = json_object_get(root, "strict")) != NULL) {
		if (!json_is_boolean(v))
			return scenario_error(ctx, root, "top level",
			    "strict must be true or false");
		sc->strict = json_is_true(v);
	}
	if ((v = json_object_get(root, "pace")) != NULL &&
	    scenario_pace_parse(ctx, v, "pace", &pace) != 0)
		return -1;
	if ((v = json_object_get(root, "workspace")) != NULL) {
		if (scenario_workspace_parse(ctx, v, sc) != 0)
			return -1;
	} else {
		sc->files = json_object();
		sc->setup = json_array();
	}
	turns = json_object_get(root, "turns");
	if (!json_is_array(turns) || json_array_size(turns) == 0)
		return scenario_error(ctx, root, "top level",
		    "\"turns\" must be a non-empty array");
	sc->nturns = json_array_size(turns);
	sc->turns = xcalloc(sc->nturns, sizeof *sc->turns);
	json_array_foreach(turns, i, v) {
		xasprintf(&w, "turns[%zu]", i);
		if (scenario_turn_parse(ctx, v, w, &sc->turns[i], &pace) != 0) {
			free(w);
			return -1;
		}
		free(w);
	}
	return 0;
}

/* Load path: read it, then scenario_load_mem. */
struct scenario *
scenario_load(const char *path, char **cause)
{
	struct scenario	*sc;
	struct buf	 b;

	buf_init(&b, SCENARIO_MAX_FILE);
	if (io_read_file(path, SCENARIO_MAX_FILE, &b, cause) != 0) {
		buf_clear(&b);
		return NULL;
	}
	sc = scenario_load_mem(path, b.data != NULL ? b.data : "", b.len,
	    cause);
	buf_clear(&b);
	return sc;
}

/* Parse text as the file path with jansson, map lines, validate. */
struct scenario *
scenario_load_mem(const char *path, const char *data, size_t len,
    char **cause)
{
	struct scenario_ctx	 ctx;
	struct scenario		*sc;
	json_error_t		 jerr;
	json_t			*root;
	int			*lines;
	size_t			 nlines, pos = 0;
	char			*slash;

	if (len > SCENARIO_MAX_FILE) {
		xasprintf(cause, "%s: larger than %u bytes", path,
		    SCENARIO_MAX_FILE);
		return NULL;
	}
	root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		xasprintf(cause, "%s:%d:%d: %s", path, jerr.line, jerr.column,
		    jerr.text);
		return NULL;
	}
	memset(&ctx, 0, sizeof ctx);
	ctx.path = path;
	sc = xcalloc(1, sizeof *sc);
	sc->refs = 1;
	sc->path = xstrdup(path);
	sc->dir = xstrdup(path);
	if ((slash = strrchr(sc->dir, '/')) != NULL)
		*slash = '\0';
	else {
		free(sc->dir);
		sc->dir = xstrdup(".");
	}
	ctx.dir = sc->dir;
	scenario_lines_scan(data, len, &lines, &nlines);
	scenario_lines_walk(&ctx.lines, root, lines, nlines, &pos);
	free(lines);
	if (scenario_parse(&ctx, root, sc) != 0) {
		*cause = ctx.cause;
		scenario_free(sc);
		sc = NULL;
	}
	free(ctx.lines.ptr);
	free(ctx.lines.line);
	json_decref(root);
	return sc;
}

/* Take a reference. */
void
scenario_ref(struct scenario *sc)
{
	__atomic_add_fetch(&sc->refs, 1, __ATOMIC_SEQ_CST);
}

/* Drop a reference; the last one frees. */
void
scenario_unref(struct scenario *sc)
{
	if (sc != NULL && __atomic_sub_fetch(&sc->refs, 1,
	    __ATOMIC_SEQ_CST) == 0)
		scenario_free(sc);
}

/* Free everything a scenario owns. */
static void
scenario_free(struct scenario *sc)
{
	for (size_t i = 0; i < sc->nturns; i++) {
		struct scenario_turn	*t = &sc->turns[i];

		for (size_t j = 0; j < t->nresponses; j++) {
			struct scenario_response	*r = &t->responses[j];

			for (size_t k = 0; k < r->nblocks; k++) {
				struct scenario_block	*b = &r->blocks[k];

				free(b->text);
				free(b->name);
				free(b->id);
				free(b->expect_contains);
				if (b->has_expect_matches)
					regfree(&b->expect_matches);
				json_decref(b->input);
				json_decref(b->confirm);
			}
			free(r->blocks);
			free(r->label);
			free(r->stop);
			json_decref(r->refusal);
			json_decref(r->usage);
			if (r->fail != NULL) {
				free(r->fail->type);
				free(r->fail->message);
				free(r->fail);
			}
		}
		free(t->responses);
		free(t->user);
		if (t->has_match)
			regfree(&t->match);
	}
	free(sc->turns);
	free(sc->name);
	free(sc->path);
	free(sc->dir);
	free(sc->description);
	free(sc->copy);
	json_decref(sc->agent);
	json_decref(sc->files);
	json_decref(sc->setup);
	free(sc);
}

/* A set searching dirs in order. */
struct scenario_set *
scenario_set_create(const char *const *dirs, size_t n)
{
	struct scenario_set	*set;

	set = xcalloc(1, sizeof *set);
	pthread_mutex_init(&set->lock, NULL);
	for (size_t i = 0; i < n && set->ndirs < SCENARIO_MAX_DIRS; i++)
		if (dirs[i] != NULL)
			set->dirs[set->ndirs++] = xstrdup(dirs[i]);
	return set;
}

/* Free the set and drop its cached scenarios. */
void
scenario_set_free(struct scenario_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->ncache; i++) {
		scenario_unref(set->cache[i].sc);
		free(set->cache[i].path);
	}
	free(set->cache);
	for (size_t i = 0; i < set->ndirs; i++)
		free(set->dirs[i]);
	pthread_mutex_destroy(&set->lock);
	free(set);
}

/* Names are plain file names: letters, digits, "-", "_" and ".". */
static int
scenario_name_ok(const char *name)
{
	if (*name == '\0' || *name == '.' || strlen(name) > 128)
		return 0;
	for (const char *p = name; *p != '\0'; p++)
		if (!(*p >= 'a' && *p <= 'z') && !(*p >= 'A' && *p <= 'Z') &&
		    !(*p >= '0' && *p <= '9') && *p != '-' && *p != '_' &&
		    *p != '.')
			return 0;
	return 1;
}

/* The first DIR/NAME.json that exists.  Caller frees. */
char *
scenario_set_find(struct scenario_set *set, const char *name)
{
	struct stat	 sb;
	char		*path;

	if (!scenario_name_ok(name))
		return NULL;
	for (size_t i = 0; i < set->ndirs; i++) {
		xasprintf(&path, "%s/%s.json", set->dirs[i], name);
		if (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))
			return path;
		free(path);
	}
	return NULL;
}

/* Find, load (or reuse the cached copy if the file is unchanged). */
struct scenario *
scenario_set_get(struct scenario_set *set, const char *name, char **cause)
{
	struct scenario_cached	*c = NULL;
	struct scenario		*sc;
	struct stat		 sb;
	char			*path;

	if (!scenario_name_ok(name)) {
		xasprintf(cause, "\"%s\" is not a valid scenario name", name);
		return NULL;
	}
	if ((path = scenario_set_find(set, name)) == NULL) {
		xasprintf(cause, "no scenario \"%s\" (looked for %s.json in "
		    "%zu scenario directories; see pilothouse serve "
		    "--scenarios)", name, name, set->ndirs);
		return NULL;
	}
	if (stat(path, &sb) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	pthread_mutex_lock(&set->lock);
	for (size_t i = 0; i < set->ncache; i++)
		if (strcmp(set->cache[i].path, path) == 0)
			c = &set->cache[i];
	if (c != NULL && c->size == sb.st_size &&
	    c->mtime.tv_sec == sb.st_mtim.tv_sec &&
	    c->mtime.tv_nsec == sb.st_mtim.tv_nsec) {
		sc = c->sc;
		scenario_ref(sc);
		pthread_mutex_unlock(&set->lock);
		free(path);
		return sc;
	}
	if ((sc = scenario_load(path, cause)) == NULL) {
		pthread_mutex_unlock(&set->lock);
		free(path);
		return NULL;
	}
	if (strcmp(sc->name, name) != 0) {
		xasprintf(cause, "%s: the file says \"scenario\": \"%s\", but "
		    "its name is \"%s\"", path, sc->name, name);
		scenario_unref(sc);
		pthread_mutex_unlock(&set->lock);
		free(path);
		return NULL;
	}
	if (c == NULL) {
		set->cache = xreallocarray(set->cache, set->ncache + 1,
		    sizeof *set->cache);
		c = &set->cache[set->ncache++];
		c->path = path;
	} else {
		scenario_unref(c->sc);
		free(path);
	}
	c->sc = sc;
	c->size = sb.st_size;
	c->mtime = sb.st_mtim;
	scenario_ref(sc);
	pthread_mutex_unlock(&set->lock);
	return sc;
}

/* "scenarios/fix-mean.json" or "fix-mean" gives "fix-mean". */
char *
scenario_name_from_ref(const char *ref)
{
	const char	*base;
	size_t		 len;

	base = strrchr(ref, '/');
	base = base != NULL ? base + 1 : ref;
	len = strlen(base);
	if (len > 5 && strcmp(base + len - 5, ".json") == 0)
		len -= 5;
	return xstrndup(base, len);
}
