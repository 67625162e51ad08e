/* ISC licence: see COPYING.  The toolset: dispatch, results, schemas. */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/log.h"
#include "base/utf8.h"
#include "base/xmalloc.h"
#include "harness/tool.h"
#include "harness/tool_impl.h"

/* Every tool of agent_toolset_20260401, in the order the API lists them. */
static const struct {
	const char	*name;
	tool_run_fn	 run;		/* NULL: needs the network */
	const char	*description;
	const char	*schema;	/* input_schema as JSON */
} toolset[] = {
	{ "bash", tool_bash_run,
	  "Run a bash command in a persistent shell. State (cwd, env vars) "
	  "persists across calls.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"command\":{\"type\":\"string\",\"description\":"
	  "\"The command to run\"},"
	  "\"restart\":{\"type\":\"boolean\",\"description\":"
	  "\"Restart the persistent shell before running\"},"
	  "\"timeout_ms\":{\"type\":\"integer\",\"description\":"
	  "\"Per-call timeout in milliseconds\"}}}" },
	{ "read", tool_read_run,
	  "Read a UTF-8 text file relative to the workdir.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"file_path\":{\"type\":\"string\"},"
	  "\"view_range\":{\"type\":\"array\",\"items\":{\"type\":"
	  "\"integer\"},\"description\":"
	  "\"[start_line, end_line] 1-indexed inclusive\"}},"
	  "\"required\":[\"file_path\"]}" },
	{ "write", tool_write_run,
	  "Write a UTF-8 text file relative to the workdir, creating parent "
	  "directories as needed.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"file_path\":{\"type\":\"string\"},"
	  "\"content\":{\"type\":\"string\"}},"
	  "\"required\":[\"file_path\",\"content\"]}" },
	{ "edit", tool_edit_run,
	  "Replace old_string with new_string in a file. old_string must be "
	  "unique unless replace_all.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"file_path\":{\"type\":\"string\"},"
	  "\"old_string\":{\"type\":\"string\"},"
	  "\"new_string\":{\"type\":\"string\"},"
	  "\"replace_all\":{\"type\":\"boolean\"}},"
	  "\"required\":[\"file_path\",\"old_string\",\"new_string\"]}" },
	{ "glob", tool_glob_run,
	  "Match files under the workdir against a glob pattern. Results are "
	  "mtime-sorted, newest first.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"pattern\":{\"type\":\"string\"},"
	  "\"path\":{\"type\":\"string\",\"description\":"
	  "\"Directory to search in. Defaults to the workdir.\"}},"
	  "\"required\":[\"pattern\"]}" },
	{ "grep", tool_grep_run,
	  "Search file contents for a regex. Uses ripgrep if available, "
	  "otherwise a built-in walker.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"pattern\":{\"type\":\"string\"},"
	  "\"path\":{\"type\":\"string\"}},"
	  "\"required\":[\"pattern\"]}" },
	{ "web_fetch", NULL,
	  "Fetch the content of a URL.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"url\":{\"type\":\"string\"}},\"required\":[\"url\"]}" },
	{ "web_search", NULL,
	  "Search the web.",
	  "{\"type\":\"object\",\"properties\":{"
	  "\"query\":{\"type\":\"string\"}},\"required\":[\"query\"]}" },
};

/* The toolset entry called name, or -1. */
static int
toolset_find(const char *name)
{
	for (size_t i = 0; i < AD_NITEMS(toolset); i++)
		if (strcmp(toolset[i].name, name) == 0)
			return (int)i;
	return -1;
}

/* Non-zero for the eight toolset names. */
int
toolset_is_builtin(const char *name)
{
	return toolset_find(name) != -1;
}

/* Non-zero for the six tools that run offline. */
int
toolset_runs_offline(const char *name)
{
	int	i = toolset_find(name);

	return i != -1 && toolset[i].run != NULL;
}

/* {name, description, input_schema}; NULL for unknown names. */
json_t *
toolset_schema(const char *name)
{
	json_error_t	 err;
	json_t		*schema;
	int		 i;

	if ((i = toolset_find(name)) == -1)
		return NULL;
	if ((schema = json_loads(toolset[i].schema, 0, &err)) == NULL)
		fatalx("toolset_schema %s: %s", name, err.text);
	return json_pack("{s:s, s:s, s:o}", "name", toolset[i].name,
	    "description", toolset[i].description, "input_schema", schema);
}

/*
 * Check an environment's networking config.  The sandbox has no network
 * (its own namespace with only lo), so "limited" with nothing allowed is
 * honoured exactly and everything else is refused.
 */
static int
toolbox_networking(json_t *net, char **cause)
{
	const char	*type;
	json_t		*hosts;
	char		*text;

	if (net == NULL || json_is_null(net))
		return 0;
	type = json_string_value(json_object_get(net, "type"));
	hosts = json_object_get(net, "allowed_hosts");
	if (type != NULL && strcmp(type, "limited") == 0 &&
	    (hosts == NULL || (json_is_array(hosts) &&
	    json_array_size(hosts) == 0)) &&
	    !json_is_true(json_object_get(net, "allow_mcp_servers")) &&
	    !json_is_true(json_object_get(net, "allow_package_managers")))
		return 0;
	text = json_dumps(net, JSON_COMPACT|JSON_ENCODE_ANY);
	xasprintf(cause, "environment networking %s cannot be honoured: the "
	    "local harness's sandbox has no network access (offline); use "
	    "{\"type\":\"limited\",\"allowed_hosts\":[]} for local sessions",
	    text != NULL ? text : "?");
	free(text);
	return -1;
}

/* Open (creating if needed) the workspace and the sandbox. */
struct toolbox *
toolbox_create(const struct toolbox_config *cfg, char **cause)
{
	struct toolbox		*tb;
	struct sandbox_config	 sc;

	if (toolbox_networking(cfg->networking, cause) != 0)
		return NULL;
	if (cfg->workspace == NULL || *cfg->workspace == '\0') {
		xasprintf(cause, "no workspace directory given");
		return NULL;
	}
	tb = xcalloc(1, sizeof *tb);
	tb->wsfd = -1;
	tb->max_file = TOOL_MAX_FILE;
	memset(&sc, 0, sizeof sc);
	sc.workspace = cfg->workspace;
	sc.uid = cfg->sandbox_uid;
	sc.gid = cfg->sandbox_gid;
	sc.unsafe_no_sandbox = cfg->unsafe_no_sandbox;
	if ((tb->sb = sandbox_create(&sc, cause)) == NULL)
		goto fail;
	if ((tb->workspace = realpath(cfg->workspace, NULL)) == NULL ||
	    (tb->wsfd = open(tb->workspace, O_PATH|O_DIRECTORY|O_CLOEXEC)) ==
	    -1) {
		xasprintf(cause, "workspace %s: %s", cfg->workspace,
		    strerror(errno));
		goto fail;
	}
	tb->root = sandbox_root(tb->sb);
	sandbox_identity(tb->sb, &tb->owner.uid, &tb->owner.gid);
	tb->owner.chown = geteuid() == 0 && tb->owner.uid != 0;
	if (!cfg->unsafe_no_sandbox && sandbox_probe(tb->sb, cause) != 0)
		goto fail;
	return tb;

fail:
	toolbox_free(tb);
	return NULL;
}

/* Free the toolbox (the workspace stays). */
void
toolbox_free(struct toolbox *tb)
{
	if (tb == NULL)
		return;
	sandbox_free(tb->sb);
	if (tb->wsfd != -1)
		close(tb->wsfd);
	free(tb->workspace);
	free(tb->cwd);
	free(tb->env);
	free(tb);
}

/* The workspace's host path. */
const char *
toolbox_workspace(const struct toolbox *tb)
{
	return tb->workspace;
}

/* Append bytes (NULs included) to an unbounded buffer. */
void
tool_emit_mem(struct buf *b, const void *p, size_t len)
{
	if (buf_append(b, p, len) != 0)
		fatalx("tool: buffer overflow");
}

/* Free a result's text. */
void
tool_result_clear(struct tool_result *r)
{
	free(r->text);
	r->text = NULL;
	r->len = 0;
	r->is_error = 0;
}

/* Set a result from len bytes. */
static void
tool_set(struct tool_result *r, int is_error, const char *text, size_t len)
{
	free(r->text);
	r->is_error = is_error;
	r->text = xmalloc(len + 1);
	memcpy(r->text, text, len);
	r->text[len] = '\0';
	r->len = len;
}

/* Success with text. */
void
tool_ok(struct tool_result *r, const char *text, size_t len)
{
	tool_set(r, 0, text, len);
}

/* Success with the contents of b, which is emptied. */
void
tool_ok_buf(struct tool_result *r, struct buf *b)
{
	tool_set(r, 0, buf_cstr(b), b->len);
	buf_clear(b);
}

/* Set a result from a format. */
static void
tool_vset(struct tool_result *r, int is_error, const char *fmt, va_list ap)
{
	char	*s;
	int	 n;

	n = xvasprintf(&s, fmt, ap);
	tool_set(r, is_error, s, (size_t)n);
	free(s);
}

/* A formatted success result. */
void
tool_okf(struct tool_result *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tool_vset(r, 0, fmt, ap);
	va_end(ap);
}

/* An error result. */
void
tool_fail(struct tool_result *r, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	tool_vset(r, 1, fmt, ap);
	va_end(ap);
}

/* An error result from the contents of b, which is emptied. */
void
tool_fail_buf(struct tool_result *r, struct buf *b)
{
	tool_set(r, 1, buf_cstr(b), b->len);
	buf_clear(b);
}

/* Read a string input (see tool_impl.h). */
int
tool_input_string(json_t *in, const char *tool, const char *key,
    const char **s, size_t *len, struct tool_result *r)
{
	json_t	*v = json_object_get(in, key);

	*s = NULL;
	*len = 0;
	if (v == NULL || json_is_null(v))
		return 1;
	if (!json_is_string(v)) {
		tool_fail(r, "%s: %s must be a string", tool, key);
		return -1;
	}
	*s = json_string_value(v);
	*len = json_string_length(v);
	return 0;
}

/* JavaScript truthiness: false, 0, "" and null (or absent) are false. */
int
tool_input_truthy(json_t *in, const char *key)
{
	json_t	*v = json_object_get(in, key);

	if (v == NULL)
		return 0;
	switch (json_typeof(v)) {
	case JSON_TRUE:
	case JSON_OBJECT:
	case JSON_ARRAY:
		return 1;
	case JSON_STRING:
		return json_string_length(v) > 0;
	case JSON_INTEGER:
		return json_integer_value(v) != 0;
	case JSON_REAL:
		return json_real_value(v) != 0;
	default:
		return 0;
	}
}

/* The reference's fixed wording for an errno (fsErrorMessage). */
const char *
tool_errno_text(int err)
{
	static __thread char	other[64];

	switch (err) {
	case ENOENT:
		return "no such file or directory";
	case EACCES:
	case EPERM:
		return "permission denied";
	case ENOTDIR:
		return "not a directory";
	case EISDIR:
		return "is a directory";
	case ELOOP:
		return "too many levels of symbolic links";
	case ENAMETOOLONG:
		return "file name too long";
	case ENOSPC:
	case EDQUOT:
		return "no space left on device";
	case EMFILE:
	case ENFILE:
		return "too many open files";
	default:
		snprintf(other, sizeof other, "i/o error (%s)",
		    strerrorname_np(err) != NULL ? strerrorname_np(err) :
		    "EIO");
		return other;
	}
}

/* Resolve a model-given path (see tool_impl.h). */
int
tool_resolve(struct toolbox *tb, const char *p, size_t len, int flags,
    struct wspath *wp, struct tool_result *r)
{
	struct buf	 b;
	char		*rel;
	int		 error;

	buf_init(&b, BUF_UNBOUNDED);
	if (memchr(p, '\0', len) != NULL)
		error = EILSEQ;
	else if ((error = wspath_normalize(p, len, tb->root, &rel)) == 0) {
		error = wspath_resolve(tb->wsfd, tb->root, rel, flags,
		    &tb->owner, wp);
		free(rel);
		/* Missing pieces are the tool's to report, as in Node. */
		if (error == ENOENT || error == ENOTDIR) {
			buf_clear(&b);
			return error;
		}
	}
	if (error == 0) {
		buf_clear(&b);
		return 0;
	}
	buf_xprintf(&b, "%s", "path ");
	tool_quote(&b, p, len);
	if (error == EXDEV)
		buf_xprintf(&b, "%s", " is outside the session's working "
		    "directory");
	else if (error == EILSEQ)
		buf_xprintf(&b, "%s", " contains a NUL byte");
	else
		buf_xprintf(&b, ": %s", tool_errno_text(error));
	tool_fail_buf(r, &b);
	return -1;
}

/* glob's and grep's root: path, or the workspace itself. */
int
tool_search_root(struct toolbox *tb, const char *p, size_t len,
    struct wspath *wp, struct tool_result *r)
{
	if (p == NULL || len == 0)
		return tool_resolve(tb, ".", 1, 0, wp, r);
	return tool_resolve(tb, p, len, 0, wp, r);
}

/* "/workspace" + "/" + canon. */
void
tool_visible_path(const struct toolbox *tb, const char *canon,
    struct buf *b)
{
	buf_xprintf(b, "%s", tb->root);
	if (*canon != '\0')
		buf_xprintf(b, "/%s", canon);
}

/* JSON.stringify for a string. */
void
tool_quote(struct buf *b, const char *s, size_t len)
{
	int	rv = buf_putc(b, '"');

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		switch (c) {
		case '"':
			rv |= buf_puts(b, "\\\"");
			break;
		case '\\':
			rv |= buf_puts(b, "\\\\");
			break;
		case '\b':
			rv |= buf_puts(b, "\\b");
			break;
		case '\f':
			rv |= buf_puts(b, "\\f");
			break;
		case '\n':
			rv |= buf_puts(b, "\\n");
			break;
		case '\r':
			rv |= buf_puts(b, "\\r");
			break;
		case '\t':
			rv |= buf_puts(b, "\\t");
			break;
		default:
			if (c < 0x20)
				rv |= buf_printf(b, "\\u%04x", c);
			else
				rv |= buf_putc(b, c);
		}
	}
	rv |= buf_putc(b, '"');
	if (rv != 0)
		fatalx("tool_quote: buffer overflow");
}

/* UTF-16 length of valid UTF-8. */
size_t
tool_utf16_len(const char *s, size_t len)
{
	size_t	n = 0;

	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if ((c & 0xc0) != 0x80)
			n += c >= 0xf0 ? 2 : 1;
	}
	return n;
}

/*
 * Append s as well-formed UTF-8: each maximal invalid subpart becomes one
 * U+FFFD (the WHATWG decoder's rule, which Node follows).
 */
void
tool_utf8_append(struct buf *b, const char *s, size_t len)
{
	static const char	 fffd[] = "\xef\xbf\xbd";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, j, run = 0;
	int			 need, k;
	unsigned char		 lo, hi;

	while (i < len) {
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		need = 0;
		lo = 0x80;
		hi = 0xbf;
		if (p[i] >= 0xc2 && p[i] <= 0xdf)
			need = 1;
		else if (p[i] >= 0xe0 && p[i] <= 0xef) {
			need = 2;
			if (p[i] == 0xe0)
				lo = 0xa0;
			else if (p[i] == 0xed)
				hi = 0x9f;
		} else if (p[i] >= 0xf0 && p[i] <= 0xf4) {
			need = 3;
			if (p[i] == 0xf0)
				lo = 0x90;
			else if (p[i] == 0xf4)
				hi = 0x8f;
		}
		j = i + 1;
		for (k = 0; k < need && j < len && p[j] >= lo && p[j] <= hi;
		    k++) {
			j++;
			lo = 0x80;
			hi = 0xbf;
		}
		if (need > 0 && k == need) {
			i = j;
			continue;
		}
		if (buf_append(b, s + run, i - run) != 0 ||
		    buf_append(b, fffd, 3) != 0)
			fatalx("tool_utf8_append: buffer overflow");
		i = need > 0 ? j : i + 1;
		run = i;
	}
	if (buf_append(b, s + run, len - run) != 0)
		fatalx("tool_utf8_append: buffer overflow");
}

/*
 * Run one tool.  The result envelope is the SDK session runner's: text is
 * made well-formed UTF-8 and an empty text becomes "(no output)".
 */
int
toolbox_run(struct toolbox *tb, const char *name, json_t *input,
    struct cancel *cancel, struct tool_result *r, char **cause)
{
	struct buf	 b;
	int		 i;

	memset(r, 0, sizeof *r);
	if ((i = toolset_find(name)) == -1) {
		tool_fail(r, "Error: unknown tool \"%s\"", name);
		return 0;
	}
	if (toolset[i].run == NULL) {
		tool_fail(r, "%s: unavailable — the local harness has no "
		    "network access", name);
		return 0;
	}
	if (!json_is_object(input)) {
		tool_fail(r, "Error: the input of %s must be a JSON object",
		    name);
		return 0;
	}
	if (toolset[i].run(tb, input, cancel, r, cause) != 0) {
		tool_result_clear(r);
		return -1;
	}
	if (r->text == NULL || r->len == 0) {
		tool_set(r, r->is_error, "(no output)", 11);
		return 0;
	}
	if (!utf8_valid(r->text, r->len)) {
		buf_init(&b, BUF_UNBOUNDED);
		tool_utf8_append(&b, r->text, r->len);
		tool_set(r, r->is_error, buf_cstr(&b), b.len);
		buf_clear(&b);
	}
	return 0;
}
