/* ISC licence: see COPYING.  Tool configuration and permission policies. */

#include "config.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/xmalloc.h"
#include "harness/hjson.h"
#include "harness/policy.h"
#include "harness/tool.h"

#define POLICY_MAX_TOOLS	256
#define POLICY_MAX_DOMAINS	64

/* The built-in toolset, in the order the API lists it. */
static const char *const policy_builtins[] = {
	"bash", "read", "write", "edit", "glob", "grep", "web_fetch",
	"web_search"
};

/* Report a path-named error. */
static AD_PRINTFLIKE(3, 4) int
policy_error(char **cause, const char *where, const char *fmt, ...)
{
	va_list	 ap;
	char	*msg;

	va_start(ap, fmt);
	xvasprintf(&msg, fmt, ap);
	va_end(ap);
	xasprintf(cause, "%s: %s", where, msg);
	free(msg);
	return -1;
}

/* A permission_policy value: NULL/null means the default.  New ref. */
static json_t *
policy_policy(json_t *v, const char *dflt, const char *where, char **cause)
{
	const char	*t;

	if (v == NULL || json_is_null(v))
		return json_pack("{ss}", "type", dflt);
	t = hjson_str(v, "type");
	if (!json_is_object(v) || t == NULL || json_object_size(v) != 1 ||
	    (strcmp(t, "always_allow") != 0 && strcmp(t, "always_ask") != 0 &&
	    strcmp(t, "auto") != 0)) {
		policy_error(cause, where, "permission_policy must be "
		    "{\"type\": \"always_allow\" | \"always_ask\" | \"auto\"}");
		return NULL;
	}
	return json_pack("{ss}", "type", t);
}

/* enabled: a boolean, null or absent (the default). */
static int
policy_enabled(json_t *v, int dflt, const char *where, char **cause, int *out)
{
	if (v == NULL || json_is_null(v))
		*out = dflt;
	else if (json_is_boolean(v))
		*out = json_is_true(v);
	else
		return policy_error(cause, where, "enabled must be a boolean");
	return 0;
}

/* Reject keys outside the list. */
static int
policy_keys(json_t *obj, const char *where, char **cause,
    const char *const *allowed)
{
	const char	*key;
	json_t		*v;

	json_object_foreach(obj, key, v) {
		size_t	i;

		for (i = 0; allowed[i] != NULL; i++)
			if (strcmp(key, allowed[i]) == 0)
				break;
		if (allowed[i] == NULL)
			return policy_error(cause, where,
			    "unknown field \"%s\"", key);
	}
	return 0;
}

/* A default_config object resolved against the toolset's default policy. */
static json_t *
policy_default_config(json_t *v, const char *dflt, const char *where,
    char **cause)
{
	static const char *const keys[] = { "enabled", "permission_policy",
	    NULL };
	json_t	*pp;
	int	 enabled = 0;

	if (v != NULL && !json_is_null(v) && !json_is_object(v)) {
		policy_error(cause, where, "default_config must be an object");
		return NULL;
	}
	if (v != NULL && json_is_object(v) && policy_keys(v, where, cause,
	    keys) != 0)
		return NULL;
	if (policy_enabled(json_object_get(v, "enabled"), 1, where, cause,
	    &enabled) != 0)
		return NULL;
	if ((pp = policy_policy(json_object_get(v, "permission_policy"), dflt,
	    where, cause)) == NULL)
		return NULL;
	return json_pack("{sbso}", "enabled", enabled, "permission_policy", pp);
}

/* Domain lists of web_fetch / web_search configs. */
static int
policy_domains(json_t *c, const char *where, char **cause)
{
	json_t	*a = json_object_get(c, "allowed_domains");
	json_t	*b = json_object_get(c, "blocked_domains");
	json_t	*lists[2] = { a, b }, *d;
	size_t	 i;

	if (a != NULL && b != NULL)
		return policy_error(cause, where, "allowed_domains and "
		    "blocked_domains cannot both be set");
	for (int k = 0; k < 2; k++) {
		if (lists[k] == NULL)
			continue;
		if (!json_is_array(lists[k]) ||
		    json_array_size(lists[k]) == 0 ||
		    json_array_size(lists[k]) > POLICY_MAX_DOMAINS)
			return policy_error(cause, where, "a domain list must "
			    "hold 1 to %d strings", POLICY_MAX_DOMAINS);
		json_array_foreach(lists[k], i, d)
			if (!json_is_string(d))
				return policy_error(cause, where,
				    "domains must be strings");
	}
	return 0;
}

/* Resolve one agent_toolset_20260401 entry. */
static json_t *
policy_toolset(json_t *in, const char *where, char **cause)
{
	static const char *const keys[] = { "type", "default_config",
	    "configs", NULL };
	static const char *const cfg_keys[] = { "name", "type", "enabled",
	    "permission_policy", "allowed_domains", "blocked_domains",
	    "max_content_tokens", "url_sources", "user_location", NULL };
	json_t	*dc, *configs, *given[AD_NITEMS(policy_builtins)] = { NULL };
	json_t	*out, *c;
	char	*w;
	size_t	 i, k;

	if (policy_keys(in, where, cause, keys) != 0)
		return NULL;
	if ((dc = policy_default_config(json_object_get(in, "default_config"),
	    "always_allow", where, cause)) == NULL)
		return NULL;
	configs = json_object_get(in, "configs");
	if (configs != NULL && !json_is_null(configs) &&
	    !json_is_array(configs)) {
		json_decref(dc);
		policy_error(cause, where, "configs must be an array");
		return NULL;
	}
	json_array_foreach(configs, i, c) {
		const char	*name = hjson_str(c, "name");

		xasprintf(&w, "%s.configs[%zu]", where, i);
		for (k = 0; name != NULL && k < AD_NITEMS(policy_builtins); k++)
			if (strcmp(name, policy_builtins[k]) == 0)
				break;
		if (!json_is_object(c) || name == NULL ||
		    k == AD_NITEMS(policy_builtins)) {
			policy_error(cause, w, "name must be one of bash, "
			    "read, write, edit, glob, grep, web_fetch, "
			    "web_search");
			goto fail;
		}
		if (given[k] != NULL) {
			policy_error(cause, w, "%s is configured twice", name);
			goto fail;
		}
		if (policy_keys(c, w, cause, cfg_keys) != 0)
			goto fail;
		if (json_object_get(c, "type") != NULL &&
		    !hjson_str_is(c, "type", name)) {
			policy_error(cause, w, "type must equal name");
			goto fail;
		}
		if (policy_domains(c, w, cause) != 0)
			goto fail;
		given[k] = c;
		free(w);
	}
	out = json_pack("{ssso}", "type", "agent_toolset_20260401",
	    "default_config", dc);
	configs = json_array();
	for (k = 0; k < AD_NITEMS(policy_builtins); k++) {
		const char	*name = policy_builtins[k];
		json_t		*r, *pp;
		int		 enabled = 0;

		c = given[k];
		xasprintf(&w, "%s.configs.%s", where, name);
		if (policy_enabled(json_object_get(c, "enabled"),
		    json_is_true(json_object_get(dc, "enabled")), w, cause,
		    &enabled) != 0 || (pp = policy_policy(json_object_get(c,
		    "permission_policy"), hjson_str(json_object_get(dc,
		    "permission_policy"), "type"), w, cause)) == NULL) {
			json_decref(configs);
			json_decref(out);
			free(w);
			return NULL;
		}
		free(w);
		r = json_pack("{sssssbso}", "type", name, "name", name,
		    "enabled", enabled, "permission_policy", pp);
		if (strcmp(name, "web_fetch") == 0) {
			json_object_set(r, "url_sources", c != NULL &&
			    json_object_get(c, "url_sources") != NULL ?
			    json_object_get(c, "url_sources") : json_null());
			if (c != NULL && json_object_get(c,
			    "max_content_tokens") != NULL)
				json_object_set(r, "max_content_tokens",
				    json_object_get(c, "max_content_tokens"));
		}
		if (strcmp(name, "web_search") == 0 && c != NULL &&
		    json_object_get(c, "user_location") != NULL)
			json_object_set(r, "user_location",
			    json_object_get(c, "user_location"));
		if (c != NULL && json_object_get(c, "allowed_domains") != NULL)
			json_object_set(r, "allowed_domains",
			    json_object_get(c, "allowed_domains"));
		if (c != NULL && json_object_get(c, "blocked_domains") != NULL)
			json_object_set(r, "blocked_domains",
			    json_object_get(c, "blocked_domains"));
		json_array_append_new(configs, r);
	}
	json_object_set_new(out, "configs", configs);
	return out;
fail:
	free(w);
	json_decref(dc);
	return NULL;
}

/* Resolve one mcp_toolset entry; its server must be declared. */
static json_t *
policy_mcp_toolset(json_t *in, json_t *servers, const char *where,
    char **cause)
{
	static const char *const keys[] = { "type", "mcp_server_name",
	    "default_config", "configs", NULL };
	static const char *const cfg_keys[] = { "name", "enabled",
	    "permission_policy", NULL };
	const char	*server = hjson_str(in, "mcp_server_name");
	json_t		*dc, *configs, *out, *c, *s;
	char		*w;
	size_t		 i;
	int		 found = 0;

	if (policy_keys(in, where, cause, keys) != 0)
		return NULL;
	if (server == NULL) {
		policy_error(cause, where, "mcp_server_name is required");
		return NULL;
	}
	json_array_foreach(servers, i, s)
		if (hjson_str_is(s, "name", server))
			found = 1;
	if (!found) {
		policy_error(cause, where, "no MCP server named \"%s\" in "
		    "mcp_servers", server);
		return NULL;
	}
	if ((dc = policy_default_config(json_object_get(in, "default_config"),
	    "always_ask", where, cause)) == NULL)
		return NULL;
	out = json_pack("{ssssso}", "type", "mcp_toolset", "mcp_server_name",
	    server, "default_config", dc);
	configs = json_array();
	json_object_set_new(out, "configs", configs);
	json_array_foreach(json_object_get(in, "configs"), i, c) {
		json_t	*pp;
		int	 enabled = 0;

		xasprintf(&w, "%s.configs[%zu]", where, i);
		if (!json_is_object(c) || hjson_str(c, "name") == NULL ||
		    policy_keys(c, w, cause, cfg_keys) != 0 ||
		    policy_enabled(json_object_get(c, "enabled"),
		    json_is_true(json_object_get(dc, "enabled")), w, cause,
		    &enabled) != 0 || (pp = policy_policy(json_object_get(c,
		    "permission_policy"), hjson_str(json_object_get(dc,
		    "permission_policy"), "type"), w, cause)) == NULL) {
			if (*cause == NULL)
				policy_error(cause, w, "a config needs a name");
			free(w);
			json_decref(out);
			return NULL;
		}
		free(w);
		json_array_append_new(configs, json_pack("{sssbso}", "name",
		    hjson_str(c, "name"), "enabled", enabled,
		    "permission_policy", pp));
	}
	return out;
}

/* Custom tool names: 1-128 of [A-Za-z0-9_-]. */
static int
policy_custom_name_ok(const char *name)
{
	size_t	len = strlen(name);

	if (len == 0 || len > 128)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' &&
		    name[i] != '-')
			return 0;
	return 1;
}

/* Validate one custom tool entry.  New reference. */
static json_t *
policy_custom(json_t *in, const char *where, char **cause)
{
	static const char *const keys[] = { "type", "name", "description",
	    "input_schema", NULL };
	const char	*name = hjson_str(in, "name");
	json_t		*schema = json_object_get(in, "input_schema");

	if (policy_keys(in, where, cause, keys) != 0)
		return NULL;
	if (name == NULL || !policy_custom_name_ok(name)) {
		policy_error(cause, where, "name must be 1-128 characters of "
		    "letters, digits, \"_\" and \"-\"");
		return NULL;
	}
	if (toolset_is_builtin(name)) {
		policy_error(cause, where, "\"%s\" is a built-in tool name",
		    name);
		return NULL;
	}
	if (hjson_str(in, "description") == NULL) {
		policy_error(cause, where, "description is required");
		return NULL;
	}
	if (!json_is_object(schema) ||
	    !hjson_str_is(schema, "type", "object")) {
		policy_error(cause, where, "input_schema must be an object "
		    "with \"type\": \"object\"");
		return NULL;
	}
	return json_pack("{sssssssO}", "type", "custom", "name", name,
	    "description", hjson_str(in, "description"), "input_schema",
	    schema);
}

/* Resolve a whole tools array. */
int
policy_resolve_tools(json_t *in, json_t *servers, json_t **out, char **cause)
{
	json_t		*res, *t, *r;
	const char	*type;
	char		*w;
	size_t		 i, ntools = 0;
	int		 toolsets = 0;

	*cause = NULL;
	if (in == NULL || json_is_null(in)) {
		*out = json_array();
		return 0;
	}
	if (!json_is_array(in))
		return policy_error(cause, "tools", "must be an array");
	res = json_array();
	json_array_foreach(in, i, t) {
		xasprintf(&w, "tools[%zu]", i);
		type = hjson_str(t, "type");
		r = NULL;
		if (!json_is_object(t) || type == NULL)
			policy_error(cause, w, "each tool needs a \"type\"");
		else if (strcmp(type, "agent_toolset_20260401") == 0) {
			if (toolsets++ > 0)
				policy_error(cause, w, "only one "
				    "agent_toolset_20260401 is allowed");
			else if ((r = policy_toolset(t, w, cause)) != NULL)
				ntools += AD_NITEMS(policy_builtins);
		} else if (strcmp(type, "mcp_toolset") == 0) {
			if ((r = policy_mcp_toolset(t, servers, w,
			    cause)) != NULL)
				ntools += 1 + json_array_size(json_object_get(r,
				    "configs"));
		} else if (strcmp(type, "custom") == 0) {
			if ((r = policy_custom(t, w, cause)) != NULL)
				ntools++;
			for (size_t j = 0; r != NULL &&
			    j < json_array_size(res); j++)
				if (hjson_str_is(json_array_get(res, j), "name",
				    hjson_str(r, "name"))) {
					policy_error(cause, w, "custom tool "
					    "\"%s\" is defined twice",
					    hjson_str(r, "name"));
					json_decref(r);
					r = NULL;
				}
		} else
			policy_error(cause, w, "unknown tool type \"%s\"",
			    type);
		free(w);
		if (r == NULL) {
			json_decref(res);
			return -1;
		}
		json_array_append_new(res, r);
	}
	if (ntools > POLICY_MAX_TOOLS) {
		json_decref(res);
		return policy_error(cause, "tools", "more than %d tools",
		    POLICY_MAX_TOOLS);
	}
	*out = res;
	return 0;
}

/* The resolved config of built-in tool name, or NULL. */
static json_t *
policy_builtin_config(json_t *tools, const char *name)
{
	json_t	*t, *c;
	size_t	 i, j;

	json_array_foreach(tools, i, t) {
		if (!hjson_str_is(t, "type", "agent_toolset_20260401"))
			continue;
		json_array_foreach(json_object_get(t, "configs"), j, c)
			if (hjson_str_is(c, "name", name))
				return c;
	}
	return NULL;
}

/* The verdict's name. */
const char *
policy_verdict_name(enum policy_verdict v)
{
	return v == POLICY_ALLOW ? "allow" : v == POLICY_ASK ? "ask" : "deny";
}

/*
 * Normalise a path the way the workspace sees it and tell whether it
 * stays inside workdir ("/workspace"): relative paths start there, ".."
 * may not climb out, "~" and variables are treated as outside.
 */
static int
policy_path_inside(const char *path, const char *workdir)
{
	size_t		 depth = 0, wl = strlen(workdir), len;
	const char	*p, *end;

	if (*path == '\0' || *path == '~' || strchr(path, '$') != NULL ||
	    strchr(path, '`') != NULL)
		return 0;
	if (*path == '/') {
		if (strncmp(path, workdir, wl) != 0 ||
		    (path[wl] != '/' && path[wl] != '\0'))
			return 0;
		path += wl;
	}
	for (p = path; *p != '\0'; p = end) {
		while (*p == '/')
			p++;
		if ((end = strchr(p, '/')) == NULL)
			end = p + strlen(p);
		len = (size_t)(end - p);
		if (len == 0 || (len == 1 && p[0] == '.'))
			continue;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (depth == 0)
				return 0;
			depth--;
		} else
			depth++;
	}
	return 1;
}

/* Split a command into words, honouring simple quotes.  Caller frees
 * with str-array free (free each, then the array). */
static size_t
policy_words(const char *seg, char ***out)
{
	char	**w = NULL, *cur;
	size_t	  n = 0, len;
	char	  q;

	while (*seg != '\0') {
		while (isspace((unsigned char)*seg))
			seg++;
		if (*seg == '\0')
			break;
		cur = xmalloc(strlen(seg) + 1);
		len = 0;
		q = 0;
		for (; *seg != '\0'; seg++) {
			if (q != 0) {
				if (*seg == q)
					q = 0;
				else
					cur[len++] = *seg;
			} else if (*seg == '\'' || *seg == '"')
				q = *seg;
			else if (isspace((unsigned char)*seg))
				break;
			else
				cur[len++] = *seg;
		}
		cur[len] = '\0';
		w = xreallocarray(w, n + 1, sizeof *w);
		w[n++] = cur;
	}
	*out = w;
	return n;
}

/* Free a word array. */
static void
policy_words_free(char **w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(w[i]);
	free(w);
}

/* Split at ; && || | & and newlines outside quotes.  Caller frees. */
static size_t
policy_segments(const char *cmd, char ***out)
{
	char	**segs = NULL, *cur;
	size_t	  n = 0, len = 0;
	char	  q = 0;

	cur = xmalloc(strlen(cmd) + 1);
	for (const char *p = cmd; ; p++) {
		int	 cut = 0;

		if (*p != '\0' && q != 0) {
			if (*p == q)
				q = 0;
		} else if (*p == '\'' || *p == '"')
			q = *p;
		else if (*p == ';' || *p == '|' || *p == '&' || *p == '\n' ||
		    *p == '\0')
			cut = 1;
		if (cut && p > cmd && *p == '&' && (p[-1] == '>' ||
		    p[1] == '>'))
			cut = 0;	/* 2>&1, &>file */
		if (!cut) {
			cur[len++] = *p;
			continue;
		}
		cur[len] = '\0';
		segs = xreallocarray(segs, n + 1, sizeof *segs);
		segs[n++] = xstrdup(cur);
		len = 0;
		if (*p == '\0')
			break;
	}
	free(cur);
	*out = segs;
	return n;
}

/* Case-sensitive search for word as a whole shell word in s. */
static int
policy_has_word(char **w, size_t n, const char *word)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(w[i], word) == 0)
			return 1;
	return 0;
}

/* The deny-list: non-zero when one segment is high risk. */
static int
policy_segment_denied(char **w, size_t n, const char *workdir)
{
	size_t	i = 0;

	while (i < n && strchr(w[i], '=') != NULL && w[i][0] != '=')
		i++;
	if (i == n)
		return 0;
	if (strcmp(w[i], "sudo") == 0 || strcmp(w[i], "su") == 0 ||
	    strcmp(w[i], "doas") == 0 || strncmp(w[i], "mkfs", 4) == 0 ||
	    strcmp(w[i], "shutdown") == 0 || strcmp(w[i], "reboot") == 0 ||
	    strcmp(w[i], "halt") == 0 || strcmp(w[i], "poweroff") == 0)
		return 1;
	if (strcmp(w[i], "dd") == 0)
		for (size_t j = i + 1; j < n; j++)
			if (strncmp(w[j], "of=/dev/", 8) == 0)
				return 1;
	if (strcmp(w[i], "git") == 0 && i + 1 < n &&
	    strcmp(w[i + 1], "push") == 0 &&
	    (policy_has_word(w, n, "--force") ||
	    policy_has_word(w, n, "-f") ||
	    policy_has_word(w, n, "--force-with-lease")))
		return 1;
	if (strcmp(w[i], "rm") == 0) {
		int	recursive = 0;

		for (size_t j = i + 1; j < n; j++)
			if (w[j][0] == '-' && (strchr(w[j], 'r') != NULL ||
			    strchr(w[j], 'R') != NULL ||
			    strcmp(w[j], "--recursive") == 0))
				recursive = 1;
		for (size_t j = i + 1; recursive && j < n; j++)
			if (w[j][0] != '-' &&
			    !policy_path_inside(w[j], workdir))
				return 1;
	}
	/* Writes into /etc by any tool. */
	for (size_t j = i; j < n; j++)
		if (strncmp(w[j], "/etc/", 5) == 0 &&
		    (strcmp(w[i], "tee") == 0 ||
		    strcmp(w[i], "cp") == 0 || strcmp(w[i], "mv") == 0 ||
		    strcmp(w[i], "rm") == 0 || strcmp(w[i], "ln") == 0 ||
		    strcmp(w[i], "chmod") == 0 || strcmp(w[i], "chown") == 0 ||
		    strcmp(w[i], "install") == 0 || (strcmp(w[i], "sed") == 0 &&
		    policy_has_word(w, n, "-i"))))
			return 1;
	return 0;
}

/* Whole-command deny patterns: pipes into a shell, fork bombs, > /etc. */
static int
policy_command_denied(const char *cmd)
{
	const char	*p;
	char		 squeezed[4096];
	size_t		 n = 0;

	for (p = cmd; *p != '\0' && n + 1 < sizeof squeezed; p++)
		if (!isspace((unsigned char)*p))
			squeezed[n++] = *p;
	squeezed[n] = '\0';
	if (strstr(squeezed, ":(){") != NULL ||
	    strstr(squeezed, ":|:&") != NULL)
		return 1;
	if (strstr(squeezed, ">/etc/") != NULL || strstr(squeezed, ">>/etc/"))
		return 1;
	if ((strstr(cmd, "curl") != NULL || strstr(cmd, "wget") != NULL) &&
	    (strstr(squeezed, "|sh") != NULL || strstr(squeezed, "|bash") ||
	    strstr(squeezed, "|sudo") != NULL))
		return 1;
	return 0;
}

/* Is this segment on the allow-list? */
static int
policy_segment_allowed(char **w, size_t n, const char *seg)
{
	static const char *const plain[] = { "ls", "cat", "head", "tail", "wc",
	    "grep", "egrep", "fgrep", "rg", "echo", "printf", "pwd", "true",
	    "false", "test", "[", "sort", "uniq", "cut", "tr", "diff", "cmp",
	    "stat", "file", "du", "df", "date", "which", "whoami", "basename",
	    "dirname", "realpath", "seq", "nl", "od", "xxd", "md5sum",
	    "sha256sum", "sleep", "make", "cc", "gcc", "clang", "c++", "g++",
	    "python3", "pytest", "node", "tree", NULL };
	static const char *const git_sub[] = { "status", "diff", "log", "show",
	    "branch", "rev-parse", "ls-files", "blame", NULL };
	const char	*p;
	size_t		 i = 0;

	/* Substitutions and redirections to files need a human. */
	if (strstr(seg, "$(") != NULL || strchr(seg, '`') != NULL ||
	    strstr(seg, "<(") != NULL)
		return 0;
	for (p = strchr(seg, '>'); p != NULL; p = strchr(p + 1, '>')) {
		const char	*t = p + 1;

		if (*t == '>')
			t++;
		while (*t == ' ')
			t++;
		if (*t == '&' || strncmp(t, "/dev/null", 9) == 0)
			continue;
		return 0;
	}
	while (i < n && strchr(w[i], '=') != NULL && w[i][0] != '=')
		i++;
	if (i == n)
		return 1;
	if (strcmp(w[i], "git") == 0) {
		for (size_t k = 0; i + 1 < n && git_sub[k] != NULL; k++)
			if (strcmp(w[i + 1], git_sub[k]) == 0)
				return 1;
		return 0;
	}
	if (strcmp(w[i], "npm") == 0)
		return i + 1 < n && (strcmp(w[i + 1], "test") == 0 ||
		    (strcmp(w[i + 1], "run") == 0 && i + 2 < n &&
		    strcmp(w[i + 2], "test") == 0));
	if (strcmp(w[i], "find") == 0)
		return !policy_has_word(w, n, "-delete") &&
		    !policy_has_word(w, n, "-exec") &&
		    !policy_has_word(w, n, "-execdir") &&
		    !policy_has_word(w, n, "-fprint");
	for (size_t k = 0; plain[k] != NULL; k++)
		if (strcmp(w[i], plain[k]) == 0)
			return 1;
	return 0;
}

/* The auto rule table for one bash command. */
enum policy_verdict
policy_auto_bash(const char *cmd, const char *workdir)
{
	char			**segs, **w;
	size_t			  nseg, nw;
	enum policy_verdict	  v = POLICY_ALLOW;

	if (policy_command_denied(cmd))
		return POLICY_DENY;
	nseg = policy_segments(cmd, &segs);
	for (size_t i = 0; i < nseg; i++) {
		nw = policy_words(segs[i], &w);
		if (policy_segment_denied(w, nw, workdir))
			v = POLICY_DENY;
		else if (v == POLICY_ALLOW && nw > 0 &&
		    !policy_segment_allowed(w, nw, segs[i]))
			v = POLICY_ASK;
		policy_words_free(w, nw);
	}
	for (size_t i = 0; i < nseg; i++)
		free(segs[i]);
	free(segs);
	return v;
}

/* The auto rule for one call. */
static enum policy_verdict
policy_auto(const char *name, json_t *input, const char *workdir)
{
	const char	*s;

	if (strcmp(name, "read") == 0 || strcmp(name, "glob") == 0 ||
	    strcmp(name, "grep") == 0)
		return POLICY_ALLOW;
	if (strcmp(name, "write") == 0 || strcmp(name, "edit") == 0) {
		s = hjson_str(input, "file_path");
		return s != NULL && policy_path_inside(s, workdir) ?
		    POLICY_ALLOW : POLICY_ASK;
	}
	if (strcmp(name, "bash") == 0) {
		if ((s = hjson_str(input, "command")) == NULL)
			return json_is_true(json_object_get(input, "restart")) ?
			    POLICY_ALLOW : POLICY_ASK;
		return policy_auto_bash(s, workdir);
	}
	return POLICY_ASK;
}

/* Evaluate one call (harness.md 2.1). */
void
policy_evaluate(json_t *tools, const char *name, json_t *input,
    const char *workdir, struct policy_decision *d)
{
	json_t		*c, *t;
	const char	*pp;
	size_t		 i;

	memset(d, 0, sizeof *d);
	d->kind = POLICY_REFUSED;
	d->verdict = POLICY_DENY;
	json_array_foreach(tools, i, t)
		if (hjson_str_is(t, "type", "custom") &&
		    hjson_str_is(t, "name", name)) {
			d->kind = POLICY_CUSTOM;
			d->verdict = POLICY_ALLOW;
			return;
		}
	c = policy_builtin_config(tools, name);
	if (c == NULL || !json_is_true(json_object_get(c, "enabled")))
		return;
	d->kind = POLICY_BUILTIN;
	pp = hjson_str(json_object_get(c, "permission_policy"), "type");
	if (pp != NULL && strcmp(pp, "always_ask") == 0) {
		d->verdict = POLICY_ASK;
		d->evaluation = json_pack("{ss}", "type", "always_ask");
	} else if (pp != NULL && strcmp(pp, "auto") == 0) {
		d->verdict = policy_auto(name, input, workdir);
		if (d->verdict == POLICY_ALLOW)
			d->evaluation = json_pack("{ss s{ss}}", "type", "auto",
			    "evaluated_permission", "type", "allow");
		else
			d->evaluation = json_pack("{ss s{ssss}}", "type",
			    "auto", "evaluated_permission", "type",
			    policy_verdict_name(d->verdict), "reason_code",
			    d->verdict == POLICY_ASK ? "indeterminate" :
			    "high_risk");
	} else {
		d->verdict = POLICY_ALLOW;
		d->evaluation = json_pack("{ss}", "type", "always_allow");
	}
}

/* The brain's tool list. */
json_t *
policy_brain_tools(json_t *tools)
{
	json_t	*out, *t, *c;
	size_t	 i, j;

	out = json_array();
	json_array_foreach(tools, i, t) {
		if (!hjson_str_is(t, "type", "agent_toolset_20260401"))
			continue;
		json_array_foreach(json_object_get(t, "configs"), j, c) {
			const char	*name = hjson_str(c, "name");

			if (name != NULL && json_is_true(json_object_get(c,
			    "enabled")) && toolset_runs_offline(name))
				json_array_append_new(out,
				    toolset_schema(name));
		}
	}
	json_array_foreach(tools, i, t)
		if (hjson_str_is(t, "type", "custom"))
			json_array_append_new(out, json_pack("{sOsOsO}",
			    "name", json_object_get(t, "name"), "description",
			    json_object_get(t, "description"), "input_schema",
			    json_object_get(t, "input_schema")));
	return out;
}

/* The MCP servers the toolsets reference. */
json_t *
policy_mcp_servers(json_t *tools)
{
	json_t	*out, *t;
	size_t	 i;

	out = json_array();
	json_array_foreach(tools, i, t)
		if (hjson_str_is(t, "type", "mcp_toolset") &&
		    json_is_true(json_object_get(json_object_get(t,
		    "default_config"), "enabled")))
			json_array_append(out, json_object_get(t,
			    "mcp_server_name"));
	return out;
}
