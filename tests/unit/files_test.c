/* ISC licence: see COPYING.  Tests for model/files: contents rebuilt
 * from read results and write/edit inputs; unknowns stay unknown. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "model/files.h"
#include "tap.h"

static struct files	*fs;
static int		 seq;

/* Feed one event given as JSON. */
static void
feed(const char *json)
{
	struct api_event	*ev;
	char			*cause = NULL;

	ev = api_event_parse(json, strlen(json), &cause);
	if (ev == NULL) {
		diag("bad test event: %s", cause);
		exit(1);
	}
	(void)files_apply(fs, ev);
	api_event_free(ev);
}

/* A tool use with id sevt_N and the given name and input. */
static void
use(int id, const char *name, const char *input)
{
	char	buf[4096];

	snprintf(buf, sizeof buf, "{\"type\":\"agent.tool_use\",\"id\":"
	    "\"sevt_%d\",\"processed_at\":\"2026-11-19T14:02:16Z\",\"name\":"
	    "\"%s\",\"input\":%s}", id, name, input);
	feed(buf);
}

/* A result for sevt_N. */
static void
result(int id, int error, const char *text)
{
	char	buf[4096];

	snprintf(buf, sizeof buf, "{\"type\":\"agent.tool_result\",\"id\":"
	    "\"sevt_r%d\",\"processed_at\":\"2026-11-19T14:02:17Z\","
	    "\"tool_use_id\":\"sevt_%d\",\"is_error\":%s,\"content\":"
	    "[{\"type\":\"text\",\"text\":\"%s\"}]}", ++seq, id,
	    error ? "true" : "false", text);
	feed(buf);
}

/* The net diff of a path in unified form. */
static char *
net(const char *path)
{
	struct diff	*df;
	struct buf	 out;

	for (size_t i = 0; i < files_count(fs); i++) {
		if (strcmp(files_at(fs, i)->path, path) != 0)
			continue;
		if ((df = files_net_diff(fs, i, 3)) == NULL)
			return strdup("unknown");
		buf_init(&out, 1 << 20);
		if (diff_unified(df, "a", "b", &out) != 0)
			return NULL;
		diff_free(df);
		return out.data ? buf_steal(&out, NULL) : strdup("");
	}
	return strdup("absent");
}

int
main(void)
{
	const struct files_file	*f;
	const struct files_op	*op;
	char			*s;

	fs = files_create();
	use(1, "read", "{\"file_path\":\"/w/a.c\"}");
	result(1, 0, "int x;\\nint z;\\n");
	use(2, "edit", "{\"file_path\":\"/w/a.c\",\"old_string\":\"x\","
	    "\"new_string\":\"y\"}");
	result(2, 0, "edited /w/a.c (1 replacement)");
	f = files_find(fs, "/w/a.c");
	ok(f != NULL && f->initial_known && f->current_known,
	    "a read then an edit: both ends known");
	is_str(f->current, "int y;\nint z;\n", "the edit is applied");
	s = net("/w/a.c");
	is_str(s, "--- a\n+++ b\n@@ -1,2 +1,2 @@\n-int x;\n+int y;\n int z;\n",
	    "net diff of an edited file");
	free(s);

	use(3, "write", "{\"file_path\":\"/w/new.txt\",\"content\":"
	    "\"hello\\n\"}");
	result(3, 0, "wrote 6 bytes to /w/new.txt");
	f = files_find(fs, "/w/new.txt");
	ok(f->created && !f->initial_known, "a first write is a new file");
	s = net("/w/new.txt");
	is_str(s, "--- a\n+++ b\n@@ -0,0 +1,1 @@\n+hello\n",
	    "diffed from nothing");
	free(s);

	use(4, "write", "{\"file_path\":\"/w/a.c\",\"content\":\"int w;\\n\"}");
	result(4, 0, "wrote");
	op = files_op(fs, "sevt_4");
	ok(op != NULL && op->kind == FILES_WRITE && op->before_known,
	    "a write over known content keeps what it replaced");
	is_str(op->before, "int y;\nint z;\n", "the content before the write");

	use(5, "edit", "{\"file_path\":\"/w/u.txt\",\"old_string\":\"a\","
	    "\"new_string\":\"b\"}");
	result(5, 0, "edited");
	f = files_find(fs, "/w/u.txt");
	ok(f->changed && !f->current_known, "an edit to an unknown file "
	    "stays unknown");
	s = net("/w/u.txt");
	is_str(s, "unknown", "so it has no net diff");
	free(s);

	use(6, "write", "{\"file_path\":\"/w/denied\",\"content\":\"x\"}");
	f = files_find(fs, "/w/denied");
	ok(f != NULL && !f->changed && f->writes == 0,
	    "a denied write (no result) changes nothing");
	use(7, "edit", "{\"file_path\":\"/w/a.c\",\"old_string\":\"w\","
	    "\"new_string\":\"v\"}");
	result(7, 1, "old_string not found");
	f = files_find(fs, "/w/a.c");
	ok(f->failed == 1 && strcmp(f->current, "int w;\n") == 0,
	    "a failed edit is counted, not applied");

	use(8, "edit", "{\"file_path\":\"/w/a.c\",\"old_string\":\"nothere\","
	    "\"new_string\":\"v\"}");
	result(8, 0, "edited");
	f = files_find(fs, "/w/a.c");
	ok(!f->current_known, "an edit that does not match what we know "
	    "makes the content unknown");
	use(9, "read", "{\"file_path\":\"/w/a.c\"}");
	result(9, 0, "int q;\\n");
	f = files_find(fs, "/w/a.c");
	ok(f->current_known && strcmp(f->current, "int q;\n") == 0,
	    "a later read makes it known again");
	is_str(f->initial, "int x;\nint z;\n", "the initial content stays");

	use(10, "read", "{\"file_path\":\"/w/part\",\"view_range\":[1,2]}");
	result(10, 0, "partial");
	f = files_find(fs, "/w/part");
	ok(f->reads == 1 && !f->current_known, "a partial read is not the "
	    "content");
	use(11, "edit", "{\"file_path\":\"/w/new.txt\",\"old_string\":\"l\","
	    "\"new_string\":\"L\",\"replace_all\":true}");
	result(11, 0, "edited");
	is_str(files_find(fs, "/w/new.txt")->current, "heLLo\n",
	    "replace_all replaces every match");
	use(12, "bash", "{\"command\":\"rm -rf /\"}");
	result(12, 0, "");
	is_int(files_count(fs), 5, "other tools touch no files");
	files_free(fs);
	return done_testing();
}
