/*
 * brain_trace.h -- a brain sink that writes what it is told as text, for
 * the brain tests: one line per block or event, with consecutive deltas
 * of one kind joined, so a trace does not depend on how the bytes were
 * split.  Also checks the contract of brain.h as it goes (START first,
 * blocks contiguous and numbered from 0, nothing after STOP) and stops
 * the request after a given number of events when asked to.
 */
#ifndef PILOTHOUSE_BRAIN_TRACE_H
#define PILOTHOUSE_BRAIN_TRACE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/xmalloc.h"
#include "harness/brain.h"

struct brain_trace {
	struct buf	 out;		/* the trace so far */
	struct buf	 delta;	/* the run of deltas being joined */
	int		 delta_kind;	/* its kind, or -1 */
	int		 started;
	int		 stopped;
	int		 open;	/* index of the open block, or -1 */
	int		 next;	/* index the next block must have */
	int		 events;	/* events seen */
	int		 abort_after; /* stop the request after this many */
	int		 violations;	/* contract breaches seen */
	int		 texts;		/* TEXT events seen */
	int		 hide_ids; /* print tool ids as "-" (random ones) */
};

/* Start an empty trace. */
static __attribute__((unused)) void
brain_trace_init(struct brain_trace *t)
{
	memset(t, 0, sizeof *t);
	buf_init(&t->out, BUF_UNBOUNDED);
	buf_init(&t->delta, BUF_UNBOUNDED);
	t->delta_kind = -1;
	t->open = -1;
}

/* Free a trace's buffers. */
static __attribute__((unused)) void
brain_trace_clear(struct brain_trace *t)
{
	buf_clear(&t->out);
	buf_clear(&t->delta);
}

/* Write out the run of joined deltas. */
static void
brain_trace_flush(struct brain_trace *t)
{
	static const char *const names[] = { "", "", "text", "thinking",
	    "signature", "json" };
	json_t	*s;
	char	*q;

	if (t->delta_kind < 0)
		return;
	s = json_stringn(t->delta.data != NULL ? t->delta.data : "",
	    t->delta.len);
	q = json_dumps(s, JSON_ENCODE_ANY);
	if (buf_printf(&t->out, "%s %s\n", names[t->delta_kind], q) != 0)
		abort();
	free(q);
	json_decref(s);
	buf_reset(&t->delta);
	t->delta_kind = -1;
}

/* The name a block kind is traced with. */
static const char *
brain_trace_block(enum brain_block b)
{
	switch (b) {
	case BRAIN_BLOCK_TEXT:
		return "text";
	case BRAIN_BLOCK_THINKING:
		return "thinking";
	case BRAIN_BLOCK_REDACTED_THINKING:
		return "redacted_thinking";
	case BRAIN_BLOCK_TOOL_USE:
		return "tool_use";
	}
	return "?";
}

/* The name a stop reason is traced with. */
static const char *
brain_trace_stop(enum brain_stop s)
{
	static const char *const names[] = { "end_turn", "tool_use",
	    "max_tokens", "refusal", "pause_turn", "context" };

	return (size_t)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

/* The sink. */
static __attribute__((unused)) int
brain_trace_sink(void *arg, const struct brain_ev *ev)
{
	struct brain_trace	*t = arg;
	char			*d;
	int			 rc;

	t->events++;
	if (t->stopped || (!t->started && ev->kind != BRAIN_EV_START))
		t->violations++;
	switch (ev->kind) {
	case BRAIN_EV_START:
		if (t->started)
			t->violations++;
		t->started = 1;
		rc = buf_printf(&t->out, "start input=%lld output=%lld "
		    "cache_read=%lld cache_write=%lld\n",
		    (long long)ev->usage.input, (long long)ev->usage.output,
		    (long long)ev->usage.cache_read,
		    (long long)ev->usage.cache_write);
		break;
	case BRAIN_EV_BLOCK_START:
		brain_trace_flush(t);
		if (t->open >= 0 || ev->index != t->next)
			t->violations++;
		t->open = ev->index;
		if (ev->block == BRAIN_BLOCK_TOOL_USE)
			rc = buf_printf(&t->out, "block %d tool_use %s %s\n",
			    ev->index, t->hide_ids ? "-" : ev->tool_id,
			    ev->tool_name);
		else
			rc = buf_printf(&t->out, "block %d %s\n", ev->index,
			    brain_trace_block(ev->block));
		break;
	case BRAIN_EV_TEXT:
	case BRAIN_EV_THINKING:
	case BRAIN_EV_SIGNATURE:
	case BRAIN_EV_TOOL_JSON:
		if (t->open < 0 || ev->index != t->open || ev->len == 0)
			t->violations++;
		if (ev->kind == BRAIN_EV_TEXT)
			t->texts++;
		if (t->delta_kind != (int)ev->kind)
			brain_trace_flush(t);
		t->delta_kind = (int)ev->kind;
		d = xmemdup(ev->data, ev->len);
		rc = buf_append(&t->delta, d, ev->len);
		free(d);
		break;
	case BRAIN_EV_BLOCK_STOP:
		brain_trace_flush(t);
		if (t->open != ev->index)
			t->violations++;
		t->open = -1;
		t->next = ev->index + 1;
		rc = buf_printf(&t->out, "end %d\n", ev->index);
		break;
	case BRAIN_EV_STOP:
		brain_trace_flush(t);
		if (t->open >= 0)
			t->violations++;
		t->stopped = 1;
		rc = buf_printf(&t->out, "stop %s input=%lld output=%lld "
		    "cache_read=%lld cache_write=%lld\n",
		    brain_trace_stop(ev->stop), (long long)ev->usage.input,
		    (long long)ev->usage.output,
		    (long long)ev->usage.cache_read,
		    (long long)ev->usage.cache_write);
		if (rc == 0 && ev->stop_details != NULL) {
			d = json_dumps(ev->stop_details, JSON_COMPACT |
			    JSON_SORT_KEYS);
			rc = buf_printf(&t->out, "details %s\n", d);
			free(d);
		}
		break;
	default:
		t->violations++;
		rc = 0;
		break;
	}
	if (rc != 0)
		abort();
	return t->abort_after > 0 && t->events >= t->abort_after;
}

/* Append the result line; returns the trace (borrowed). */
static __attribute__((unused)) const char *
brain_trace_result(struct brain_trace *t, const struct brain_result *res)
{
	static const char *const names[] = { "ok", "cancelled", "overloaded",
	    "rate_limited", "request", "auth", "billing", "context",
	    "protocol" };

	brain_trace_flush(t);
	if (buf_printf(&t->out, "result %s%s\n", names[res->status],
	    res->status != BRAIN_OK && res->status != BRAIN_CANCELLED ?
	    (res->retryable ? " retryable" : " final") : "") != 0)
		abort();
	return buf_cstr(&t->out);
}

#endif
