/* ISC licence: see COPYING.  The bash tool: one sandbox per call. */

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "harness/tool_impl.h"

/* The last TOOL_BASH_OUTPUT bytes of a command's (merged) output. */
struct tool_bash_tail {
	struct buf	 b;
	int		 truncated;	/* something was dropped */
};

/* Keep the tail: the reference keeps the last 100 KiB as it arrives. */
static void
tool_bash_output(void *arg, int stream, const char *p, size_t len)
{
	struct tool_bash_tail	*t = arg;

	if (len >= TOOL_BASH_OUTPUT) {
		buf_reset(&t->b);
		p += len - TOOL_BASH_OUTPUT;
		len = TOOL_BASH_OUTPUT;
		t->truncated = 1;
	} else if (t->b.len + len > TOOL_BASH_OUTPUT) {
		buf_consume(&t->b, t->b.len + len - TOOL_BASH_OUTPUT);
		t->truncated = 1;
	}
	if (buf_append(&t->b, p, len) != 0)
		fatalx("bash: output buffer overflow");
}

/* Whether p[i..] starts an ANSI CSI sequence; its length in *n. */
static int
tool_bash_csi(const char *p, size_t len, size_t i, size_t *n)
{
	size_t	j = i + 2;

	if (i + 1 >= len || p[i] != '\x1b' || p[i + 1] != '[')
		return 0;
	while (j < len && ((p[j] >= '0' && p[j] <= '9') || p[j] == ';' ||
	    p[j] == '?'))
		j++;
	while (j < len && p[j] >= ' ' && p[j] <= '/')
		j++;
	if (j >= len || p[j] < '@' || p[j] > '~')
		return 0;
	*n = j + 1 - i;
	return 1;
}

/*
 * The reference's output processing: CSI sequences removed (its regex
 * \x1b\[[0-9;?]*[ -/]*[@-~]), trailing newlines removed, and
 * "[output truncated]\n" in front when the start was dropped.  A cut
 * through a UTF-8 sequence drops the partial character.
 */
static void
tool_bash_text(struct tool_bash_tail *t, struct buf *out)
{
	const char	*p = buf_cstr(&t->b);
	size_t		 len = t->b.len, i = 0, n, start;

	if (t->truncated) {
		buf_xprintf(out, "%s", "[output truncated]\n");
		while (i < len && (p[i] & 0xc0) == 0x80)
			i++;
	}
	start = out->len;
	while (i < len) {
		if (tool_bash_csi(p, len, i, &n)) {
			i += n;
			continue;
		}
		if (buf_putc(out, p[i++]) != 0)
			fatalx("bash: output buffer overflow");
	}
	while (out->len > start && out->data[out->len - 1] == '\n')
		buf_truncate(out, out->len - 1);
}

/* timeout_ms: absent, null or 0 mean the default; capped at 10 min. */
static int
tool_bash_timeout(json_t *in, int64_t *ms, struct tool_result *r)
{
	json_t	*v = json_object_get(in, "timeout_ms");
	double	 d;

	*ms = TOOL_BASH_TIMEOUT;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_number(v) || !isfinite(d = json_number_value(v))) {
		tool_fail(r, "bash: timeout_ms must be an integer");
		return -1;
	}
	if (d >= 1)
		*ms = d > TOOL_BASH_TIMEOUT_MAX ? TOOL_BASH_TIMEOUT_MAX :
		    (int64_t)d;
	return 0;
}

/* Run a bash command in a fresh sandbox, carrying cwd and exports. */
int
tool_bash_run(struct toolbox *tb, json_t *in, struct cancel *cancel,
    struct tool_result *r, char **cause)
{
	struct sandbox_cmd	 cmd;
	struct sandbox_status	 st;
	struct tool_bash_tail	 tail;
	struct buf		 out;
	const char		*command;
	size_t			 len;
	int64_t			 timeout;
	int			 restart;

	if (tool_input_string(in, "bash", "command", &command, &len, r) < 0 ||
	    tool_bash_timeout(in, &timeout, r) != 0)
		return 0;
	restart = tool_input_truthy(in, "restart");
	if (restart) {
		free(tb->cwd);
		free(tb->env);
		tb->cwd = tb->env = NULL;
	}
	if (command == NULL || len == 0) {
		if (restart)
			tool_ok(r, "bash session restarted", 22);
		else
			tool_fail(r, "bash: command is required");
		return 0;
	}
	if (strlen(command) != len) {
		tool_fail(r, "bash: command contains a NUL byte");
		return 0;
	}

	memset(&cmd, 0, sizeof cmd);
	cmd.command = command;
	cmd.cwd = tb->cwd;
	cmd.env = tb->env;
	cmd.timeout_ms = timeout;
	cmd.merge_stderr = 1;
	cmd.output = tool_bash_output;
	cmd.arg = &tail;
	memset(&tail, 0, sizeof tail);
	buf_init(&tail.b, TOOL_BASH_OUTPUT);
	if (sandbox_run(tb->sb, &cmd, cancel, &st, cause) != 0) {
		buf_clear(&tail.b);
		return -1;
	}

	buf_init(&out, BUF_UNBOUNDED);
	switch (st.end) {
	case SANDBOX_NOT_STARTED:
		tool_fail(r, "bash: %s", st.error);
		break;
	case SANDBOX_TIMEOUT:
		tool_fail(r, "bash: bash command timed out after %lldms",
		    (long long)timeout);
		break;
	case SANDBOX_CANCELLED:
		tool_fail(r, "bash: This operation was aborted");
		break;
	case SANDBOX_OUTPUT_CAP:
		tail.truncated = 1;
		tool_bash_text(&tail, &out);
		buf_xprintf(&out, "\nbash: the command wrote more than "
		    "%lld bytes and was killed", (long long)st.output_len);
		tool_fail_buf(r, &out);
		break;
	case SANDBOX_EXITED:
		free(tb->cwd);
		free(tb->env);
		tb->cwd = st.cwd;
		tb->env = st.env;
		st.cwd = st.env = NULL;
		tool_bash_text(&tail, &out);
		if (st.oom)
			buf_xprintf(&out, "%sbash: the sandbox ran out of "
			    "memory and a process was killed",
			    out.len > 0 ? "\n" : "");
		if (st.code == 0)
			tool_ok_buf(r, &out);
		else if (out.len > 0)
			tool_fail_buf(r, &out);
		else
			tool_fail(r, "exit %d", st.code);
		break;
	}
	buf_clear(&out);
	buf_clear(&tail.b);
	sandbox_status_clear(&st);
	return 0;
}
