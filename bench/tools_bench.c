/*
 * ISC licence: see COPYING.  Benchmark: read, write and edit of a 100 KB
 * file through toolbox_run, as the harness calls them (path walk,
 * checks, atomic write), in the workspace given as argv[1] (default: a
 * temporary directory), then the bash tool running "true" in the sandbox
 * against "bash -c true" started plainly and in a bare bwrap with the
 * same namespaces and mounts (the floor; as root, as uid 65000, like
 * bench/sandbox.sh), alternating, each after an idle
 * gap of argv[3] ms (default 100: an agent's calls come seconds apart,
 * and the kernel's cost of joining a cgroup depends on that), argv[2]
 * rounds (default 100).  Prints the median and the 10th and 90th
 * percentiles of each.
 */

#include "config.h"

#include <sys/stat.h>
#include <sys/wait.h>

#include <grp.h>

#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/clock.h"
#include "base/xmalloc.h"
#include "harness/tool.h"

#define ROUNDS	1000
#define SIZE	(100 * 1000)

extern char **environ;

static int
cmp(const void *a, const void *b)
{
	int64_t	x = *(const int64_t *)a, y = *(const int64_t *)b;

	return x < y ? -1 : x > y;
}

/* Print one line of figures for n sorted samples (us). */
static void
report(const char *label, int64_t *t, int n)
{
	qsort(t, (size_t)n, sizeof t[0], cmp);
	printf("%-28s median %.3f ms  p10 %.3f ms  p90 %.3f ms\n", label,
	    (double)t[n / 2] / 1000, (double)t[n / 10] / 1000,
	    (double)t[n * 9 / 10] / 1000);
}

/* Run name(input) ROUNDS times; print the median and p90 in ms. */
static void
bench(struct toolbox *tb, const char *label, const char *name, json_t *a,
    json_t *b)
{
	struct tool_result	 r;
	int64_t			 t[ROUNDS], start;
	char			*cause = NULL;

	for (int i = 0; i < ROUNDS; i++) {
		start = clock_mono_us();
		if (toolbox_run(tb, name, (i & 1) ? b : a, NULL, &r,
		    &cause) != 0 || r.is_error)
			fatalx("%s: %s", label, cause != NULL ? cause : r.text);
		t[i] = clock_mono_us() - start;
		tool_result_clear(&r);
	}
	report(label, t, ROUNDS);
}

/* "bash -c true" as a plain child, waited for. */
static int64_t
plain_bash(void)
{
	char	*argv[] = { "/bin/bash", "-c", "true", NULL };
	int64_t	 start = clock_mono_us();
	pid_t	 pid;
	int	 status;

	if (posix_spawn(&pid, argv[0], NULL, NULL, argv, environ) != 0)
		fatal("posix_spawn");
	if (waitpid(pid, &status, 0) != pid || status != 0)
		fatalx("bash -c true failed");
	return clock_mono_us() - start;
}

/* "bash -c true" in a bare bwrap (bench/sandbox.sh's floor), waited for. */
static int64_t
bare_bwrap(const char *ws)
{
	char	*argv[] = { "/usr/bin/bwrap", "--unshare-all",
	    "--unshare-user", "--disable-userns", "--die-with-parent",
	    "--new-session", "--cap-drop", "ALL", "--clearenv", "--setenv",
	    "PATH", "/usr/bin:/bin", "--ro-bind", "/usr", "/usr", "--symlink",
	    "usr/bin", "/bin", "--symlink", "usr/lib", "/lib", "--symlink",
	    "usr/lib64", "/lib64", "--perms", "0755", "--dir", "/etc",
	    "--proc", "/proc", "--ro-bind", "/proc/sys", "/proc/sys", "--dev",
	    "/dev", "--perms", "1777", "--size", "67108864", "--tmpfs", "/tmp",
	    "--bind", (char *)ws, "/workspace", "--chdir", "/workspace",
	    "--remount-ro", "/dev", "--remount-ro", "/", "--", "/bin/bash",
	    "-c", "true", NULL };
	int64_t	 start = clock_mono_us();
	pid_t	 pid;
	int	 status;

	if ((pid = fork()) == -1)
		fatal("fork");
	if (pid == 0) {
		if (geteuid() == 0 && (setgroups(0, NULL) != 0 ||
		    setresgid(65000, 65000, 65000) != 0 ||
		    setresuid(65000, 65000, 65000) != 0))
			_exit(126);
		execve(argv[0], argv, environ);
		_exit(127);
	}
	if (waitpid(pid, &status, 0) != pid || status != 0)
		fatalx("bare bwrap failed (status %d)", status);
	return clock_mono_us() - start;
}

/* The bash tool against a plain bash, alternating, after idle gaps. */
static void
bench_bash(struct toolbox *tb, int rounds, int gap_ms)
{
	struct tool_result	 r;
	int64_t			*sb, *plain, *bare, start;
	json_t			*in;
	char			*cause = NULL;

	sb = xcalloc((size_t)rounds, sizeof *sb);
	plain = xcalloc((size_t)rounds, sizeof *plain);
	bare = xcalloc((size_t)rounds, sizeof *bare);
	in = json_pack("{s:s}", "command", "true");
	for (int i = 0; i < rounds + 3; i++) {
		usleep((useconds_t)gap_ms * 1000);
		start = clock_mono_us();
		if (toolbox_run(tb, "bash", in, NULL, &r, &cause) != 0 ||
		    r.is_error)
			fatalx("bash: %s", cause != NULL ? cause : r.text);
		tool_result_clear(&r);
		/* The first calls start the spawner: not counted. */
		if (i >= 3)
			sb[i - 3] = clock_mono_us() - start;
		usleep((useconds_t)gap_ms * 1000);
		if (i >= 3)
			plain[i - 3] = plain_bash();
		usleep((useconds_t)gap_ms * 1000);
		if (i >= 3)
			bare[i - 3] = bare_bwrap(toolbox_workspace(tb));
	}
	printf("%d rounds of bash \"true\", %d ms idle before each\n",
	    rounds, gap_ms);
	report("bash tool, sandboxed", sb, rounds);
	report("bash -c true, plain", plain, rounds);
	report("bare bwrap (the floor)", bare, rounds);
	printf("%-28s %.3f ms\n", "sandboxed - plain (medians)",
	    (double)(sb[rounds / 2] - plain[rounds / 2]) / 1000);
	printf("%-28s %.3f ms\n", "sandboxed - floor (medians)",
	    (double)(sb[rounds / 2] - bare[rounds / 2]) / 1000);
	json_decref(in);
	free(sb);
	free(plain);
	free(bare);
}

int
main(int argc, char **argv)
{
	struct toolbox_config	 cfg;
	struct toolbox		*tb;
	json_t			*w, *e1, *e2, *rd;
	char			*content, *cause = NULL, tmp[] =
				    "/tmp/tools-bench.XXXXXX", path[64];

	content = xmalloc(SIZE + 1);
	for (int i = 0; i < SIZE; i++)
		content[i] = (i % 50 == 49) ? '\n' : 'a' + i % 26;
	memcpy(content + SIZE / 2, "MARKER-ONE", 10);
	content[SIZE] = '\0';
	if (argc > 1 && *argv[1] != '\0')
		snprintf(path, sizeof path, "%s", argv[1]);
	else {
		/* The sandbox uid needs to search it (bare_bwrap). */
		if (mkdtemp(tmp) == NULL || chmod(tmp, 0711) != 0)
			fatal("mkdtemp");
		snprintf(path, sizeof path, "%s/ws", tmp);
	}
	memset(&cfg, 0, sizeof cfg);
	cfg.workspace = path;
	if ((tb = toolbox_create(&cfg, &cause)) == NULL)
		fatalx("toolbox_create: %s", cause);
	w = json_pack("{s:s, s:s}", "file_path", "f.txt", "content", content);
	rd = json_pack("{s:s}", "file_path", "f.txt");
	e1 = json_pack("{s:s, s:s, s:s}", "file_path", "f.txt", "old_string",
	    "MARKER-ONE", "new_string", "MARKER-TWO");
	e2 = json_pack("{s:s, s:s, s:s}", "file_path", "f.txt", "old_string",
	    "MARKER-TWO", "new_string", "MARKER-ONE");
	printf("%d rounds on a %d-byte file in %s\n", ROUNDS, SIZE,
	    toolbox_workspace(tb));
	bench(tb, "write (temp file, rename)", "write", w, w);
	bench(tb, "read (whole file)", "read", rd, rd);
	bench(tb, "edit (unique replacement)", "edit", e1, e2);
	bench_bash(tb, argc > 2 ? atoi(argv[2]) : 100,
	    argc > 3 ? atoi(argv[3]) : 100);
	json_decref(w);
	json_decref(rd);
	json_decref(e1);
	json_decref(e2);
	toolbox_free(tb);
	free(content);
	return 0;
}
