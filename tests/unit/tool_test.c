/* ISC licence: see COPYING.  Tests for the toolset: texts and limits. */

#include "config.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/xmalloc.h"
#include "harness/tool.h"
#include "tap.h"

static struct toolbox	*tb;
static char		 top[256];
static const char	*ws;		/* host path of the workspace */
static char		 root[200];	/* the workspace as tools name it */
static int		 sandboxed;	/* bash runs in bwrap */

/* Run a tool with a JSON input; the result's text is returned. */
static struct tool_result
run(const char *name, const char *input)
{
	struct tool_result	 r;
	json_error_t		 err;
	json_t			*in;
	char			*cause = NULL;

	if ((in = json_loads(input, 0, &err)) == NULL)
		fatalx("bad test input %s: %s", input, err.text);
	if (toolbox_run(tb, name, in, NULL, &r, &cause) != 0)
		fatalx("toolbox_run: %s", cause);
	json_decref(in);
	return r;
}

/* Run and compare with the expected error flag and text. */
static void
check(const char *name, const char *input, int is_error, const char *want)
{
	struct tool_result	r = run(name, input);

	ok(r.is_error == is_error && strcmp(r.text, want) == 0, "%s %s", name,
	    input);
	if (r.is_error != is_error || strcmp(r.text, want) != 0)
		diag("  got %s \"%.300s\", want \"%.300s\"",
		    r.is_error ? "error" : "ok", r.text, want);
	tool_result_clear(&r);
}

/* Run and require the text to start with prefix. */
static void
check_prefix(const char *name, const char *input, int is_error,
    const char *prefix)
{
	struct tool_result	r = run(name, input);

	ok(r.is_error == is_error && strncmp(r.text, prefix,
	    strlen(prefix)) == 0, "%s %s starts \"%.40s\"", name, input,
	    prefix);
	if (r.is_error != is_error || strncmp(r.text, prefix,
	    strlen(prefix)) != 0)
		diag("  got \"%.300s\"", r.text);
	tool_result_clear(&r);
}

/* Write a file in the workspace from the host side. */
static void
put(const char *rel, const void *data, size_t len)
{
	char	path[1024];
	int	fd;

	snprintf(path, sizeof path, "%s/%s", ws, rel);
	if ((fd = open(path, O_WRONLY|O_CREAT|O_TRUNC, 0644)) == -1 ||
	    write(fd, data, len) != (ssize_t)len || close(fd) != 0)
		fatal("put %s", path);
}

/* A file's contents, read from the host side.  Caller frees. */
static char *
get(const char *rel)
{
	char	path[1024], *s;
	FILE	*f;
	size_t	 n;

	snprintf(path, sizeof path, "%s/%s", ws, rel);
	if ((f = fopen(path, "r")) == NULL)
		return NULL;
	s = xcalloc(1, 1 << 20);
	n = fread(s, 1, (1 << 20) - 1, f);
	s[n] = '\0';
	fclose(f);
	return s;
}

/* Path of rel on the host. */
static const char *
host(const char *rel)
{
	static char	path[1024];

	snprintf(path, sizeof path, "%s/%s", ws, rel);
	return path;
}

static void
read_tests(void)
{
	struct buf	 b;
	char		 in[1024], want[1024];

	put("three.txt", "l1\nl2\nl3\n", 9);
	put("crlf.txt", "a\r\nb\r\n", 6);
	put("bad.txt", "ok\xff\xe2\x82x\n", 7);
	put("empty.txt", "", 0);
	mkdir(host("dir"), 0755);
	mkfifo(host("fifo"), 0644);

	check("read", "{}", 1, "read: file_path is required");
	check("read", "{\"file_path\":\"\"}", 1, "read: file_path is required");
	check("read", "{\"file_path\":7}", 1,
	    "read: file_path must be a string");
	check("read", "{\"file_path\":\"three.txt\"}", 0, "l1\nl2\nl3\n");
	snprintf(in, sizeof in, "{\"file_path\":\"%s/three.txt\"}", root);
	check("read", in, 0, "l1\nl2\nl3\n");
	check("read", "{\"file_path\":\"nope.txt\"}", 1,
	    "read: nope.txt: no such file or directory");
	check("read", "{\"file_path\":\"dir\"}", 1,
	    "read: dir is not a regular file");
	check("read", "{\"file_path\":\"fifo\"}", 1,
	    "read: fifo is not a regular file");
	check("read", "{\"file_path\":\"three.txt/x\"}", 1,
	    "read: three.txt/x: not a directory");
	check("read", "{\"file_path\":\"../x\"}", 1,
	    "path \"../x\" is outside the session's working directory");
	check("read", "{\"file_path\":\"/etc/passwd\"}", 1,
	    "path \"/etc/passwd\" is outside the session's working directory");
	check("read", "{\"file_path\":\"a\\nb\\\"\"}", 1,
	    "read: a\nb\": no such file or directory");
	check("read", "{\"file_path\":\"../a\\tb\"}", 1,
	    "path \"../a\\tb\" is outside the session's working directory");
	check("read", "{\"file_path\":\"empty.txt\"}", 0, "(no output)");
	check("read", "{\"file_path\":\"crlf.txt\"}", 0, "a\r\nb\r\n");
	check("read", "{\"file_path\":\"bad.txt\"}", 0,
	    "ok\xef\xbf\xbd\xef\xbf\xbdx\n");

	/* view_range: 1-based, inclusive, end <= 0 means the end. */
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[2,3]}", 0,
	    "l2\nl3");
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[0,0]}", 0,
	    "l1\nl2\nl3\n");
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[3,-1]}", 0,
	    "l3\n");
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[4,4]}", 0,
	    "(no output)");
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[2,1]}", 0,
	    "(no output)");
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[-5,1]}", 0,
	    "l1");
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[2,9]}", 0,
	    "l2\nl3\n");
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[]}", 0,
	    "l1\nl2\nl3\n");
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[1]}", 1,
	    "read: view_range must be [start_line, end_line]");
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[1,2,3]}",
	    1, "read: view_range must be [start_line, end_line]");
	check("read", "{\"file_path\":\"three.txt\",\"view_range\":[\"1\",2]}",
	    1, "read: view_range must be [start_line, end_line]");

	/* The 256 KiB cap, and streaming ranges of a bigger file. */
	buf_init(&b, BUF_UNBOUNDED);
	for (int i = 0; i < 30000; i++)
		if (buf_printf(&b, "line %05d\n", i) != 0)
			fatalx("buf");
	put("big.txt", b.data, b.len);
	snprintf(want, sizeof want, "read: big.txt is %zu bytes, exceeds "
	    "262144-byte limit. Use the view_range parameter to read specific "
	    "line ranges, e.g. view_range: [1, 500].", b.len);
	check("read", "{\"file_path\":\"big.txt\"}", 1, want);
	check("read", "{\"file_path\":\"big.txt\",\"view_range\":[2,3]}", 0,
	    "line 00001\nline 00002");
	check("read", "{\"file_path\":\"big.txt\",\"view_range\":[30000,0]}",
	    0, "line 29999\n");
	check("read", "{\"file_path\":\"big.txt\",\"view_range\":[1,0]}", 1,
	    "read: view_range [1, 0] of big.txt exceeds 262144-byte limit. "
	    "Narrow the view_range to read a smaller portion.");
	buf_reset(&b);
	for (int i = 0; i < 300000; i++)
		if (buf_putc(&b, 'x') != 0)
			fatalx("buf");
	put("wide.txt", b.data, b.len);
	check("read", "{\"file_path\":\"wide.txt\",\"view_range\":[1,1]}", 1,
	    "read: line 1 of wide.txt alone exceeds 262144-byte limit. The "
	    "read tool cannot return part of a line, so view_range cannot "
	    "narrow this further.");
	buf_clear(&b);
}

static void
write_tests(void)
{
	struct stat	 st;
	char		*s;

	check("write", "{\"content\":\"x\"}", 1,
	    "write: file_path is required");
	check("write", "{\"file_path\":\"w.txt\"}", 1,
	    "write: content is required");
	check("write", "{\"file_path\":\"w.txt\",\"content\":\"h\xc3\xa9\"}", 0,
	    "wrote 3 bytes to w.txt");
	s = get("w.txt");
	is_str(s, "h\xc3\xa9", "write: the content arrived");
	free(s);
	ok(stat(host("w.txt"), &st) == 0 && (st.st_mode & 0777) == 0600,
	    "write: a new file is 0600");
	if (geteuid() == 0 && sandboxed)
		ok(st.st_uid != 0, "write: a new file belongs to the sandbox "
		    "uid, not root");
	check("write", "{\"file_path\":\"new/deep/x.txt\",\"content\":\"\"}", 0,
	    "wrote 0 bytes to new/deep/x.txt");
	ok(stat(host("new/deep"), &st) == 0 && (st.st_mode & 0777) == 0700,
	    "write: missing directories are made 0700");
	chmod(host("w.txt"), 0755);
	check("write", "{\"file_path\":\"w.txt\",\"content\":\"again\"}", 0,
	    "wrote 5 bytes to w.txt");
	ok(stat(host("w.txt"), &st) == 0 && (st.st_mode & 0777) == 0755,
	    "write: an existing file keeps its mode");
	check("write", "{\"file_path\":\"dir\",\"content\":\"x\"}", 1,
	    "write: dir: is a directory");
	check("write", "{\"file_path\":\".\",\"content\":\"x\"}", 1,
	    "write: .: is a directory");
	check("write", "{\"file_path\":\"three.txt/x\",\"content\":\"x\"}", 1,
	    "write: three.txt/x: not a directory");
	check("write", "{\"file_path\":\"../escape.txt\",\"content\":\"x\"}", 1,
	    "path \"../escape.txt\" is outside the session's working "
	    "directory");
	symlink("w.txt", host("w-link"));
	check("write", "{\"file_path\":\"w-link\",\"content\":\"via\"}", 0,
	    "wrote 3 bytes to w-link");
	s = get("w.txt");
	is_str(s, "via", "write: through a link inside, to its target");
	free(s);
	ok(lstat(host("w-link"), &st) == 0 && S_ISLNK(st.st_mode),
	    "write: the link stays a link");
}

static void
edit_tests(void)
{
	struct stat	 st;
	char		*s;

	put("e.txt", "one two two $x\n", 15);
	chmod(host("e.txt"), 0751);
	check("edit", "{\"old_string\":\"a\",\"new_string\":\"b\"}", 1,
	    "edit: file_path is required");
	check("edit", "{\"file_path\":\"e.txt\",\"new_string\":\"b\"}", 1,
	    "edit: old_string is required");
	check("edit", "{\"file_path\":\"e.txt\",\"old_string\":\"\","
	    "\"new_string\":\"b\"}", 1, "edit: old_string is required");
	check("edit", "{\"file_path\":\"e.txt\",\"old_string\":\"one\"}", 1,
	    "edit: new_string is required");
	check("edit", "{\"file_path\":\"e.txt\",\"old_string\":\"zzz\","
	    "\"new_string\":\"b\"}", 1, "edit: old_string not found in e.txt");
	check("edit", "{\"file_path\":\"e.txt\",\"old_string\":\"two\","
	    "\"new_string\":\"b\"}", 1,
	    "edit: old_string appears 2 times in e.txt (must be unique)");
	check("edit", "{\"file_path\":\"e.txt\",\"old_string\":\"one\","
	    "\"new_string\":\"$&1\"}", 0, "edited e.txt (1 replacement(s))");
	check("edit", "{\"file_path\":\"e.txt\",\"old_string\":\"two\","
	    "\"new_string\":\"2\",\"replace_all\":true}", 0,
	    "edited e.txt (2 replacement(s))");
	s = get("e.txt");
	is_str(s, "$&1 2 2 $x\n", "edit: replacements are literal");
	free(s);
	ok(stat(host("e.txt"), &st) == 0 && (st.st_mode & 0777) == 0751,
	    "edit: the file keeps its mode");
	check("edit", "{\"file_path\":\"nope.txt\",\"old_string\":\"a\","
	    "\"new_string\":\"b\"}", 1, "edit: nope.txt: no such file or "
	    "directory");
	check("edit", "{\"file_path\":\"fifo\",\"old_string\":\"a\","
	    "\"new_string\":\"b\"}", 1, "edit: fifo is not a regular file");
	check_prefix("edit", "{\"file_path\":\"big.txt\",\"old_string\":\"a\","
	    "\"new_string\":\"b\"}", 1, "edit: big.txt is 330000 bytes, "
	    "exceeds 262144-byte limit. The edit tool loads the whole file");
	put("aaa.txt", "aaa", 3);
	check("edit", "{\"file_path\":\"aaa.txt\",\"old_string\":\"aa\","
	    "\"new_string\":\"b\"}", 0, "edited aaa.txt (1 replacement(s))");
	s = get("aaa.txt");
	is_str(s, "ba", "edit: occurrences do not overlap");
	free(s);
}

static void
glob_tests(void)
{
	struct timespec	 ts[2];
	struct buf	 b;
	char		 name[64], want[2048];
	struct tool_result r;

	mkdir(host("g"), 0755);
	mkdir(host("g/sub"), 0755);
	mkdir(host("g/.git"), 0755);
	put("g/old.c", "", 0);
	put("g/new.c", "", 0);
	put("g/sub/mid.c", "", 0);
	put("g/.git/x.c", "", 0);
	put("g/.hidden.c", "", 0);
	ts[0].tv_sec = ts[1].tv_sec = 1000000000;
	ts[0].tv_nsec = ts[1].tv_nsec = 0;
	utimensat(AT_FDCWD, host("g/old.c"), ts, 0);
	ts[0].tv_sec = ts[1].tv_sec = 1000000100;
	utimensat(AT_FDCWD, host("g/sub/mid.c"), ts, 0);
	ts[0].tv_sec = ts[1].tv_sec = 1000000200;
	utimensat(AT_FDCWD, host("g/new.c"), ts, 0);

	check("glob", "{}", 1, "glob: pattern is required");
	check("glob", "{\"pattern\":\"/etc/*\"}", 1, "glob: absolute pattern "
	    "not permitted; pass a relative pattern (and optionally path)");
	check("glob", "{\"pattern\":\"a/../*\"}", 1,
	    "glob: \"..\" is not permitted in the pattern");
	check("glob", "{\"pattern\":\"{x,..}/*\"}", 1,
	    "glob: \"..\" is not permitted in the pattern");
	check("glob", "{\"pattern\":\"*.nothing\"}", 0, "no matches");
	snprintf(want, sizeof want, "%s/g/new.c\n%s/g/sub/mid.c\n%s/g/old.c",
	    root, root, root);
	check("glob", "{\"pattern\":\"g/**/*.c\"}", 0, want);
	snprintf(want, sizeof want, "%s/g/new.c\n%s/g/sub/mid.c\n%s/g/old.c",
	    root, root, root);
	check("glob", "{\"pattern\":\"**/*.c\",\"path\":\"g\"}", 0, want);
	snprintf(want, sizeof want, "%s/g/.hidden.c", root);
	check("glob", "{\"pattern\":\".*\",\"path\":\"g\"}", 0, want);
	check("glob", "{\"pattern\":\"*\",\"path\":\"nowhere\"}", 0,
	    "no matches");
	check("glob", "{\"pattern\":\"*\",\"path\":\"../\"}", 1,
	    "path \"../\" is outside the session's working directory");

	/* At most 200 results. */
	mkdir(host("many"), 0755);
	for (int i = 0; i < 210; i++) {
		snprintf(name, sizeof name, "many/f%03d", i);
		put(name, "", 0);
	}
	r = run("glob", "{\"pattern\":\"many/*\"}");
	buf_init(&b, BUF_UNBOUNDED);
	if (buf_append(&b, r.text, r.len) != 0)
		fatalx("buf");
	{
		size_t	lines = 1;

		for (size_t i = 0; i < b.len; i++)
			lines += b.data[i] == '\n';
		is_int(lines, 200, "glob: at most 200 results");
	}
	buf_clear(&b);
	tool_result_clear(&r);
}

static void
grep_tests(void)
{
	struct buf	 b;
	char		 want[1024];
	struct tool_result r;

	mkdir(host("s"), 0755);
	put("s/a.txt", "alpha\nbeta 42\r\ngamma\rdelta 7\n", 29);
	put("s/bin.dat", "x 1\0y 2\nz 3\nrest 4", 18);
	put("s/long.txt", "", 0);
	buf_init(&b, BUF_UNBOUNDED);
	for (int i = 0; i < 2001; i++)
		if (buf_putc(&b, '9') != 0)
			fatalx("buf");
	if (buf_puts(&b, "\nshort 9\n") != 0)
		fatalx("buf");
	put("s/long.txt", b.data, b.len);

	check("grep", "{}", 1, "grep: pattern is required");
	check_prefix("grep", "{\"pattern\":\"(\"}", 1,
	    "grep: invalid regex: Invalid regular expression: /(/: ");
	check("grep", "{\"pattern\":\"nothing-here\"}", 0, "no matches");
	snprintf(want, sizeof want, "%s/s/a.txt:2:beta 42\n"
	    "%s/s/a.txt:4:delta 7", root, root);
	check("grep", "{\"pattern\":\"\\\\d+$\",\"path\":\"s/a.txt\"}", 0,
	    want);
	r = run("grep", "{\"pattern\":\"[0-9]\",\"path\":\"s/bin.dat\"}");
	{
		char	expect[1024];

		/* The NUL stays in the line, as readline kept it. */
		snprintf(expect, sizeof expect, "%s/s/bin.dat:1:x 1", root);
		ok(r.len > strlen(expect) && memcmp(r.text, expect,
		    strlen(expect)) == 0 && memchr(r.text, '\0', r.len) != NULL,
		    "grep: a line holding NUL is kept whole");
		snprintf(expect, sizeof expect, "%s/s/bin.dat:2:z 3", root);
		ok(strstr(r.text + strlen(r.text) + 1, expect) != NULL,
		    "grep: the complete lines of the chunk are searched");
		ok(strstr(r.text + strlen(r.text) + 1, "rest") == NULL,
		    "grep: the unfinished line after a NUL chunk is dropped");
	}
	tool_result_clear(&r);
	snprintf(want, sizeof want, "%s/s/long.txt:2:short 9", root);
	check("grep", "{\"pattern\":\"9\",\"path\":\"s/long.txt\"}", 0, want);
	check("grep", "{\"pattern\":\"x\",\"path\":\"missing\"}", 0,
	    "no matches");

	/* The 100 KiB budget, then the marker. */
	buf_reset(&b);
	for (int i = 0; i < 20000; i++)
		if (buf_puts(&b, "match me\n") != 0)
			fatalx("buf");
	mkdir(host("flood"), 0755);
	put("flood/f.txt", b.data, b.len);
	r = run("grep", "{\"pattern\":\"match\",\"path\":\"flood\"}");
	ok(r.len <= 102400 + 64 && r.len > 100000,
	    "grep: output is cut at about 100 KiB (%zu)", r.len);
	ok(strstr(r.text, "\n[output truncated at 102400 bytes]") != NULL &&
	    strcmp(r.text + r.len - 34, "[output truncated at 102400 bytes]")
	    == 0, "grep: and ends with the marker");
	tool_result_clear(&r);
	buf_clear(&b);
}

static void
bash_tests(void)
{
	char		 want[1024];
	struct tool_result r;
	int64_t		 start;

	if (!sandboxed) {
		tap_skip(17, "bubblewrap cannot run here");
		return;
	}
	check("bash", "{}", 1, "bash: command is required");
	check("bash", "{\"command\":7}", 1, "bash: command must be a string");
	check("bash", "{\"restart\":true}", 0, "bash session restarted");
	check("bash", "{\"command\":\"true\"}", 0, "(no output)");
	check("bash", "{\"command\":\"exit 3\"}", 1, "exit 3");
	check("bash", "{\"command\":\"echo out; echo err >&2; false\"}", 1,
	    "out\nerr");
	check("bash", "{\"command\":\"printf 'a\\\\033[1;31mred\\\\033[0m\\\\n"
	    "\\\\n\\\\n'\"}", 0, "ared");
	check("bash", "{\"command\":\"cd dir && export PH_X=carried\"}", 0,
	    "(no output)");
	snprintf(want, sizeof want, "%s/dir carried", root);
	check("bash", "{\"command\":\"echo $PWD $PH_X\"}", 0, want);
	check("bash", "{\"command\":\"echo ok\",\"restart\":true}", 0, "ok");
	snprintf(want, sizeof want, "%s", root);
	check("bash", "{\"command\":\"pwd\"}", 0, want);
	check("bash", "{\"command\":\"cat < /dev/stdin; echo done\"}", 0,
	    "done");

	/* 150 000 bytes of output: the last 100 KiB are kept. */
	r = run("bash", "{\"command\":\"head -c 150000 /dev/zero | tr "
	    "'\\\\0' a; echo; echo end\"}");
	ok(!r.is_error && strncmp(r.text, "[output truncated]\n", 19) == 0,
	    "bash: a long output starts with the truncation note");
	ok(r.len == 19 + 102400 - 1 && strcmp(r.text + r.len - 4, "\nend") ==
	    0, "bash: and keeps the last 100 KiB (%zu)", r.len);
	tool_result_clear(&r);

	start = clock_mono_us();
	check("bash", "{\"command\":\"sleep 5\",\"timeout_ms\":300}", 1,
	    "bash: bash command timed out after 300ms");
	ok(clock_mono_us() - start < 2000000, "bash: the timeout was "
	    "enforced");

	/* The output cap kills the command. */
	r = run("bash", "{\"command\":\"yes\"}");
	ok(r.is_error && strncmp(r.text, "[output truncated]\n", 19) == 0 &&
	    strstr(r.text, "bash: the command wrote more than 16777216 bytes "
	    "and was killed") != NULL, "bash: an output flood is cut");
	tool_result_clear(&r);
}

static void
misc_tests(void)
{
	struct toolbox_config	 cfg;
	json_t			*net, *schema;
	char			*cause = NULL;

	check("web_fetch", "{\"url\":\"https://example.org\"}", 1,
	    "web_fetch: unavailable \xe2\x80\x94 the local harness has no "
	    "network access");
	check("web_search", "{\"query\":\"x\"}", 1,
	    "web_search: unavailable \xe2\x80\x94 the local harness has no "
	    "network access");
	check("nonsense", "{}", 1, "Error: unknown tool \"nonsense\"");
	ok(toolset_is_builtin("grep") && toolset_is_builtin("web_fetch") &&
	    !toolset_is_builtin("Bash"), "toolset_is_builtin");
	ok(toolset_runs_offline("bash") && !toolset_runs_offline("web_search"),
	    "toolset_runs_offline");
	schema = toolset_schema("read");
	ok(schema != NULL && json_is_object(json_object_get(schema,
	    "input_schema")) && strcmp(json_string_value(json_object_get(
	    schema, "name")), "read") == 0, "toolset_schema(read)");
	json_decref(schema);
	ok(toolset_schema("nope") == NULL, "no schema for unknown tools");

	memset(&cfg, 0, sizeof cfg);
	cfg.workspace = ws;
	cfg.unsafe_no_sandbox = !sandboxed;
	net = json_loads("{\"type\":\"unrestricted\"}", 0, NULL);
	cfg.networking = net;
	ok(toolbox_create(&cfg, &cause) == NULL && cause != NULL &&
	    strstr(cause, "cannot be honoured") != NULL,
	    "unrestricted networking is refused offline");
	free(cause);
	cause = NULL;
	json_decref(net);
	net = json_loads("{\"type\":\"limited\",\"allowed_hosts\":"
	    "[\"github.com\"]}", 0, NULL);
	cfg.networking = net;
	ok(toolbox_create(&cfg, &cause) == NULL, "allowed hosts are refused");
	free(cause);
	cause = NULL;
	json_decref(net);
	net = json_loads("{\"type\":\"limited\",\"allowed_hosts\":[]}", 0,
	    NULL);
	cfg.networking = net;
	{
		struct toolbox *t2 = toolbox_create(&cfg, &cause);

		ok(t2 != NULL, "no network at all is honoured");
		toolbox_free(t2);
	}
	json_decref(net);
}

int
main(void)
{
	struct toolbox_config	 cfg;
	char			*cause = NULL, path[512];

	snprintf(top, sizeof top, "%s/tooltest.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(top) == NULL)
		fatal("mkdtemp");
	chmod(top, 0711);
	snprintf(path, sizeof path, "%s/ws", top);
	memset(&cfg, 0, sizeof cfg);
	cfg.workspace = path;
	if ((tb = toolbox_create(&cfg, &cause)) != NULL)
		sandboxed = 1;
	else {
		diag("no sandbox (%s): file tools only", cause);
		free(cause);
		cfg.unsafe_no_sandbox = 1;
		if ((tb = toolbox_create(&cfg, &cause)) == NULL)
			fatalx("toolbox_create: %s", cause);
	}
	ws = toolbox_workspace(tb);
	snprintf(root, sizeof root, "%s", sandboxed ? "/workspace" : ws);

	read_tests();
	write_tests();
	edit_tests();
	glob_tests();
	grep_tests();
	bash_tests();
	misc_tests();

	toolbox_free(tb);
	snprintf(path, sizeof path, "rm -rf '%s'", top);
	if (system(path) != 0)
		diag("could not remove %s", top);
	return done_testing();
}
