/* ISC licence: see COPYING.  report: a session's post-mortem in Markdown. */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/sanitize.h"
#include "base/xmalloc.h"
#include "cli/report.h"
#include "model/diff.h"
#include "model/files.h"
#include "model/session.h"
#include "store/store.h"

/*
 * The report folds every event once: model_apply for the totals and the
 * final state, files_apply for the files, and a per-turn record (a turn
 * starts at each processed user.message) of what the counters did
 * between one turn and the next.  Only the bodies the fold looks into
 * are read (model_needs_body, files_needs_body: messages, thinking,
 * most spans and the tool results are folded from the events table's
 * columns alone, api_event_head; a result row stored before its
 * tool_use_id column existed has its body read instead), and they are
 * scanned as trusted: the cache stored them after validating them.
 * Text from events is sanitized (no control sequence survives), then
 * either escaped inline (Markdown's punctuation backslashed, line ends
 * folded) or put in a code fence
 * longer than any run of backticks inside, so no content can end the
 * fence, open a heading or inject a link or HTML.
 */

#define REPORT_TEXT_MAX		200	/* bytes of a user message shown */

/* The counters a turn is measured by. */
struct report_mark {
	int64_t		 model_requests, tool_uses, tool_errors, errors;
	int64_t		 retries, allowed, denied, interrupts;
	int64_t		*tool_uses_at;	/* per s->tools[i] */
	size_t		 ntools;
	size_t		*file_changes;	/* writes + edits per file */
	size_t		 nfiles;
};

/* One user turn being written. */
struct report_turn {
	int		 open;
	int		 n;
	int64_t		 at_us;
	struct buf	 text;
	struct report_mark mark;
};

/* Append s sanitized (controls made inert) to out. */
static void
report_sanitize(struct buf *out, const char *s, size_t len)
{
	if (sanitize_to_buf(s, len, out) != 0)
		fatalx("report: unbounded buffer refused");
}

/* Append text as inert, single-line, escaped Markdown. */
void
report_md_inline(struct buf *out, const char *s, size_t len, size_t max)
{
	struct buf	 clean;
	size_t		 i, n;
	unsigned char	 c;

	buf_init(&clean, BUF_UNBOUNDED);
	report_sanitize(&clean, s, len);
	n = clean.len;
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)clean.data[n] & 0xc0) == 0x80)
			n--;	/* cut at a character */
	}
	for (i = 0; i < n; i++) {
		c = (unsigned char)clean.data[i];
		if (c == '\n' || c == '\r' || c == '\t')
			buf_xprintf(out, " ");
		else if (strchr("\\`*_{}[]()<>#+-.!|~&$", c) != NULL &&
		    c != '\0')
			buf_xprintf(out, "\\%c", c);
		else
			buf_xprintf(out, "%c", c);
	}
	if (n < clean.len)
		buf_xprintf(out, "…");
	buf_clear(&clean);
}

/* Append text as an inert fenced code block. */
void
report_md_block(struct buf *out, const char *s, size_t len, const char *info)
{
	struct buf	 clean;
	size_t		 i, run = 0, longest = 0, fence;

	buf_init(&clean, BUF_UNBOUNDED);
	report_sanitize(&clean, s, len);
	for (i = 0; i < clean.len; i++) {
		run = clean.data[i] == '`' ? run + 1 : 0;
		if (run > longest)
			longest = run;
	}
	fence = longest < 3 ? 3 : longest + 1;
	for (i = 0; i < fence; i++)
		buf_xprintf(out, "`");
	buf_xprintf(out, "%s\n", info);
	if (clean.len > 0 && buf_append(out, clean.data, clean.len) != 0)
		fatalx("report: unbounded buffer refused");
	if (clean.len > 0 && clean.data[clean.len - 1] != '\n')
		buf_xprintf(out, "\n");
	for (i = 0; i < fence; i++)
		buf_xprintf(out, "`");
	buf_xprintf(out, "\n");
	buf_clear(&clean);
}

/* Take the counters now. */
static void
report_mark_take(struct report_mark *m, const struct model_session *s,
    const struct files *fs)
{
	const struct files_file	*f;

	m->model_requests = s->model_requests;
	m->tool_uses = s->tool_uses;
	m->tool_errors = s->tool_errors;
	m->errors = s->errors;
	m->retries = s->retries;
	m->allowed = s->allowed;
	m->denied = s->denied;
	m->interrupts = s->interrupts;
	m->ntools = s->ntools;
	m->tool_uses_at = xreallocarray(m->tool_uses_at, s->ntools + 1,
	    sizeof *m->tool_uses_at);
	for (size_t i = 0; i < s->ntools; i++)
		m->tool_uses_at[i] = s->tools[i].uses;
	m->nfiles = files_count(fs);
	m->file_changes = xreallocarray(m->file_changes, m->nfiles + 1,
	    sizeof *m->file_changes);
	for (size_t i = 0; i < m->nfiles; i++) {
		f = files_at(fs, i);
		m->file_changes[i] = f->writes + f->edits;
	}
}

/* Format a time; "unknown" for 0. */
static void
report_time(int64_t us, char *out, size_t len)
{
	if (us <= 0)
		snprintf(out, len, "unknown");
	else
		clock_format(us, 0, out, len);
}

/* Write the turn being recorded, if any, with what the agent did. */
static void
report_turn_close(struct buf *out, struct report_turn *t,
    const struct model_session *s, const struct files *fs)
{
	const struct report_mark	*m = &t->mark;
	const struct files_file		*f;
	char				 when[64];
	size_t				 i, nf = 0, base;
	int64_t				 d;

	if (!t->open)
		return;
	t->open = 0;
	report_time(t->at_us, when, sizeof when);
	buf_xprintf(out, "%d. **%s** — ", t->n, when);
	if (buf_append(out, t->text.data, t->text.len) != 0)
		fatalx("report: unbounded buffer refused");
	buf_xprintf(out, "\n   - %lld model requests, %lld tool uses",
	    (long long)(s->model_requests - m->model_requests),
	    (long long)(s->tool_uses - m->tool_uses));
	if (s->tool_uses > m->tool_uses) {
		buf_xprintf(out, " (");
		for (i = 0, nf = 0; i < s->ntools; i++) {
			base = i < m->ntools ? (size_t)m->tool_uses_at[i] : 0;
			if ((d = s->tools[i].uses - (int64_t)base) <= 0)
				continue;
			if (nf++ > 0)
				buf_xprintf(out, ", ");
			report_md_inline(out, s->tools[i].name,
			    strlen(s->tools[i].name), MODEL_NAME_LEN);
			buf_xprintf(out, " %lld", (long long)d);
		}
		buf_xprintf(out, ")");
	}
	if (s->tool_errors > m->tool_errors)
		buf_xprintf(out, ", %lld tool errors",
		    (long long)(s->tool_errors - m->tool_errors));
	if (s->allowed > m->allowed)
		buf_xprintf(out, ", %lld allowed",
		    (long long)(s->allowed - m->allowed));
	if (s->denied > m->denied)
		buf_xprintf(out, ", %lld denied",
		    (long long)(s->denied - m->denied));
	if (s->errors > m->errors)
		buf_xprintf(out, ", %lld errors (%lld retried)",
		    (long long)(s->errors - m->errors),
		    (long long)(s->retries - m->retries));
	if (s->interrupts > m->interrupts)
		buf_xprintf(out, ", interrupted");
	for (i = 0, nf = 0; i < files_count(fs); i++) {
		f = files_at(fs, i);
		base = i < m->nfiles ? m->file_changes[i] : 0;
		if (f->writes + f->edits <= base)
			continue;
		buf_xprintf(out, nf++ == 0 ? "\n   - changed: " : ", ");
		report_md_inline(out, f->path, strlen(f->path), 256);
	}
	buf_xprintf(out, "\n   - ended: %s%s%s\n",
	    model_status_name(s->status), *s->stop_reason != '\0' ? ", " : "",
	    s->stop_reason);
}

/* Start a turn at a processed user.message. */
static void
report_turn_open(struct report_turn *t, struct api_event *ev,
    const struct model_session *s, const struct files *fs)
{
	json_t		*content, *block;
	const char	*text;
	size_t		 i, shown = 0;

	t->open = 1;
	t->n++;
	t->at_us = ev->processed_us;
	buf_reset(&t->text);
	report_mark_take(&t->mark, s, fs);
	if (api_event_json(ev, NULL) == NULL ||
	    (content = json_object_get(ev->json, "content")) == NULL)
		return;
	json_array_foreach(content, i, block) {
		text = json_string_value(json_object_get(block, "text"));
		if (text == NULL || shown >= REPORT_TEXT_MAX)
			continue;
		report_md_inline(&t->text, text, json_string_length(
		    json_object_get(block, "text")), REPORT_TEXT_MAX - shown);
		shown += strlen(text);
	}
}

/* Fold a session: state, files and (with out) the turns. */
static int
report_fold(struct store *st, const char *session, struct model_session *s,
    struct files *fs, struct buf *turns, char **cause)
{
	struct store_iter	*it;
	struct store_event	 e;
	struct api_event	*ev;
	struct report_turn	 t;
	enum api_event_type	 type;
	char			*why = NULL;
	int			 r;

	memset(&t, 0, sizeof t);
	buf_init(&t.text, BUF_UNBOUNDED);
	it = store_iter_events(st, session, 0, NULL, 0, cause);
	if (it == NULL)
		return -1;
	while ((r = store_iter_next(it, &e, cause)) == 1) {
		type = api_event_type_lookup(e.type, strlen(e.type));
		ev = NULL;
		if (!model_needs_body(type) && e.processed_us > 0)
			ev = api_event_head(e.type, e.event_id, e.processed_us,
			    e.tool_use_id, e.is_error);
		if (ev != NULL && files_needs_body(fs, ev)) {
			api_event_free(ev);
			ev = NULL;
		}
		if (ev == NULL) {
			if ((r = store_iter_raw(it, &e, cause)) != 1)
				break;
			ev = api_event_parse_trusted(e.raw, e.rawlen, &why);
			if (ev == NULL) {
				free(why);	/* import checked it */
				why = NULL;
				continue;
			}
		}
		if (turns != NULL && ev->type == API_EV_USER_MESSAGE &&
		    ev->processed_at != NULL) {
			report_turn_close(turns, &t, s, fs);
			report_turn_open(&t, ev, s, fs);
		}
		model_apply(s, ev);
		files_apply(fs, ev);
		api_event_free(ev);
	}
	store_iter_free(it);
	if (turns != NULL)
		report_turn_close(turns, &t, s, fs);
	buf_clear(&t.text);
	free(t.mark.tool_uses_at);
	free(t.mark.file_changes);
	return r < 0 ? -1 : 0;
}

/* Rebuild the files a session touched. */
struct files *
report_files(struct store *st, const char *session, char **cause)
{
	struct model_session	 s;
	struct files		*fs = files_create();

	model_state_init(&s);
	if (report_fold(st, session, &s, fs, NULL, cause) != 0) {
		files_free(fs);
		fs = NULL;
	}
	model_state_clear(&s);
	return fs;
}

/* A "| name | value |" row of the totals table. */
static void
report_row(struct buf *out, const char *name, long long v)
{
	buf_xprintf(out, "| %s | %lld |\n", name, v);
}

/* The session's header: ids, agent, model, times and final state. */
static void
report_header(struct buf *out, const char *session,
    const struct store_session *ss, const struct model_session *s)
{
	char		 first[64], last[64];
	const char	*title = ss != NULL ? ss->title : NULL;

	buf_xprintf(out, "# Session report: ");
	if (title != NULL)
		report_md_inline(out, title, strlen(title), 200);
	else
		report_md_inline(out, session, strlen(session), 200);
	buf_xprintf(out, "\n\n- Session: ");
	report_md_inline(out, session, strlen(session), 200);
	buf_xprintf(out, "\n- Agent: ");
	if (ss != NULL && ss->agent_id != NULL) {
		report_md_inline(out, ss->agent_name != NULL ?
		    ss->agent_name : "", ss->agent_name != NULL ?
		    strlen(ss->agent_name) : 0, 200);
		buf_xprintf(out, " (");
		report_md_inline(out, ss->agent_id, strlen(ss->agent_id), 200);
		buf_xprintf(out, ", version %lld)",
		    (long long)ss->agent_version);
	} else
		buf_xprintf(out, "unknown (the session object is not cached)");
	buf_xprintf(out, "\n- Model: ");
	if (*s->model != '\0')
		report_md_inline(out, s->model, strlen(s->model), 200);
	else
		buf_xprintf(out, "unknown");
	report_time(s->first_us, first, sizeof first);
	report_time(s->last_us, last, sizeof last);
	buf_xprintf(out, "\n- Time span: %s to %s (%.1f s)\n", first, last,
	    s->last_us > s->first_us ? (s->last_us - s->first_us) / 1e6 : 0.0);
	if (s->has_reported)
		buf_xprintf(out, "- Active time: %.1f s\n", s->active_seconds);
	else
		buf_xprintf(out, "- Active time: unknown (no session.usage)\n");
	buf_xprintf(out, "- Final state: %s\n- Stop reason: %s\n- Events: "
	    "%lld\n", model_status_name(s->status), *s->stop_reason != '\0' ?
	    s->stop_reason : "none", (long long)s->nevents);
}

/* The totals: requests, tokens, cost, tools, confirmations, errors. */
static void
report_totals(struct buf *out, const struct model_session *s)
{
	struct model_usage	u;
	int64_t			cost = model_cost_microusd(s);

	model_usage_total(s, &u);
	buf_xprintf(out, "\n## Totals\n\n| | |\n|---|---|\n");
	report_row(out, "Model requests", s->model_requests);
	report_row(out, "Model request errors", s->model_request_errors);
	report_row(out, "Input tokens", u.input_tokens);
	report_row(out, "Output tokens", u.output_tokens);
	report_row(out, "Cache read tokens", u.cache_read_tokens);
	report_row(out, "Cache creation tokens", u.cache_creation_tokens);
	if (cost < 0)
		buf_xprintf(out, "| Cost | unknown |\n");
	else if (s->list_cost_cents >= 0)
		buf_xprintf(out, "| Cost | $%lld.%02lld |\n",
		    (long long)(s->list_cost_cents / 100),
		    (long long)(s->list_cost_cents % 100));
	else
		buf_xprintf(out, "| Cost | $%lld.%06lld (estimate) |\n",
		    (long long)(cost / 1000000), (long long)(cost % 1000000));
	report_row(out, "Tool uses", s->tool_uses);
	report_row(out, "Tool errors", s->tool_errors);
	report_row(out, "Confirmations allowed", s->allowed);
	report_row(out, "Confirmations denied", s->denied);
	report_row(out, "Interrupts", s->interrupts);
	report_row(out, "Errors", s->errors);
	report_row(out, "Retries", s->retries);
	report_row(out, "Threads", (long long)s->nthreads);

	buf_xprintf(out, "\n### Tool uses by tool\n\n| Tool | Uses | Errors "
	    "|\n|---|---|---|\n");
	for (size_t i = 0; i < s->ntools; i++) {
		buf_xprintf(out, "| ");
		report_md_inline(out, s->tools[i].name,
		    strlen(s->tools[i].name), MODEL_NAME_LEN);
		buf_xprintf(out, " | %lld | %lld |\n",
		    (long long)s->tools[i].uses, (long long)s->tools[i].errors);
	}
	if (s->ndenies > 0)
		buf_xprintf(out, "\n### Denials\n\n");
	for (size_t i = 0; i < s->ndenies; i++) {
		buf_xprintf(out, "- ");
		report_md_inline(out, s->denies[i].tool_use_id,
		    strlen(s->denies[i].tool_use_id), MODEL_ID_LEN);
		buf_xprintf(out, ": ");
		if (*s->denies[i].message == '\0')
			buf_xprintf(out, "(no message, or one the reducer "
			    "could not read)");
		report_md_inline(out, s->denies[i].message,
		    strlen(s->denies[i].message), MODEL_TEXT_LEN);
		buf_xprintf(out, "\n");
	}
	if (*s->error_type != '\0') {
		buf_xprintf(out, "\nLast error: ");
		report_md_inline(out, s->error_type, strlen(s->error_type),
		    200);
		buf_xprintf(out, " (%s): ", s->retry_status);
		report_md_inline(out, s->error_message,
		    strlen(s->error_message), MODEL_TEXT_LEN);
		buf_xprintf(out, "\n");
	}
}

/* Every file touched, with its net diff. */
static void
report_files_section(struct buf *out, const struct files *fs)
{
	const struct files_file	*f;
	struct diff		*d;
	struct buf		 u;

	buf_xprintf(out, "\n## Files\n\n");
	if (files_count(fs) == 0)
		buf_xprintf(out, "No file was read, written or edited.\n");
	buf_init(&u, BUF_UNBOUNDED);
	for (size_t i = 0; i < files_count(fs); i++) {
		f = files_at(fs, i);
		buf_xprintf(out, "### ");
		report_md_inline(out, f->path, strlen(f->path), 1024);
		buf_xprintf(out, "\n\n%zu reads, %zu writes, %zu edits, %zu "
		    "failed%s\n\n", f->reads, f->writes, f->edits, f->failed,
		    f->created ? "; new or unknown before the session" : "");
		if (!f->changed) {
			buf_xprintf(out, "Not changed.\n\n");
			continue;
		}
		if ((d = files_net_diff(fs, i, DIFF_CONTEXT)) == NULL) {
			buf_xprintf(out, "Net diff unknown: the content before "
			    "or after is not known from the events.\n\n");
			continue;
		}
		buf_reset(&u);
		if (diff_unified(d, f->path, f->path, &u) != 0)
			fatalx("report: unbounded buffer refused");
		diff_free(d);
		report_md_block(out, u.data, u.len, "diff");
		buf_xprintf(out, "\n");
	}
	buf_clear(&u);
}

/* Operator actions from the audit log. */
static int
report_audit(struct buf *out, struct store *st, const char *session,
    char **cause)
{
	struct store_record	*r;
	size_t			 n;
	char			 when[64];

	if (store_audit_list(st, session, &r, &n, cause) != 0)
		return -1;
	buf_xprintf(out, "\n## Operator actions\n\n");
	if (n == 0)
		buf_xprintf(out, "None recorded in the audit log.\n");
	for (size_t i = 0; i < n; i++) {
		report_time(r[i].time_us, when, sizeof when);
		buf_xprintf(out, "- %s ", when);
		report_md_inline(out, r[i].user != NULL ? r[i].user : "",
		    r[i].user != NULL ? strlen(r[i].user) : 0, 128);
		buf_xprintf(out, ": ");
		report_md_inline(out, r[i].action != NULL ? r[i].action : "",
		    r[i].action != NULL ? strlen(r[i].action) : 0, 128);
		if (r[i].event_ids != NULL) {
			buf_xprintf(out, " ");
			report_md_inline(out, r[i].event_ids,
			    strlen(r[i].event_ids), 1024);
		}
		if (r[i].detail != NULL) {
			buf_xprintf(out, " — ");
			report_md_inline(out, r[i].detail, strlen(r[i].detail),
			    1024);
		}
		buf_xprintf(out, "\n");
	}
	store_records_free(r, n);
	return 0;
}

/* The whole report. */
int
report_markdown(struct store *st, const char *session, FILE *f,
    char **cause)
{
	struct store_session	 ss;
	struct model_session	 s;
	struct files		*fs;
	struct buf		 out, turns;
	int			 have, rv = -1;

	if ((have = store_session_get(st, session, &ss, cause)) < 0)
		return -1;
	model_state_init(&s);
	if (have && ss.model != NULL)
		model_state_set_model(&s, ss.model);
	fs = files_create();
	buf_init(&out, BUF_UNBOUNDED);
	buf_init(&turns, BUF_UNBOUNDED);
	if (report_fold(st, session, &s, fs, &turns, cause) != 0)
		goto out;
	report_header(&out, session, have ? &ss : NULL, &s);
	report_totals(&out, &s);
	buf_xprintf(&out, "\n## Timeline of user turns\n\n");
	if (turns.len == 0)
		buf_xprintf(&out, "No user message.\n");
	else if (buf_append(&out, turns.data, turns.len) != 0)
		fatalx("report: unbounded buffer refused");
	report_files_section(&out, fs);
	if (report_audit(&out, st, session, cause) != 0)
		goto out;
	if (fwrite(out.data, 1, out.len, f) != out.len) {
		*cause = xstrdup("cannot write the report");
		goto out;
	}
	rv = 0;
out:
	buf_clear(&turns);
	buf_clear(&out);
	files_free(fs);
	model_state_clear(&s);
	if (have)
		store_session_clear(&ss);
	return rv;
}
