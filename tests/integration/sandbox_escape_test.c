/*
 * ISC licence: see COPYING.  The escape and abuse battery of sandbox.md
 * section 14: every row is a test here, numbered as in the table, run
 * against the real bubblewrap sandbox (as root in CI, where commands
 * drop to an unprivileged uid) and the real toolbox.  Limits are small
 * (2 s walls, 64 MiB memory, 64 processes) so the battery stays fast.
 */

#include "config.h"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <netinet/in.h>

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/cancel.h"
#include "base/clock.h"
#include "base/xmalloc.h"
#include "harness/sandbox.h"
#include "harness/tool.h"
#include "tap.h"

#define KEY_ENV		"ANTHROPIC_API_KEY"

static struct sandbox		*sb;
static struct sandbox_limits	 limits;
static char			 top[256];	/* private temporary dir */
static char			 ws[512];	/* the workspace (host) */
static char			 key[64];	/* the fake API key */
static char			 token[64];	/* marks our test processes */
static int			 has_cgroup;
static uid_t			 sb_uid;

/* What a command printed (stdout and stderr merged) and how it ended. */
struct run {
	struct buf		out;
	struct sandbox_status	st;
};

static void
collect(void *arg, int stream, const char *p, size_t len)
{
	struct run	*r = arg;

	/* Past 4 MiB the rest is dropped: the tests look at the start. */
	if (buf_append(&r->out, p, len) != 0)
		return;
}

/* Run cmd in sandbox s; the caller frees with run_free. */
static void
sh_in(struct sandbox *s, struct run *r, const char *cmd, int64_t timeout_ms,
    struct cancel *cc)
{
	struct sandbox_cmd	 c;
	char			*cause = NULL;

	memset(r, 0, sizeof *r);
	buf_init(&r->out, 4 << 20);
	memset(&c, 0, sizeof c);
	c.command = cmd;
	c.timeout_ms = timeout_ms;
	c.merge_stderr = 1;
	c.output = collect;
	c.arg = r;
	if (sandbox_run(s, &c, cc, &r->st, &cause) != 0)
		fatalx("sandbox_run: %s", cause);
}

/* Run cmd in the battery's sandbox with a 10 s wall clock. */
static void
sh(struct run *r, const char *fmt, ...) AD_PRINTFLIKE(2, 3);
static void
sh(struct run *r, const char *fmt, ...)
{
	va_list	 ap;
	char	*cmd;

	va_start(ap, fmt);
	if (xvasprintf(&cmd, fmt, ap) < 0)
		fatalx("vasprintf");
	va_end(ap);
	sh_in(sb, r, cmd, 10000, NULL);
	free(cmd);
}

static void
run_free(struct run *r)
{
	buf_clear(&r->out);
	sandbox_status_clear(&r->st);
}

/* Whether the output contains s. */
static int
has(const struct run *r, const char *s)
{
	return r->out.len > 0 && memmem(r->out.data, r->out.len, s,
	    strlen(s)) != NULL;
}

/* How many host processes have s in their command line. */
static int
host_procs(const char *s)
{
	DIR		*d;
	struct dirent	*de;
	char		 path[300], cmd[4096];
	ssize_t		 n;
	int		 fd, count = 0;

	if ((d = opendir("/proc")) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s/cmdline", de->d_name);
		if ((fd = open(path, O_RDONLY|O_CLOEXEC)) == -1)
			continue;
		n = read(fd, cmd, sizeof cmd - 1);
		close(fd);
		for (ssize_t i = 0; i < n; i++)
			if (cmd[i] == '\0')
				cmd[i] = ' ';
		if (n > 0 && memmem(cmd, (size_t)n, s, strlen(s)) != NULL)
			count++;
	}
	closedir(d);
	return count;
}

/* Poll up to ms for no host process carrying token + suffix. */
static int
procs_gone(const char *suffix, int ms)
{
	int64_t	 deadline = clock_mono_us() + ms * 1000LL;
	char	 s[128];

	snprintf(s, sizeof s, "%s%s", token, suffix);
	for (;;) {
		if (host_procs(s) == 0)
			return 1;
		if (clock_mono_us() >= deadline)
			return 0;
		usleep(10000);
	}
}

/* Poll up to ms for a host process carrying token + suffix. */
static int
procs_appear(const char *suffix, int ms)
{
	int64_t	 deadline = clock_mono_us() + ms * 1000LL;
	char	 s[128];

	snprintf(s, sizeof s, "%s%s", token, suffix);
	while (host_procs(s) == 0) {
		if (clock_mono_us() >= deadline)
			return 0;
		usleep(5000);
	}
	return 1;
}

/* Poll up to ms for a file to appear. */
static int
wait_file(const char *path, int ms)
{
	int64_t	deadline = clock_mono_us() + ms * 1000LL;

	while (access(path, F_OK) != 0) {
		if (clock_mono_us() >= deadline)
			return 0;
		usleep(5000);
	}
	return 1;
}

/* Rows 1-9: nothing of the host, no key, nothing writable but ours. */
static void
rows_secrets(int keyfd)
{
	struct run	r;
	char		keyfile[512];

	sh(&r, "cat /etc/shadow");
	ok(r.st.code != 0 && has(&r, "No such file"),
	    "row 1: /etc/shadow is not there");
	run_free(&r);
	sh(&r, "ls /root /home");
	ok(r.st.code != 0 && has(&r, "/root") && has(&r, "No such file"),
	    "row 2: no host home directories");
	run_free(&r);
	sh(&r, "env");
	ok(r.st.code == 0 && !has(&r, key) && !has(&r, KEY_ENV) &&
	    has(&r, "HOME=/workspace"), "row 3: the key is not in the "
	    "environment");
	run_free(&r);
	sh(&r, "tr '\\0' '\\n' < /proc/1/environ");
	ok(!has(&r, key) && has(&r, "PATH=/usr/bin:/bin"),
	    "row 4: bwrap's init has a clean environment");
	run_free(&r);
	sh(&r, "cat /proc/[0-9]*/environ /proc/[0-9]*/cmdline 2>/dev/null | "
	    "tr '\\0' '\\n'; echo scanned");
	ok(has(&r, "scanned") && !has(&r, key),
	    "row 5: no process in the sandbox shows the key");
	run_free(&r);
	sh(&r, "for f in /proc/self/fd/*; do echo \"$f $(readlink $f)\"; "
	    "done; cat /proc/self/fd/%d 2>&1; echo end", keyfd);
	ok(!has(&r, key) && !has(&r, "key.txt") && has(&r, "/proc/self/fd/3 "
	    "/dev/null") && !has(&r, "/proc/self/fd/5") &&
	    !has(&r, "/proc/self/fd/6") && !has(&r, "/proc/self/fd/7"),
	    "row 6: no inherited descriptors beyond stdio and /dev/null");
	run_free(&r);
	snprintf(keyfile, sizeof keyfile, "%s/config/key.txt", top);
	sh(&r, "cat %s", keyfile);
	ok(r.st.code != 0 && has(&r, "No such file") && !has(&r, key),
	    "row 7: the harness's key file is not reachable by its path");
	run_free(&r);
	sh(&r, "echo x > /usr/x; echo x > /etc/x");
	ok(r.st.code != 0 && has(&r, "/usr/x: Read-only file system") &&
	    has(&r, "/etc/x: Read-only file system"),
	    "row 8: /usr and /etc are read-only");
	run_free(&r);
	sh(&r, "echo x > /x; echo x > /dev/x");
	ok(r.st.code != 0 && has(&r, "/x: Read-only file system") &&
	    has(&r, "/dev/x: Read-only file system"),
	    "row 9: the sandbox root and /dev are read-only");
	run_free(&r);
}

/* Rows 10-16 and 38: the kernel and the harness stay out of reach. */
static void
rows_kernel(void)
{
	struct run	r;
	int		n;

	sh(&r, "v=$(cat /proc/sys/kernel/printk_ratelimit); "
	    "echo $v > /proc/sys/kernel/printk_ratelimit");
	ok(r.st.code != 0 && (has(&r, "Read-only file system") ||
	    has(&r, "Permission denied")), "row 10: sysctls are read-only");
	run_free(&r);
	sh(&r, "hostname x; mount -t tmpfs none /tmp; mknod /tmp/n c 1 3; "
	    "echo end");
	ok(has(&r, "hostname: ") && has(&r, "mount: ") &&
	    has(&r, "mknod: ") && !has(&r, "\nx\n"),
	    "row 11: hostname, mount and mknod fail");
	run_free(&r);
	sh(&r, "unshare -U true; echo rc=$?; unshare -Urm sh -c 'mount -t "
	    "tmpfs none /usr'; echo rc=$?");
	ok(!has(&r, "rc=0"), "row 12: no nested user namespace");
	run_free(&r);
	sh(&r, "command -v su >/dev/null || echo no-su; su -c id root; "
	    "echo rc=$?");
	if (has(&r, "no-su"))
		tap_skip(1, "row 13: su is not installed");
	else
		ok(!has(&r, "rc=0") && !has(&r, "uid=0"),
		    "row 13: a setuid binary gains nothing");
	run_free(&r);
	sh(&r, "ls -d /proc/[0-9]* | wc -l");
	n = atoi(r.out.data != NULL ? r.out.data : "99");
	ok(n > 0 && n <= 8, "row 14: only the sandbox's processes are "
	    "visible (%d)", n);
	run_free(&r);
	sh(&r, "kill -0 %ld; echo rc=$?", (long)getpid());
	ok(has(&r, "No such process") && has(&r, "rc=1"),
	    "row 15: the harness cannot be signalled");
	run_free(&r);
	sh(&r, "/workspace/helper ptrace %ld", (long)getpid());
	ok(has(&r, "ptrace=ESRCH"), "row 16: the harness cannot be traced");
	run_free(&r);
	sh(&r, "ls /sys/class/net; dmesg; echo end");
	ok(has(&r, "/sys/class/net") && has(&r, "No such file") &&
	    has(&r, "dmesg: ") && has(&r, "end"),
	    "row 38: no /sys, no kernel log");
	run_free(&r);
}

/*
 * Row 17: the harness's terminal is a pty (a child process with the pty
 * as its controlling terminal runs the sandbox); inside, TIOCSTI on a
 * terminal the command owns is refused by the filter, /dev/tty is
 * nothing, and no byte arrives on the harness's terminal.
 */
static void
row_tiocsti(void)
{
	struct termios	 t;
	struct run	 r;
	char		 c;
	pid_t		 pid;
	int		 master, slave, status;

	if (openpty(&master, &slave, NULL, NULL, NULL) != 0) {
		tap_skip(3, "row 17: no pty");
		return;
	}
	fflush(stdout);
	if ((pid = fork()) == 0) {
		setsid();
		if (ioctl(slave, TIOCSCTTY, 0) != 0)
			_exit(10);
		tcgetattr(slave, &t);
		cfmakeraw(&t);
		tcsetattr(slave, TCSANOW, &t);
		dup2(slave, 0);
		sh(&r, "/workspace/helper tiocsti; exec 9<>/dev/tty && echo "
		    "tty-open");
		fcntl(slave, F_SETFL, O_NONBLOCK);
		/* 0: refused twice, nothing typed, no /dev/tty. */
		status = has(&r, "pty=ok") && has(&r, "tiocsti=EPERM") &&
		    has(&r, "tiocsti_hi=EPERM") && has(&r, "typed=no") &&
		    !has(&r, "tty-open") ? 0 : 1;
		if (read(slave, &c, 1) == 1)
			status |= 2;
		_exit(status);
	}
	close(slave);
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && (WEXITSTATUS(status) & 1) == 0,
	    "row 17: TIOCSTI is refused (also with bit 32 set)");
	ok(WIFEXITED(status) && (WEXITSTATUS(status) & 2) == 0,
	    "row 17: nothing was typed into the harness's terminal");
	fcntl(master, F_SETFL, O_NONBLOCK);
	ok(read(master, &c, 1) != 1, "row 17: nothing was written to it");
	close(master);
}

/* Rows 18-22: no network, no host sockets, no links out. */
static void
rows_network(void)
{
	struct sockaddr_in	 sin;
	struct sockaddr_un	 sun;
	struct run		 r;
	socklen_t		 len = sizeof sin;
	char			 name[600];
	int			 tcp, unx, c;

	tcp = socket(AF_INET, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0);
	memset(&sin, 0, sizeof sin);
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(tcp, (struct sockaddr *)&sin, sizeof sin) != 0 ||
	    listen(tcp, 4) != 0 ||
	    getsockname(tcp, (struct sockaddr *)&sin, &len) != 0)
		fatal("listen");
	sh(&r, "echo hi > /dev/tcp/127.0.0.1/%d && echo connected",
	    ntohs(sin.sin_port));
	c = accept(tcp, NULL, NULL);
	ok(!has(&r, "connected") && has(&r, "Connection refused") && c == -1,
	    "row 18: host loopback services are unreachable");
	run_free(&r);
	close(tcp);

	snprintf(name, sizeof name, "pilothouse-test-%ld", (long)getpid());
	unx = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC|SOCK_NONBLOCK, 0);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path + 1, name, strlen(name));
	if (bind(unx, (struct sockaddr *)&sun, (socklen_t)(offsetof(struct
	    sockaddr_un, sun_path) + 1 + strlen(name))) != 0 ||
	    listen(unx, 4) != 0)
		fatal("abstract listen");
	sh(&r, "/workspace/helper abstract %s", name);
	c = accept(unx, NULL, NULL);
	ok(has(&r, "abstract=ECONNREFUSED") && c == -1,
	    "row 19: host abstract sockets are unreachable");
	run_free(&r);
	close(unx);

	sh(&r, "getent hosts example.org; echo rc=$?");
	ok(!has(&r, "rc=0"), "row 20: no DNS");
	run_free(&r);
	sh(&r, "grep : /proc/net/dev");
	ok(has(&r, "lo:") && !has(&r, "eth") && !has(&r, "ens") &&
	    r.out.len < 200, "row 21: only lo");
	run_free(&r);
	sh(&r, "ln /usr/bin/ls /workspace/ls-link; echo rc=$?");
	snprintf(name, sizeof name, "%s/ls-link", ws);
	ok(has(&r, "rc=1") && access(name, F_OK) != 0,
	    "row 22: no hard link out of the workspace");
	run_free(&r);
}

/* Row 23 and section 3: setuid plants, and uid 0 kept at bay. */
static void
rows_identity(void)
{
	struct sandbox_config	 cfg;
	struct sandbox		*root_sb;
	struct stat		 st;
	struct run		 r;
	char			 path[600], *cause = NULL;

	sh(&r, "cp /usr/bin/id planted && chmod u+s planted; echo rc=$?; "
	    "chmod g+s planted; echo rc=$?");
	snprintf(path, sizeof path, "%s/planted", ws);
	ok(has(&r, "Operation not permitted") && stat(path, &st) == 0 &&
	    (st.st_mode & (S_ISUID|S_ISGID)) == 0,
	    "row 23: no setuid or setgid bit can be set");
	ok(st.st_uid == sb_uid && (sb_uid != 0 || geteuid() != 0),
	    "row 23: the file belongs to the sandbox uid (%u), never root",
	    (unsigned)st.st_uid);
	run_free(&r);

	if (geteuid() != 0) {
		tap_skip(2, "section 3: needs root");
		return;
	}
	/* Deliberately as kernel uid 0: the mitigations still hold. */
	memset(&cfg, 0, sizeof cfg);
	snprintf(path, sizeof path, "%s/ws0", top);
	cfg.workspace = path;
	cfg.allow_uid0 = 1;
	cfg.limits = &limits;
	if ((root_sb = sandbox_create(&cfg, &cause)) == NULL)
		fatalx("sandbox_create: %s", cause);
	sh_in(root_sb, &r, "id -u; v=$(cat /proc/sys/kernel/printk_ratelimit);"
	    " echo $v > /proc/sys/kernel/printk_ratelimit; cat /etc/shadow",
	    10000, NULL);
	ok(has(&r, "0\n") && has(&r, "Read-only file system"),
	    "section 3: even as uid 0, /proc/sys stays read-only");
	ok(has(&r, "/etc/shadow: No such file"),
	    "section 3: and /etc/shadow is not there to read");
	run_free(&r);
	sandbox_free(root_sb);
}

/* Rows 24-27: traps the sandbox plants for the harness's file tools. */
static void
rows_traps(struct toolbox *tb)
{
	struct tool_result	 res;
	json_t			*in;
	char			*cause = NULL, pwn[512], json[1024];
	int64_t			 start;

#define TOOL(name, ...) do {						\
	snprintf(json, sizeof json, __VA_ARGS__);			\
	in = json_loads(json, 0, NULL);					\
	if (toolbox_run(tb, name, in, NULL, &res, &cause) != 0)		\
		fatalx("toolbox_run: %s", cause);			\
	json_decref(in);						\
} while (0)
	snprintf(pwn, sizeof pwn, "%s/pwn", top);
	TOOL("bash", "{\"command\":\"ln -s /etc/shadow leak && ln -s / "
	    "rootlink && ln -s %s outlink && mkfifo fifo && echo planted\"}",
	    top);
	ok(!res.is_error && strcmp(res.text, "planted") == 0,
	    "rows 24-27: the sandbox planted its traps");
	tool_result_clear(&res);

	TOOL("read", "{\"file_path\":\"leak\"}");
	ok(res.is_error && strstr(res.text, "is outside") != NULL &&
	    strstr(res.text, "root:") == NULL,
	    "row 24: a symlink to /etc/shadow is refused");
	tool_result_clear(&res);
	TOOL("write", "{\"file_path\":\"rootlink%s\",\"content\":\"x\"}", pwn);
	ok(res.is_error && access(pwn, F_OK) != 0,
	    "row 25: writing through a symlink to / is refused");
	tool_result_clear(&res);
	TOOL("write", "{\"file_path\":\"outlink/pwn\",\"content\":\"x\"}");
	ok(res.is_error && access(pwn, F_OK) != 0,
	    "row 25: writing through a symlink out is refused");
	tool_result_clear(&res);
	TOOL("edit", "{\"file_path\":\"leak\",\"old_string\":\"root\","
	    "\"new_string\":\"x\"}");
	ok(res.is_error && strstr(res.text, "is outside") != NULL,
	    "row 25: editing through a symlink out is refused");
	tool_result_clear(&res);
	TOOL("read", "{\"file_path\":\"../pwn\"}");
	ok(res.is_error && strstr(res.text, "is outside") != NULL,
	    "row 26: read ../ is refused");
	tool_result_clear(&res);
	TOOL("write", "{\"file_path\":\"../pwn\",\"content\":\"x\"}");
	ok(res.is_error && access(pwn, F_OK) != 0,
	    "row 26: write ../ is refused");
	tool_result_clear(&res);
	TOOL("read", "{\"file_path\":\"/etc/passwd\"}");
	ok(res.is_error && strstr(res.text, "is outside") != NULL,
	    "row 26: an absolute path outside is refused");
	tool_result_clear(&res);
	TOOL("grep", "{\"pattern\":\"root\",\"path\":\"outlink\"}");
	ok(res.is_error && strstr(res.text, "is outside") != NULL,
	    "row 26: grep cannot be pointed outside");
	tool_result_clear(&res);
	TOOL("glob", "{\"pattern\":\"**\",\"path\":\"rootlink/etc\"}");
	ok(res.is_error && strstr(res.text, "is outside") != NULL,
	    "row 26: glob cannot be pointed outside");
	tool_result_clear(&res);
	start = clock_mono_us();
	TOOL("read", "{\"file_path\":\"fifo\"}");
	ok(res.is_error && strstr(res.text, "not a regular file") != NULL &&
	    clock_mono_us() - start < 1000000,
	    "row 27: a FIFO is refused at once");
	tool_result_clear(&res);
#undef TOOL
}

/* Row 28: the sandbox swaps d/ for a symlink out while writes go on. */
struct swapper {
	struct sandbox	*sb;
	struct cancel	 cancel;
	struct run	 r;
};

static void *
swapper_main(void *arg)
{
	struct swapper	*s = arg;
	char		 cmd[1024];

	snprintf(cmd, sizeof cmd, "mkdir -p swap/d.dir; cd swap; touch "
	    "started; while :; do rm -f d; mv d.dir d; mv d d.dir; "
	    "ln -s %s/outside d; done", top);
	sh_in(s->sb, &s->r, cmd, 60000, &s->cancel);
	return NULL;
}

static void
row_toctou(struct toolbox *tb)
{
	struct sandbox_config	 cfg;
	struct swapper		 s;
	struct tool_result	 res;
	pthread_t		 t;
	json_t			*in;
	char			*cause = NULL, path[600];
	int			 wrote = 0, refused = 0;

	memset(&cfg, 0, sizeof cfg);
	cfg.workspace = toolbox_workspace(tb);
	cfg.limits = &limits;
	memset(&s, 0, sizeof s);
	if ((s.sb = sandbox_create(&cfg, &cause)) == NULL)
		fatalx("sandbox_create: %s", cause);
	cancel_init(&s.cancel);
	snprintf(path, sizeof path, "%s/outside", top);
	mkdir(path, 0777);
	pthread_create(&t, NULL, swapper_main, &s);
	snprintf(path, sizeof path, "%s/swap/started", toolbox_workspace(tb));
	ok(wait_file(path, 10000), "row 28: the swapping loop runs");
	in = json_pack("{s:s, s:s}", "file_path", "swap/d/x", "content", "x");
	for (int i = 0; i < 1000; i++) {
		if (toolbox_run(tb, "write", in, NULL, &res, &cause) != 0)
			fatalx("toolbox_run: %s", cause);
		if (res.is_error)
			refused++;
		else
			wrote++;
		tool_result_clear(&res);
	}
	json_decref(in);
	cancel_fire(&s.cancel);
	pthread_join(t, NULL);
	snprintf(path, sizeof path, "%s/outside/x", top);
	ok(access(path, F_OK) != 0, "row 28: 1000 writes raced a symlink "
	    "swap and none landed outside (%d written, %d refused)", wrote,
	    refused);
	run_free(&s.r);
	cancel_clear(&s.cancel);
	sandbox_free(s.sb);
}

/* Rows 29-34: resource abuse ends within the limits, leaving nothing. */
static void
rows_limits(void)
{
	struct stat	 st;
	struct run	 r;
	char		 cmd[1024], path[600];
	int64_t		 start;

	snprintf(cmd, sizeof cmd, "perl -e '$n = 0; for (1..1500) { my $p = "
	    "fork; last unless defined $p; if (!$p) { exec {\"sleep\"} "
	    "\"%s-bomb\", \"30\"; exit 1 } $n++ } print \"forked $n\\n\"'",
	    token);
	start = clock_mono_us();
	sh_in(sb, &r, cmd, 5000, NULL);
	ok(has(&r, "forked ") && !has(&r, "forked 1500"),
	    "row 29: a fork bomb stops at the process limit (%d forks)",
	    has(&r, "forked ") ? atoi(strstr(r.out.data, "forked ") + 7) : -1);
	ok(clock_mono_us() - start < 6000000 && procs_gone("-bomb", 0),
	    "row 29: the call ended and nothing is left");
	run_free(&r);

	if (!has_cgroup)
		tap_skip(2, "row 30: no memory cgroup on this host (memory is "
		    "only limited by cgroups: rlimits break ASan)");
	else {
		sh(&r, "perl -e '$x = \"a\" x (256 * 1024 * 1024); print "
		    "\"survived\\n\"'");
		/* "survived\n" as printed, not as bash echoes the command. */
		ok(!has(&r, "survived\n") && r.st.code == 137,
		    "row 30: a memory hog is OOM-killed (status %d)",
		    r.st.code);
		ok(r.st.oom, "row 30: and the harness knows it was the OOM "
		    "killer");
		run_free(&r);
	}

	start = clock_mono_us();
	sh_in(sb, &r, "while :; do :; done", 2000, NULL);
	ok((r.st.end == SANDBOX_TIMEOUT || r.st.code == 128 + SIGXCPU) &&
	    clock_mono_us() - start < 3500000,
	    "row 31: a CPU burn is killed at the 2 s limit (end %d, %d)",
	    r.st.end, r.st.code);
	run_free(&r);

	start = clock_mono_us();
	sh(&r, "yes");
	ok(r.st.end == SANDBOX_OUTPUT_CAP && r.st.output_len ==
	    limits.output_cap && r.out.len == (size_t)limits.output_cap &&
	    clock_mono_us() - start < 3000000,
	    "row 32: an output flood stops at the cap and is killed");
	run_free(&r);

	sh(&r, "head -c 32M /dev/zero > big; echo rc=$?; head -c 32M "
	    "/dev/zero > /tmp/fill; echo rc=$?");
	snprintf(path, sizeof path, "%s/big", ws);
	ok(stat(path, &st) == 0 && st.st_size == limits.fsize &&
	    has(&r, "rc=153"), "row 33: a file stops at RLIMIT_FSIZE "
	    "(SIGXFSZ)");
	ok(has(&r, "No space left on device"), "row 33: /tmp fills up and "
	    "says so");
	unlink(path);
	run_free(&r);

	sh(&r, "setsid nohup bash -c 'exec -a %s-daemon sleep 300' "
	    ">/dev/null 2>&1 & echo started", token);
	ok(has(&r, "started") && r.st.code == 0 && procs_gone("-daemon", 0),
	    "row 34: a daemon left behind is gone when the call returns");
	run_free(&r);
}

/* Row 35: cancel, measured from the cancel to the return. */
struct canceller {
	struct cancel	*cancel;
	char		 path[600];
	int64_t		 fired;
};

static void *
canceller_main(void *arg)
{
	struct canceller	*c = arg;

	if (wait_file(c->path, 10000)) {
		c->fired = clock_mono_us();
		cancel_fire(c->cancel);
	}
	return NULL;
}

static void
row_cancel(void)
{
	struct canceller	 c;
	struct cancel		 cancel;
	struct run		 r;
	pthread_t		 t;
	char			 cmd[256];
	int64_t			 took;

	cancel_init(&cancel);
	memset(&c, 0, sizeof c);
	c.cancel = &cancel;
	snprintf(c.path, sizeof c.path, "%s/cancel-started", ws);
	pthread_create(&t, NULL, canceller_main, &c);
	snprintf(cmd, sizeof cmd, "touch cancel-started; exec -a %s-cancel "
	    "sleep 100", token);
	sh_in(sb, &r, cmd, 60000, &cancel);
	took = clock_mono_us() - c.fired;
	pthread_join(t, NULL);
	ok(r.st.end == SANDBOX_CANCELLED && c.fired != 0,
	    "row 35: the cancel stops the command");
	ok(took <= 100000, "row 35: within 100 ms (%.1f ms)",
	    (double)took / 1000);
	ok(procs_gone("-cancel", 0), "row 35: and nothing of it is left");
	run_free(&r);
	cancel_clear(&cancel);
	unlink(c.path);
}

/* Row 36: the harness is SIGKILLed mid-call. */
static void
row_crash(void)
{
	struct run	r;
	char		path[600], cmd[256];
	pid_t		pid;

	snprintf(path, sizeof path, "%s/crash-started", ws);
	snprintf(cmd, sizeof cmd, "touch crash-started; exec -a %s-crash "
	    "sleep 100", token);
	fflush(stdout);
	if ((pid = fork()) == 0) {
		sh_in(sb, &r, cmd, 60000, NULL);
		_exit(0);
	}
	/* The file comes just before the exec that names the process. */
	ok(wait_file(path, 10000) && procs_appear("-crash", 5000),
	    "row 36: the command runs");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	ok(procs_gone("-crash", 3000),
	    "row 36: after SIGKILL of the harness nothing of it is left");
	unlink(path);
}

/* Row 37: a host UNIX socket outside is nowhere to be seen. */
static void
row_socket(void)
{
	struct sockaddr_un	 sun;
	struct run		 r;
	int			 fd;

	fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0);
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	if ((size_t)snprintf(sun.sun_path, sizeof sun.sun_path, "%s/host.sock",
	    top) >= sizeof sun.sun_path)
		fatalx("socket path too long: %s", top);
	if (bind(fd, (struct sockaddr *)&sun, sizeof sun) != 0 ||
	    listen(fd, 1) != 0)
		fatal("bind %s", sun.sun_path);
	sh(&r, "test -e %s && echo visible; ls /run /var/run 2>&1; echo end",
	    sun.sun_path);
	ok(!has(&r, "visible") && has(&r, "/run") && has(&r, "No such file"),
	    "row 37: no host socket (nor /run) can be reached; the sandbox "
	    "takes no extra binds at all");
	run_free(&r);
	close(fd);
}

/* Row 40: a "bwrap" planted in the workspace, with "." on PATH. */
static void
row_planted_bwrap(void)
{
	struct run	 r;
	char		 path[600], marker[600], *old;
	FILE		*f;

	snprintf(path, sizeof path, "%s/bwrap", ws);
	snprintf(marker, sizeof marker, "%s/fake-bwrap-ran", top);
	if ((f = fopen(path, "w")) == NULL)
		fatal("%s", path);
	fprintf(f, "#!/bin/sh\ntouch %s\n", marker);
	fclose(f);
	chmod(path, 0755);
	old = xstrdup(getenv("PATH") != NULL ? getenv("PATH") : "");
	setenv("PATH", ws, 1);
	if (chdir(ws) != 0)
		fatal("chdir");
	sh(&r, "echo real");
	setenv("PATH", old, 1);
	free(old);
	ok(has(&r, "real") && access(marker, F_OK) != 0,
	    "row 40: the harness runs /usr/bin/bwrap, never one on PATH");
	run_free(&r);
	unlink(path);
}

int
main(void)
{
	struct sandbox_config	 cfg;
	struct sandbox_info	 si;
	struct toolbox_config	 tcfg;
	struct toolbox		*tb;
	struct run		 r;
	char			*cause = NULL, path[600], cmd[2400];
	int			 keyfd;

	snprintf(top, sizeof top, "%s/escape.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(top) == NULL)
		fatal("mkdtemp");
	/* Searchable, so the test itself can look in; the key stays 0700. */
	chmod(top, 0711);
	snprintf(ws, sizeof ws, "%s/ws", top);
	snprintf(token, sizeof token, "ph-escape-%ld", (long)getpid());
	snprintf(key, sizeof key, "sk-ant-api03-ESCAPE%ldTESTKEY",
	    (long)getpid());
	setenv(KEY_ENV, key, 1);

	/* The key also sits in a file, and on a descriptor without CLOEXEC. */
	snprintf(path, sizeof path, "%s/config", top);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/config/key.txt", top);
	if ((keyfd = open(path, O_RDWR|O_CREAT, 0600)) == -1 ||
	    write(keyfd, key, strlen(key)) != (ssize_t)strlen(key))
		fatal("%s", path);

	sandbox_limits_default(&limits);
	limits.memory = 64 << 20;
	limits.pids = 64;
	limits.fsize = 8 << 20;
	limits.tmp_size = 4 << 20;
	limits.output_cap = 1 << 20;
	memset(&cfg, 0, sizeof cfg);
	cfg.workspace = ws;
	cfg.limits = &limits;
	if ((sb = sandbox_create(&cfg, &cause)) == NULL ||
	    sandbox_probe(sb, &cause) != 0) {
		printf("1..0 # SKIP the sandbox cannot run here: %s\n", cause);
		free(cause);
		return 0;
	}
	sandbox_describe(sb, &si);
	has_cgroup = si.cgroup != SANDBOX_CGROUP_NONE;
	sb_uid = si.uid;
	diag("sandbox uid %u, cgroup %d, running as uid %u", (unsigned)si.uid,
	    si.cgroup, (unsigned)geteuid());

	/* The helper runs inside: copy it into the workspace. */
	snprintf(cmd, sizeof cmd, "cp '%s/tests/integration/sandbox_helper' "
	    "'%s/helper' && chmod 755 '%s/helper' && chown %u '%s/helper'",
	    getenv("top_builddir") != NULL ? getenv("top_builddir") : ".", ws,
	    ws, (unsigned)si.uid, ws);
	if (system(cmd) != 0)
		fatalx("cannot copy the helper: %s", cmd);
	sh(&r, "/workspace/helper syscalls");
	ok(has(&r, "io_uring_setup=EPERM") && has(&r, "keyctl=EPERM") &&
	    has(&r, "add_key=EPERM") && has(&r, "bpf=EPERM") &&
	    has(&r, "perf_event_open=EPERM") && has(&r, "userfaultfd=EPERM"),
	    "row 39: io_uring, keyctl, bpf, perf and userfaultfd are refused");
	ok(has(&r, "unshare_user=EPERM") && has(&r, "clone_newuser=EPERM") &&
	    has(&r, "clone3=ENOSYS") && has(&r, "mount=EPERM") &&
	    has(&r, "unshare_mount=EPERM") && has(&r, "setns=EPERM") &&
	    has(&r, "chroot=EPERM") && has(&r, "openat2=ENOSYS"),
	    "row 39: nested namespaces, mounts, clone3 and openat2 are "
	    "refused");
	if (!has(&r, "bpf=EPERM"))
		diag("%.*s", (int)r.out.len, r.out.data);
	run_free(&r);

	rows_secrets(keyfd);
	rows_kernel();
	row_tiocsti();
	rows_network();
	rows_identity();

	memset(&tcfg, 0, sizeof tcfg);
	snprintf(path, sizeof path, "%s/tools", top);
	tcfg.workspace = path;
	if ((tb = toolbox_create(&tcfg, &cause)) == NULL)
		fatalx("toolbox_create: %s", cause);
	rows_traps(tb);
	row_toctou(tb);
	toolbox_free(tb);

	rows_limits();
	row_cancel();
	row_crash();
	row_socket();
	row_planted_bwrap();

	close(keyfd);
	sandbox_free(sb);
	if (chdir("/") != 0)
		fatal("chdir");
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	if (system(cmd) != 0)
		diag("could not remove %s", top);
	return done_testing();
}
