/* ISC licence: see COPYING.  One bubblewrap sandbox per command. */

#include "config.h"

#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/capability.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <poll.h>
#include <sched.h>
#include <pthread.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/io.h"
#include "base/log.h"
#include "base/paths.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "harness/cgroup.h"
#include "harness/sandbox.h"
#include "harness/seccomp.h"

/*
 * Descriptor numbers in the child.  bwrap reads 4..6 during setup and
 * closes them; 3 is the state pipe the wrapper script reports through
 * (the command itself gets /dev/null there); 7 is bwrap's JSON status.
 * No descriptor of the workspace is passed: bwrap would leave it open
 * inside, and a directory descriptor from outside the sandbox's mount
 * namespace is a way out of it.
 */
#define SANDBOX_FD_STATE	3
#define SANDBOX_FD_SECCOMP	4
#define SANDBOX_FD_PASSWD	5
#define SANDBOX_FD_GROUP	6
#define SANDBOX_FD_STATUS	7
#define SANDBOX_NFDS		8

#define SANDBOX_STATE_MAX	(68 * 1024)	/* cwd + exports */
#define SANDBOX_HEAD_MAX	2048		/* bwrap's error text */
#define SANDBOX_REAP_MS		1000		/* wait for a killed tree */
#define SANDBOX_GRACE_MS	500		/* pipes after the exit */

/* The exit statuses the child uses before bwrap runs. */
#define SANDBOX_EXIT_SETUP	125
#define SANDBOX_EXIT_IDENTITY	126
#define SANDBOX_EXIT_EXEC	127
#define SANDBOX_CHILD_TAG	"pilothouse-sandbox: "

struct sandbox {
	char			*workspace;	/* host path */
	char			*root;		/* the path commands see */
	char			*bwrap;
	int			 wsfd;		/* O_PATH of the workspace */
	int			 unsafe;
	int			 drop;		/* setresuid in the child */
	uid_t			 uid;
	gid_t			 gid;
	const char		*stage;		/* drop: where the child binds
						   the workspace for bwrap */
	char			*stage_ws;	/* stage + "/w" */
	dev_t			 ws_dev;
	ino_t			 ws_ino;
	struct sandbox_limits	 limits;
	struct buf		 seccomp;	/* the BPF program */
	char			*passwd;	/* /etc/passwd inside */
	char			*group;		/* /etc/group inside */
	char			**argv;		/* bwrap's, NULL-terminated */
	size_t			 argc;
	struct cgroup		*cg;		/* NULL: rlimits only */
	const char		*cg_why;	/* why there is none */
};

/* Everything the forked child needs, prepared before the fork. */
struct sandbox_child {
	const char		*path;
	char			*const *argv;
	char			*const *envp;
	int			 fds[SANDBOX_NFDS];	/* -1: leave closed */
	int			 cg_procs[2];
	int			 nrl;
	int			 rl_res[8];
	struct rlimit		 rl[8];
	int			 drop;
	uid_t			 uid;
	gid_t			 gid;
	const char		*chdir;		/* unsafe mode only */
	const char		*stage;		/* see sandbox_child_stage */
	const char		*stage_ws;
	const char		*workspace;
	dev_t			 ws_dev;	/* the workspace opened at */
	ino_t			 ws_ino;	/*   sandbox_create */
	pid_t			 parent;
};

static int	sandbox_identity_init(struct sandbox *,
		    const struct sandbox_config *, char **);
static void	sandbox_build_argv(struct sandbox *);
static void	sandbox_script(const struct sandbox *,
		    const struct sandbox_cmd *, struct buf *);
static AD_NORETURN void sandbox_child_exec(const struct sandbox_child *);
static char	*sandbox_classify(const char *, size_t);

/* The limits of sandbox.md section 7. */
void
sandbox_limits_default(struct sandbox_limits *l)
{
	memset(l, 0, sizeof *l);
	l->memory = 2LL << 30;
	l->pids = 256;
	l->fsize = 1LL << 30;
	l->nofile = 4096;
	l->tmp_size = 512LL << 20;
	l->shm_size = 64LL << 20;
	l->output_cap = 16LL << 20;
	l->rlimit_data = 0;
}

/*
 * Create the workspace if it is missing (giving it to the sandbox uid);
 * only a directory we made changes hands.  Returns its real path.
 */
static char *
sandbox_workspace(const struct sandbox *sb, const char *path, char **cause)
{
	struct stat	 st;
	char		*real;
	int		 created = 0;

	if (stat(path, &st) != 0) {
		if (errno != ENOENT || paths_mkdir(path, cause) != 0) {
			if (*cause == NULL)
				xasprintf(cause, "workspace %s: %s", path,
				    strerror(errno));
			return NULL;
		}
		created = 1;
	}
	if ((real = realpath(path, NULL)) == NULL || stat(real, &st) != 0) {
		xasprintf(cause, "workspace %s: %s", path, strerror(errno));
		free(real);
		return NULL;
	}
	if (!S_ISDIR(st.st_mode)) {
		xasprintf(cause, "workspace %s is not a directory", path);
		free(real);
		return NULL;
	}
	if (st.st_uid == sb->uid || !sb->drop)
		return real;
	if (created && chown(real, sb->uid, sb->gid) != 0) {
		xasprintf(cause, "workspace %s: chown: %s", real,
		    strerror(errno));
		free(real);
		return NULL;
	}
	if (!created)
		log_warn("sandbox: workspace %s belongs to uid %u, not the "
		    "sandbox uid %u: commands cannot write to it", real,
		    (unsigned)st.st_uid, (unsigned)sb->uid);
	return real;
}

/* Set up a sandbox for one workspace. */
struct sandbox *
sandbox_create(const struct sandbox_config *cfg, char **cause)
{
	struct sandbox	*sb;
	struct stat	 st;

	sb = xcalloc(1, sizeof *sb);
	sb->wsfd = -1;
	sb->bwrap = xstrdup(cfg->bwrap != NULL ? cfg->bwrap : SANDBOX_BWRAP);
	sb->unsafe = cfg->unsafe_no_sandbox;
	if (cfg->limits != NULL)
		sb->limits = *cfg->limits;
	else
		sandbox_limits_default(&sb->limits);
	buf_init(&sb->seccomp, 1 << 20);

	if (sandbox_identity_init(sb, cfg, cause) != 0)
		goto fail;
	if ((sb->workspace = sandbox_workspace(sb, cfg->workspace,
	    cause)) == NULL)
		goto fail;
	sb->wsfd = open(sb->workspace, O_PATH|O_DIRECTORY|O_CLOEXEC);
	if (sb->wsfd == -1 || fstat(sb->wsfd, &st) != 0) {
		xasprintf(cause, "workspace %s: %s", sb->workspace,
		    strerror(errno));
		goto fail;
	}
	sb->ws_dev = st.st_dev;
	sb->ws_ino = st.st_ino;
	if (sb->unsafe) {
		log_warn("sandbox: --unsafe-no-sandbox: bash runs on the host "
		    "in %s with no isolation", sb->workspace);
		sb->root = xstrdup(sb->workspace);
	} else {
		sb->root = xstrdup(SANDBOX_ROOT);
		if (access(sb->bwrap, X_OK) != 0 || sb->bwrap[0] != '/') {
			xasprintf(cause, "cannot run %s (%s): the sandbox "
			    "needs bubblewrap >= 0.8.0; install it (apt-get "
			    "install bubblewrap), or run tools without "
			    "isolation with --unsafe-no-sandbox", sb->bwrap,
			    sb->bwrap[0] != '/' ? "not an absolute path" :
			    strerror(errno));
			goto fail;
		}
		if (seccomp_build(&sb->seccomp, cause) != 0)
			goto fail;
		xasprintf(&sb->passwd, "agent:x:%u:%u:agent:%s:/bin/bash\n",
		    (unsigned)sb->uid, (unsigned)sb->gid, SANDBOX_ROOT);
		xasprintf(&sb->group, "agent:x:%u:\n", (unsigned)sb->gid);
		sandbox_build_argv(sb);
	}
	if (geteuid() == 0)
		sb->cg = cgroup_create(&sb->limits, &sb->cg_why);
	else
		sb->cg_why = "not root (no delegated cgroup)";
	return sb;

fail:
	sandbox_free(sb);
	return NULL;
}

/* Remove the cgroups and free everything. */
void
sandbox_free(struct sandbox *sb)
{
	if (sb == NULL)
		return;
	cgroup_free(sb->cg);
	if (sb->wsfd != -1)
		close(sb->wsfd);
	for (size_t i = 0; i < sb->argc; i++)
		free(sb->argv[i]);
	free(sb->argv);
	buf_clear(&sb->seccomp);
	free(sb->passwd);
	free(sb->group);
	free(sb->bwrap);
	free(sb->root);
	free(sb->stage_ws);
	free(sb->workspace);
	free(sb);
}

/* The workspace path as commands see it. */
const char *
sandbox_root(const struct sandbox *sb)
{
	return sb->root;
}

/* The identity commands run as. */
void
sandbox_identity(const struct sandbox *sb, uid_t *uid, gid_t *gid)
{
	*uid = sb->uid;
	*gid = sb->gid;
}

/* Fill in what pilothouse sandbox check shows. */
void
sandbox_describe(const struct sandbox *sb, struct sandbox_info *si)
{
	memset(si, 0, sizeof *si);
	si->bwrap = sb->bwrap;
	si->unsafe = sb->unsafe;
	si->dropped = sb->drop;
	si->uid = sb->uid;
	si->gid = sb->gid;
	si->cgroup = sb->cg != NULL ? cgroup_kind(sb->cg) :
	    SANDBOX_CGROUP_NONE;
	si->cgroup_why = sb->cg_why;
	si->seccomp_len = sb->seccomp.len;
	si->limits = sb->limits;
}

/*
 * Run "bwrap ARG" with a clean environment and capture what it prints
 * (at most a few KiB); returns 0 if it exited 0.
 */
static int
sandbox_capture(const char *path, const char *arg, struct buf *out)
{
	posix_spawn_file_actions_t	 fa;
	char				*argv[] = { (char *)path, (char *)arg,
					    NULL };
	char				*envp[] = { "PATH=/usr/bin:/bin",
					    NULL };
	char				 chunk[4096];
	pid_t				 pid;
	ssize_t				 n;
	int				 p[2], status, error;

	if (pipe2(p, O_CLOEXEC) != 0)
		return -1;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, p[1], 1);
	posix_spawn_file_actions_adddup2(&fa, p[1], 2);
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
	error = posix_spawn(&pid, path, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	close(p[1]);
	if (error != 0) {
		close(p[0]);
		errno = error;
		return -1;
	}
	while ((n = read(p[0], chunk, sizeof chunk)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || buf_append(out, chunk, (size_t)n) != 0)
			break;
	}
	close(p[0]);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		continue;
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 0 : -1;
}

/*
 * The version bwrap reports ("0.8.0") into out, for pilothouse sandbox
 * check; sandboxes themselves do not ask, since a bwrap older than 0.8.0
 * refuses --disable-userns and the first sandbox says so.  -1 if bwrap
 * does not run or prints something else.
 */
int
sandbox_version(const char *bwrap, char *out, size_t len)
{
	struct buf	b;
	unsigned	major, minor, patch;
	int		rv = -1;

	buf_init(&b, 4096);
	if (sandbox_capture(bwrap, "--version", &b) == 0 &&
	    sscanf(buf_cstr(&b), "bubblewrap %u.%u.%u", &major, &minor,
	    &patch) == 3) {
		snprintf(out, len, "%u.%u.%u", major, minor, patch);
		rv = major > 0 || minor >= 8 ? 0 : 1;
	}
	buf_clear(&b);
	return rv;
}

/*
 * Decide who commands run as.  A non-root harness runs them as itself.
 * A root harness drops to the configured (or default) uid in the child,
 * which needs CAP_SETUID and CAP_SETGID in the bounding set; kernel uid 0
 * inside a sandbox is refused unless the debug flag asks for it
 * (sandbox.md section 3 lists what uid 0 can do there).
 */
static int
sandbox_identity_init(struct sandbox *sb, const struct sandbox_config *cfg,
    char **cause)
{
	static const char *const	 stages[] = { "/mnt", "/sys" };
	struct stat			 st;

	if (geteuid() != 0) {
		sb->uid = geteuid();
		sb->gid = getegid();
		return 0;
	}
	if (cfg->allow_uid0) {
		log_warn("sandbox: running sandboxed commands as kernel uid 0 "
		    "(debug flag): they can read root-owned files bound in "
		    "and plant setuid files");
		sb->uid = 0;
		sb->gid = 0;
		return 0;
	}
	sb->uid = cfg->uid != 0 ? cfg->uid : SANDBOX_DEFAULT_UID;
	sb->gid = cfg->gid != 0 ? cfg->gid : (gid_t)sb->uid;
	if (prctl(PR_CAPBSET_READ, CAP_SETUID, 0, 0, 0) != 1 ||
	    prctl(PR_CAPBSET_READ, CAP_SETGID, 0, 0, 0) != 1) {
		xasprintf(cause, "running as root without CAP_SETUID/"
		    "CAP_SETGID: the sandbox cannot drop to uid %u; run "
		    "pilothouse as an ordinary user instead",
		    (unsigned)sb->uid);
		return -1;
	}
	sb->drop = 1;
	/*
	 * bwrap canonicalises bind sources as the dropped uid, which then
	 * needs search permission on every parent of the workspace (a root
	 * harness keeps its data under /root, 0700).  So the child binds the
	 * workspace at a public spot in a mount namespace of its own first:
	 * a tmpfs over /mnt (or /sys, which bwrap does not use).
	 */
	for (size_t i = 0; i < AD_NITEMS(stages); i++) {
		if (stat(stages[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			sb->stage = stages[i];
			break;
		}
	}
	if (sb->stage == NULL) {
		xasprintf(cause, "neither /mnt nor /sys is a directory: the "
		    "sandbox has nowhere to stage the workspace");
		return -1;
	}
	xasprintf(&sb->stage_ws, "%s/w", sb->stage);
	return 0;
}

/* Append one argument to the bwrap argv. */
static void
sandbox_arg(struct sandbox *sb, const char *fmt, ...)
{
	va_list	ap;

	sb->argv = xreallocarray(sb->argv, sb->argc + 2, sizeof *sb->argv);
	va_start(ap, fmt);
	xvasprintf(&sb->argv[sb->argc++], fmt, ap);
	va_end(ap);
	sb->argv[sb->argc] = NULL;
}

/* Build the argument list of sandbox.md section 4 once per sandbox. */
static void
sandbox_build_argv(struct sandbox *sb)
{
	static const char *const usr_links[] = {
		"bin", "sbin", "lib", "lib64", "lib32", "libx32"
	};
	static const char *const etc_files[] = {
		"ld.so.cache", "ld.so.conf", "ld.so.conf.d", "alternatives",
		"localtime", "nsswitch.conf", "protocols", "services"
	};
	struct stat	 st;
	char		 path[64], target[256];
	ssize_t		 n;

	sandbox_arg(sb, "%s", sb->bwrap);
	sandbox_arg(sb, "--unshare-all");
	sandbox_arg(sb, "--unshare-user");
	sandbox_arg(sb, "--disable-userns");
	sandbox_arg(sb, "--die-with-parent");
	sandbox_arg(sb, "--new-session");
	sandbox_arg(sb, "--cap-drop");
	sandbox_arg(sb, "ALL");
	sandbox_arg(sb, "--clearenv");
	sandbox_arg(sb, "--setenv");
	sandbox_arg(sb, "PATH");
	sandbox_arg(sb, "/usr/local/bin:/usr/bin:/bin");
	sandbox_arg(sb, "--setenv");
	sandbox_arg(sb, "HOME");
	sandbox_arg(sb, "%s", SANDBOX_ROOT);
	sandbox_arg(sb, "--setenv");
	sandbox_arg(sb, "TMPDIR");
	sandbox_arg(sb, "/tmp");
	sandbox_arg(sb, "--setenv");
	sandbox_arg(sb, "LANG");
	sandbox_arg(sb, "C.UTF-8");
	sandbox_arg(sb, "--setenv");
	sandbox_arg(sb, "TERM");
	sandbox_arg(sb, "dumb");
	sandbox_arg(sb, "--setenv");
	sandbox_arg(sb, "USER");
	sandbox_arg(sb, "agent");
	sandbox_arg(sb, "--hostname");
	sandbox_arg(sb, "pilothouse");
	sandbox_arg(sb, "--ro-bind");
	sandbox_arg(sb, "/usr");
	sandbox_arg(sb, "/usr");
	/* Merged /usr keeps /bin etc. as links; older layouts bind them. */
	for (size_t i = 0; i < AD_NITEMS(usr_links); i++) {
		snprintf(path, sizeof path, "/%s", usr_links[i]);
		if (lstat(path, &st) != 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			n = readlink(path, target, sizeof target - 1);
			if (n <= 0)
				continue;
			target[n] = '\0';
			sandbox_arg(sb, "--symlink");
			sandbox_arg(sb, "%s", target);
			sandbox_arg(sb, "%s", path);
		} else if (S_ISDIR(st.st_mode)) {
			sandbox_arg(sb, "--ro-bind");
			sandbox_arg(sb, "%s", path);
			sandbox_arg(sb, "%s", path);
		}
	}
	sandbox_arg(sb, "--perms");
	sandbox_arg(sb, "0755");
	sandbox_arg(sb, "--dir");
	sandbox_arg(sb, "/etc");
	for (size_t i = 0; i < AD_NITEMS(etc_files); i++) {
		sandbox_arg(sb, "--ro-bind-try");
		sandbox_arg(sb, "/etc/%s", etc_files[i]);
		sandbox_arg(sb, "/etc/%s", etc_files[i]);
	}
	sandbox_arg(sb, "--ro-bind-data");
	sandbox_arg(sb, "%d", SANDBOX_FD_PASSWD);
	sandbox_arg(sb, "/etc/passwd");
	sandbox_arg(sb, "--ro-bind-data");
	sandbox_arg(sb, "%d", SANDBOX_FD_GROUP);
	sandbox_arg(sb, "/etc/group");
	sandbox_arg(sb, "--proc");
	sandbox_arg(sb, "/proc");
	sandbox_arg(sb, "--ro-bind");
	sandbox_arg(sb, "/proc/sys");
	sandbox_arg(sb, "/proc/sys");
	sandbox_arg(sb, "--dev");
	sandbox_arg(sb, "/dev");
	sandbox_arg(sb, "--perms");
	sandbox_arg(sb, "1777");
	sandbox_arg(sb, "--size");
	sandbox_arg(sb, "%lld", (long long)sb->limits.shm_size);
	sandbox_arg(sb, "--tmpfs");
	sandbox_arg(sb, "/dev/shm");
	sandbox_arg(sb, "--perms");
	sandbox_arg(sb, "1777");
	sandbox_arg(sb, "--size");
	sandbox_arg(sb, "%lld", (long long)sb->limits.tmp_size);
	sandbox_arg(sb, "--tmpfs");
	sandbox_arg(sb, "/tmp");
	if (sb->stage_ws != NULL) {
		sandbox_arg(sb, "--bind");
		sandbox_arg(sb, "%s", sb->stage_ws);
	} else {
		sandbox_arg(sb, "--bind");
		sandbox_arg(sb, "%s", sb->workspace);
	}
	sandbox_arg(sb, "%s", SANDBOX_ROOT);
	sandbox_arg(sb, "--chdir");
	sandbox_arg(sb, "%s", SANDBOX_ROOT);
	sandbox_arg(sb, "--remount-ro");
	sandbox_arg(sb, "/dev");
	sandbox_arg(sb, "--remount-ro");
	sandbox_arg(sb, "/");
	sandbox_arg(sb, "--seccomp");
	sandbox_arg(sb, "%d", SANDBOX_FD_SECCOMP);
	sandbox_arg(sb, "--json-status-fd");
	sandbox_arg(sb, "%d", SANDBOX_FD_STATUS);
	sandbox_arg(sb, "--");
	sandbox_arg(sb, "/bin/bash");
	sandbox_arg(sb, "--noprofile");
	sandbox_arg(sb, "--norc");
	sandbox_arg(sb, "-s");
}

/* Append s to b as one single-quoted shell word. */
static void
sandbox_quote(struct buf *b, const char *s)
{
	int	rv = buf_putc(b, '\'');

	for (; *s != '\0'; s++) {
		if (*s == '\'')
			rv |= buf_puts(b, "'\\''");
		else
			rv |= buf_putc(b, *s);
	}
	rv |= buf_putc(b, '\'');
	if (rv != 0)
		fatalx("sandbox: script buffer overflow");
}

/*
 * The script bash reads on its standard input.  It reports "S" on fd 3
 * as soon as it runs (so a bwrap failure can be told from a command
 * failure), restores the working directory and exported variables the
 * previous call left, runs the command with stdin from /dev/null and fd
 * 3 pointing at /dev/null (so nothing it starts holds the state pipe),
 * and on exit reports "$PWD\0" and "export -p" on fd 3.  That is how the
 * bash tool keeps cwd and exports across calls without a long-lived
 * shell (sandbox.md section 15).  A command that runs "exit" ends the
 * shell inside its own redirections: the report then goes to /dev/null,
 * and the next call starts afresh, as the reference's shell would after
 * an exit.
 */
static void
sandbox_script(const struct sandbox *sb, const struct sandbox_cmd *cmd,
    struct buf *b)
{
	int	rv = 0;

	rv |= buf_puts(b, "printf S >&3\n");
	if (cmd->env != NULL && *cmd->env != '\0') {
		rv |= buf_puts(b, "eval ");
		sandbox_quote(b, cmd->env);
		rv |= buf_puts(b, " 2>/dev/null\n");
	}
	rv |= buf_puts(b, "cd -- ");
	sandbox_quote(b, cmd->cwd != NULL ? cmd->cwd : sb->root);
	rv |= buf_puts(b, " 2>/dev/null || cd -- ");
	sandbox_quote(b, sb->root);
	rv |= buf_puts(b, " 2>/dev/null\n"
	    "trap '__ph_rc=$?; { printf \"%s\\0\" \"$PWD\"; export -p; } "
	    ">&3 2>/dev/null; exit $__ph_rc' EXIT\n{ ");
	rv |= buf_puts(b, cmd->command);
	rv |= buf_puts(b, "\n} </dev/null 3>/dev/null");
	if (cmd->merge_stderr)
		rv |= buf_puts(b, " 2>&1");
	rv |= buf_putc(b, '\n');
	if (rv != 0)
		fatalx("sandbox: script buffer overflow");
}

/*
 * The shell source for argv: one word as is; several quoted, after
 * "exec", since they are one simple command (the shell it replaces has
 * nothing left to do, and one process fewer starts).
 */
char *
sandbox_join(int argc, char *const *argv)
{
	struct buf	b;

	if (argc == 1)
		return xstrdup(argv[0]);
	buf_init(&b, BUF_UNBOUNDED);
	if (buf_puts(&b, "exec") != 0)
		fatalx("sandbox: buffer overflow");
	for (int i = 0; i < argc; i++) {
		if (buf_putc(&b, ' ') != 0)
			fatalx("sandbox: buffer overflow");
		sandbox_quote(&b, argv[i]);
	}
	return buf_steal(&b, NULL);
}

/* A memfd holding len bytes of p, rewound; -1 on error. */
static int
sandbox_memfd(const char *name, const void *p, size_t len)
{
	int	fd;

	if ((fd = memfd_create(name, MFD_CLOEXEC)) == -1)
		return -1;
	if (io_write_all(fd, p, len) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Write a fixed message to fd 2 and exit: the child's only diagnostic. */
static AD_NORETURN void
sandbox_child_fail(int code, const char *msg)
{
	ssize_t	n AD_UNUSED;

	n = write(2, SANDBOX_CHILD_TAG, sizeof SANDBOX_CHILD_TAG - 1);
	n = write(2, msg, strlen(msg));
	n = write(2, "\n", 1);
	_exit(code);
}

/*
 * Root harness, before the drop: in a private mount namespace, mount a
 * small tmpfs on the stage and bind the workspace at stage/w, where the
 * dropped uid can reach it; then check that what got bound is the very
 * directory opened at sandbox_create (the path's parents belong to the
 * harness, and the sandbox cannot rename the workspace, but the check
 * costs one stat).  Nothing of this is visible outside the child.
 */
static void
sandbox_child_stage(const struct sandbox_child *ch)
{
	struct stat	st;

	if (unshare(CLONE_NEWNS) != 0 ||
	    mount(NULL, "/", NULL, MS_REC|MS_PRIVATE, NULL) != 0 ||
	    mount("pilothouse", ch->stage, "tmpfs", MS_NOSUID|MS_NODEV|
	    MS_NOEXEC, "mode=0755,size=16k") != 0 ||
	    mkdir(ch->stage_ws, 0755) != 0 ||
	    mount(ch->workspace, ch->stage_ws, NULL, MS_BIND, NULL) != 0 ||
	    stat(ch->stage_ws, &st) != 0 || st.st_dev != ch->ws_dev ||
	    st.st_ino != ch->ws_ino)
		sandbox_child_fail(SANDBOX_EXIT_SETUP,
		    "cannot stage the workspace");
}

/*
 * The forked child: async-signal-safe calls only (the harness may have
 * other threads).  Own process group, default signal dispositions,
 * cgroups, rlimits, the descriptors bwrap expects at fixed numbers and
 * nothing else, then the identity drop and exec.
 */
static AD_NORETURN void
sandbox_child_exec(const struct sandbox_child *ch)
{
	struct sigaction	sa;
	sigset_t		all;
	int			tmp[SANDBOX_NFDS];

	setpgid(0, 0);
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = SIG_DFL;
	for (int sig = 1; sig < NSIG; sig++)
		if (sig != SIGKILL && sig != SIGSTOP)
			sigaction(sig, &sa, NULL);
	sigemptyset(&all);
	sigprocmask(SIG_SETMASK, &all, NULL);

	/* Before the descriptors move: these may sit in the fixed range. */
	for (int i = 0; i < 2; i++)
		if (ch->cg_procs[i] != -1 &&
		    write(ch->cg_procs[i], "0", 1) != 1)
			sandbox_child_fail(SANDBOX_EXIT_SETUP,
			    "cannot join the sandbox cgroup");

	/* Move every source above the fixed range first, then into place. */
	for (int i = 0; i < SANDBOX_NFDS; i++) {
		tmp[i] = -1;
		if (ch->fds[i] != -1 &&
		    (tmp[i] = fcntl(ch->fds[i], F_DUPFD, 64)) == -1)
			sandbox_child_fail(SANDBOX_EXIT_SETUP, "dup failed");
	}
	for (int i = 0; i < SANDBOX_NFDS; i++)
		if (tmp[i] != -1 && dup2(tmp[i], i) == -1)
			sandbox_child_fail(SANDBOX_EXIT_SETUP, "dup2 failed");
	if (ch->stage != NULL)
		sandbox_child_stage(ch);

	for (int i = 0; i < ch->nrl; i++)
		if (setrlimit(ch->rl_res[i], &ch->rl[i]) != 0)
			sandbox_child_fail(SANDBOX_EXIT_SETUP,
			    "setrlimit failed");
	/* Before the drop: the parents may be closed to the sandbox uid. */
	if (ch->chdir != NULL && chdir(ch->chdir) != 0)
		sandbox_child_fail(SANDBOX_EXIT_SETUP,
		    "cannot enter the workspace");
	if (ch->drop) {
		if (syscall(SYS_setgroups, 0, NULL) != 0 ||
		    syscall(SYS_setresgid, ch->gid, ch->gid, ch->gid) != 0 ||
		    syscall(SYS_setresuid, ch->uid, ch->uid, ch->uid) != 0)
			sandbox_child_fail(SANDBOX_EXIT_IDENTITY,
			    "cannot drop to the sandbox uid");
	}
	/* After the identity change, which resets it. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != ch->parent)
		_exit(SANDBOX_EXIT_SETUP);
	if (syscall(SYS_close_range, SANDBOX_NFDS, ~0U, 0) != 0) {
		for (int fd = SANDBOX_NFDS; fd < 1024; fd++)
			close(fd);
	}
	execve(ch->path, ch->argv, ch->envp);
	sandbox_child_fail(SANDBOX_EXIT_EXEC, "cannot execute bwrap");
}

/* Add one rlimit (soft = hard = v unless hard is given). */
static void
sandbox_child_rlimit(struct sandbox_child *ch, int res, rlim_t soft,
    rlim_t hard)
{
	ch->rl_res[ch->nrl] = res;
	ch->rl[ch->nrl].rlim_cur = soft;
	ch->rl[ch->nrl].rlim_max = hard;
	ch->nrl++;
}

/* Count the processes of uid (for RLIMIT_NPROC, which counts them all). */
static rlim_t
sandbox_count_uid(uid_t uid)
{
	DIR		*d;
	struct dirent	*de;
	struct stat	 st;
	char		 path[300];
	rlim_t		 n = 0;

	if ((d = opendir("/proc")) == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] < '0' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof path, "/proc/%s", de->d_name);
		if (stat(path, &st) == 0 && st.st_uid == uid)
			n++;
	}
	closedir(d);
	return n;
}

/*
 * The rlimits of sandbox.md section 7.  RLIMIT_NPROC only without a pids
 * cgroup and never for uid 0 (which ignores it); it counts every process
 * of the uid, so a harness running as the user allows what the user
 * already has plus the limit.  RLIMIT_AS is never used: it breaks ASan.
 */
static void
sandbox_child_limits(const struct sandbox *sb, const struct sandbox_cmd *cmd,
    struct sandbox_child *ch)
{
	const struct sandbox_limits	*l = &sb->limits;
	rlim_t				 cpu;

	ch->nrl = 0;
	if (cmd->timeout_ms > 0) {
		cpu = (rlim_t)((cmd->timeout_ms + 999) / 1000);
		sandbox_child_rlimit(ch, RLIMIT_CPU, cpu, cpu + 1);
	}
	sandbox_child_rlimit(ch, RLIMIT_FSIZE, (rlim_t)l->fsize,
	    (rlim_t)l->fsize);
	sandbox_child_rlimit(ch, RLIMIT_NOFILE, (rlim_t)l->nofile,
	    (rlim_t)l->nofile);
	sandbox_child_rlimit(ch, RLIMIT_CORE, 0, 0);
	if (sb->cg == NULL && sb->uid != 0) {
		cpu = (rlim_t)l->pids;
		if (!sb->drop)
			cpu += sandbox_count_uid(sb->uid);
		sandbox_child_rlimit(ch, RLIMIT_NPROC, cpu, cpu);
	}
	if (sb->cg == NULL && l->rlimit_data)
		sandbox_child_rlimit(ch, RLIMIT_DATA, (rlim_t)l->memory,
		    (rlim_t)l->memory);
}

/* The state a run keeps while it waits. */
struct sandbox_wait {
	const struct sandbox_cmd *cmd;
	struct sandbox_status	*st;
	int			 fd[4];		/* out, err, state, status */
	struct buf		 state;
	struct buf		 status;
	struct buf		 head;		/* first bytes of output */
	int64_t			 cap;
	int			 killed;
};

/* Read what is there on one pipe; closes it at EOF. */
static void
sandbox_wait_read(struct sandbox_wait *w, int i)
{
	char	 chunk[65536];
	ssize_t	 n;
	int64_t	 room;
	size_t	 take;

	n = read(w->fd[i], chunk, sizeof chunk);
	if (n < 0 && (errno == EINTR || errno == EAGAIN))
		return;
	if (n <= 0) {
		close(w->fd[i]);
		w->fd[i] = -1;
		return;
	}
	take = (size_t)n;
	switch (i) {
	case 0:
	case 1:
		room = w->cap - w->st->output_len;
		if ((int64_t)take > room)
			take = room > 0 ? (size_t)room : 0;
		/* Only the start is kept (for bwrap's error message). */
		if (w->head.len < SANDBOX_HEAD_MAX &&
		    buf_append(&w->head, chunk, AD_MIN(take,
		    SANDBOX_HEAD_MAX - w->head.len)) != 0)
			fatalx("sandbox: head buffer overflow");
		w->st->output_len += (int64_t)take;
		if (take > 0 && w->cmd->output != NULL)
			w->cmd->output(w->cmd->arg, i + 1, chunk, take);
		if (take < (size_t)n && w->st->end == SANDBOX_EXITED)
			w->st->end = SANDBOX_OUTPUT_CAP;
		break;
	case 2:
		/* A state that does not fit is dropped, not half kept. */
		if (buf_append(&w->state, chunk, take) != 0)
			buf_reset(&w->state);
		break;
	case 3:
		/* bwrap's JSON status is short; a flood is not kept. */
		if (buf_append(&w->status, chunk, take) != 0)
			buf_reset(&w->status);
		break;
	}
}

/* The host pid of the sandbox's init, from bwrap's JSON status. */
static pid_t
sandbox_wait_child_pid(const struct sandbox_wait *w)
{
	const char	*p;
	long long	 pid;

	if ((p = strstr(buf_cstr(&w->status), "\"child-pid\"")) == NULL ||
	    (p = strchr(p, ':')) == NULL || sscanf(p + 1, "%lld", &pid) != 1)
		return -1;
	return (pid_t)pid;
}

/*
 * Kill the whole tree: bwrap's monitor (its process group), which takes
 * the sandbox's init with it (--die-with-parent), and with it the PID
 * namespace.  Then wait until that init is gone (its exit completes only
 * after every process in the namespace has exited), and empty the
 * cgroups, so nothing outlives the call.
 */
static void
sandbox_kill(struct sandbox *sb, struct sandbox_wait *w, pid_t pid)
{
	struct pollfd	pfd;
	pid_t		init;
	int		fd = -1;

	if (w->killed)
		return;
	w->killed = 1;
	init = sb->unsafe ? -1 : sandbox_wait_child_pid(w);
	if (init > 0)
		fd = (int)syscall(SYS_pidfd_open, init, 0);
	kill(-pid, SIGKILL);
	kill(pid, SIGKILL);
	if (fd != -1) {
		pfd.fd = fd;
		pfd.events = POLLIN;
		if (poll(&pfd, 1, SANDBOX_REAP_MS) == 0)
			log_warn("sandbox: init %ld outlived its kill",
			    (long)init);
		close(fd);
	}
	if (sb->cg != NULL)
		cgroup_empty(sb->cg);
}

/* Fill st from the final state report ("S" [cwd "\0" exports]). */
static void
sandbox_wait_state(struct sandbox_wait *w)
{
	const char	*p = w->state.data, *nul;
	size_t		 len = w->state.len;

	if (len == 0 || p[0] != 'S') {
		if (w->st->end == SANDBOX_EXITED)
			w->st->end = SANDBOX_NOT_STARTED;
		return;
	}
	p++;
	len--;
	if ((nul = memchr(p, '\0', len)) == NULL)
		return;
	if (nul > p)
		w->st->cwd = xstrndup(p, (size_t)(nul - p));
	len -= (size_t)(nul - p) + 1;
	p = nul + 1;
	if (len > 0 && memchr(p, '\0', len) == NULL)
		w->st->env = xstrndup(p, len);
}

/* Release a status's strings. */
void
sandbox_status_clear(struct sandbox_status *st)
{
	free(st->cwd);
	free(st->env);
	free(st->error);
	memset(st, 0, sizeof *st);
}

/*
 * Wait for the child, reading its output, until it has exited and every
 * pipe is closed; kill it on timeout, cancel or the output cap.
 */
static void
sandbox_wait(struct sandbox *sb, struct sandbox_wait *w, pid_t pid,
    struct cancel *cc, int64_t start)
{
	struct pollfd	 pfd[6];
	int		 idx[6], n, wstatus, pidfd, exited = 0, timeout;
	int64_t		 now, deadline = -1, grace = -1;

	if (w->cmd->timeout_ms > 0)
		deadline = start + w->cmd->timeout_ms * 1000;
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	for (;;) {
		now = clock_mono_us();
		if (!w->killed && deadline != -1 && now >= deadline) {
			w->st->end = SANDBOX_TIMEOUT;
			sandbox_kill(sb, w, pid);
		}
		if (!w->killed && w->st->end == SANDBOX_OUTPUT_CAP)
			sandbox_kill(sb, w, pid);
		if (!exited && waitpid(pid, &wstatus, WNOHANG) == pid) {
			exited = 1;
			w->st->code = WIFEXITED(wstatus) ?
			    WEXITSTATUS(wstatus) : 128 + WTERMSIG(wstatus);
			/* Unsafe mode: background jobs die with the call. */
			if (sb->unsafe)
				kill(-pid, SIGKILL);
			grace = now + SANDBOX_GRACE_MS * 1000;
		}
		if (exited && w->fd[0] == -1 && w->fd[1] == -1 &&
		    w->fd[2] == -1)
			break;
		if (exited && now >= grace) {
			log_warn("sandbox: output still open %d ms after the "
			    "command ended; closing it", SANDBOX_GRACE_MS);
			break;
		}

		n = 0;
		for (int i = 0; i < 4; i++) {
			if (w->fd[i] == -1)
				continue;
			pfd[n].fd = w->fd[i];
			pfd[n].events = POLLIN;
			idx[n++] = i;
		}
		if (!exited && pidfd != -1) {
			pfd[n].fd = pidfd;
			pfd[n].events = POLLIN;
			idx[n++] = 4;
		}
		if (cc != NULL && !w->killed) {
			pfd[n].fd = cancel_fd(cc);
			pfd[n].events = POLLIN;
			idx[n++] = 5;
		}
		timeout = exited ? (int)((grace - now) / 1000) + 1 : -1;
		if (!exited && deadline != -1 && !w->killed)
			timeout = (int)((deadline - now) / 1000) + 1;
		if (!exited && pidfd == -1)
			timeout = timeout == -1 ? 10 : AD_MIN(timeout, 10);
		if (poll(pfd, (nfds_t)n, timeout) < 0 && errno != EINTR)
			fatal("poll");
		for (int i = 0; i < n; i++) {
			if (pfd[i].revents == 0)
				continue;
			if (idx[i] < 4)
				sandbox_wait_read(w, idx[i]);
			else if (idx[i] == 5 && cancel_fired(cc)) {
				w->st->end = SANDBOX_CANCELLED;
				sandbox_kill(sb, w, pid);
			}
		}
	}
	if (!exited) {
		while (waitpid(pid, &wstatus, 0) == -1 && errno == EINTR)
			continue;
		w->st->code = WIFEXITED(wstatus) ? WEXITSTATUS(wstatus) :
		    128 + WTERMSIG(wstatus);
	}
	if (pidfd != -1)
		close(pidfd);
}

/* Run one command in a fresh sandbox and wait for all of it. */
int
sandbox_run(struct sandbox *sb, const struct sandbox_cmd *cmd,
    struct cancel *cc, struct sandbox_status *st, char **cause)
{
	struct sandbox_child	 ch;
	struct sandbox_wait	 w;
	struct buf		 script;
	char			*envp[8], *home = NULL;
	int			 pout[2] = { -1, -1 }, perr[2] = { -1, -1 };
	int			 pstate[2] = { -1, -1 };
	int			 pstatus[2] = { -1, -1 };
	int			 mfd[4] = { -1, -1, -1, -1 }, rv = -1;
	int64_t			 start, oom = 0;
	pid_t			 pid;
	static char *const	 unsafe_argv[] = { "/bin/bash", "--noprofile",
				    "--norc", "-s", NULL };

	memset(st, 0, sizeof *st);
	memset(&ch, 0, sizeof ch);
	memset(&w, 0, sizeof w);
	for (int i = 0; i < 4; i++)
		w.fd[i] = -1;
	buf_init(&script, BUF_UNBOUNDED);
	buf_init(&w.state, SANDBOX_STATE_MAX);
	buf_init(&w.status, 4096);
	buf_init(&w.head, SANDBOX_HEAD_MAX);
	sandbox_script(sb, cmd, &script);

	if (pipe2(pout, O_CLOEXEC) != 0 || pipe2(pstate, O_CLOEXEC) != 0 ||
	    (!cmd->merge_stderr && pipe2(perr, O_CLOEXEC) != 0) ||
	    (!sb->unsafe && pipe2(pstatus, O_CLOEXEC) != 0)) {
		xasprintf(cause, "sandbox: pipe: %s", strerror(errno));
		goto out;
	}
	if ((mfd[0] = sandbox_memfd("pilothouse-script", script.data,
	    script.len)) == -1 || (!sb->unsafe &&
	    ((mfd[1] = sandbox_memfd("pilothouse-seccomp", sb->seccomp.data,
	    sb->seccomp.len)) == -1 ||
	    (mfd[2] = sandbox_memfd("pilothouse-passwd", sb->passwd,
	    strlen(sb->passwd))) == -1 ||
	    (mfd[3] = sandbox_memfd("pilothouse-group", sb->group,
	    strlen(sb->group))) == -1))) {
		xasprintf(cause, "sandbox: memfd: %s", strerror(errno));
		goto out;
	}

	for (int i = 0; i < SANDBOX_NFDS; i++)
		ch.fds[i] = -1;
	ch.fds[0] = mfd[0];
	ch.fds[1] = pout[1];
	ch.fds[2] = cmd->merge_stderr ? pout[1] : perr[1];
	ch.fds[SANDBOX_FD_STATE] = pstate[1];
	ch.cg_procs[0] = ch.cg_procs[1] = -1;
	if (sb->cg != NULL)
		cgroup_join_fds(sb->cg, ch.cg_procs);
	ch.drop = sb->drop;
	ch.uid = sb->uid;
	ch.gid = sb->gid;
	ch.parent = getpid();
	sandbox_child_limits(sb, cmd, &ch);
	/* bwrap gets PATH only: its init's environ is readable inside. */
	envp[0] = "PATH=/usr/bin:/bin";
	envp[1] = NULL;
	if (sb->unsafe) {
		xasprintf(&home, "HOME=%s", sb->workspace);
		envp[1] = home;
		envp[2] = "TMPDIR=/tmp";
		envp[3] = "LANG=C.UTF-8";
		envp[4] = "TERM=dumb";
		envp[5] = NULL;
		ch.path = "/bin/bash";
		ch.argv = unsafe_argv;
		ch.chdir = sb->workspace;
	} else {
		ch.path = sb->bwrap;
		ch.argv = sb->argv;
		if (sb->stage != NULL) {
			/* No workspace descriptor may reach the sandbox. */
			ch.stage = sb->stage;
			ch.stage_ws = sb->stage_ws;
			ch.workspace = sb->workspace;
			ch.ws_dev = sb->ws_dev;
			ch.ws_ino = sb->ws_ino;
		}
		ch.fds[SANDBOX_FD_SECCOMP] = mfd[1];
		ch.fds[SANDBOX_FD_PASSWD] = mfd[2];
		ch.fds[SANDBOX_FD_GROUP] = mfd[3];
		ch.fds[SANDBOX_FD_STATUS] = pstatus[1];
	}
	ch.envp = envp;

	oom = sb->cg != NULL ? cgroup_oom_kills(sb->cg) : 0;
	start = clock_mono_us();
	if ((pid = fork()) == -1) {
		xasprintf(cause, "sandbox: fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0)
		sandbox_child_exec(&ch);
	setpgid(pid, pid);
	/* Only the child may hold the write ends, or EOF never comes. */
	close(pout[1]);
	pout[1] = -1;
	close(pstate[1]);
	pstate[1] = -1;
	if (perr[1] != -1) {
		close(perr[1]);
		perr[1] = -1;
	}
	if (pstatus[1] != -1) {
		close(pstatus[1]);
		pstatus[1] = -1;
	}

	w.cmd = cmd;
	w.st = st;
	w.cap = sb->limits.output_cap;
	w.fd[0] = pout[0];
	w.fd[1] = perr[0];
	w.fd[2] = pstate[0];
	w.fd[3] = pstatus[0];
	pout[0] = perr[0] = pstate[0] = pstatus[0] = -1;
	for (int i = 0; i < 4; i++)
		if (w.fd[i] != -1)
			io_set_nonblock(w.fd[i], 1);
	sandbox_wait(sb, &w, pid, cc, start);
	st->elapsed_us = clock_mono_us() - start;
	if (sb->cg != NULL) {
		cgroup_empty(sb->cg);
		st->oom = cgroup_oom_kills(sb->cg) > oom;
	}
	sandbox_wait_state(&w);
	if (st->end == SANDBOX_NOT_STARTED)
		st->error = sandbox_classify(w.head.data, w.head.len);
	rv = 0;

out:
	for (int i = 0; i < 4; i++)
		if (w.fd[i] != -1)
			close(w.fd[i]);
	for (int i = 0; i < 2; i++) {
		if (pout[i] != -1)
			close(pout[i]);
		if (perr[i] != -1)
			close(perr[i]);
		if (pstate[i] != -1)
			close(pstate[i]);
		if (pstatus[i] != -1)
			close(pstatus[i]);
	}
	for (int i = 0; i < 4; i++)
		if (mfd[i] != -1)
			close(mfd[i]);
	free(home);
	buf_clear(&script);
	buf_clear(&w.state);
	buf_clear(&w.status);
	buf_clear(&w.head);
	return rv;
}

/*
 * Turn bwrap's (or the child's) complaint into a cause with a fix
 * (sandbox.md section 12).  text is the start of the output.
 */
static char *
sandbox_classify(const char *text, size_t len)
{
	static const struct {
		const char	*needle;
		const char	*fix;
	} table[] = {
		{ "No permissions to create new namespace",
		  "unprivileged user namespaces are disabled (or a container's "
		  "seccomp profile forbids them): enable them (sysctl "
		  "user.max_user_namespaces, kernel.unprivileged_userns_clone) "
		  "or run the container with a profile that allows them" },
		{ "Creating new namespace failed",
		  "unprivileged user namespaces are disabled (or a container's "
		  "seccomp profile forbids them): enable them or run the "
		  "container with a profile that allows them" },
		{ "setting up uid map: Permission denied",
		  "AppArmor restricts unprivileged user namespaces (Ubuntu >= "
		  "24.04): install the bwrap-userns-restrict profile" },
		{ "loopback: Failed RTM_NEWADDR",
		  "AppArmor restricts unprivileged user namespaces (Ubuntu >= "
		  "24.04): install the bwrap-userns-restrict profile" },
		{ "Can't mount proc",
		  "this container forbids mounting /proc: run pilothouse "
		  "outside it" },
		{ "disable-userns",
		  "bubblewrap is older than 0.8.0: upgrade it" },
		{ "Unknown option",
		  "bubblewrap is older than 0.8.0: upgrade it" },
		{ SANDBOX_CHILD_TAG "cannot execute bwrap",
		  "install bubblewrap (apt-get install bubblewrap)" },
		{ SANDBOX_CHILD_TAG "cannot drop",
		  "run pilothouse as an ordinary user, or give it "
		  "CAP_SETUID and CAP_SETGID" },
	};
	char	*line, *msg;
	size_t	 n;

	n = len;
	if (text != NULL) {
		const char *nl = memchr(text, '\n', len);

		if (nl != NULL)
			n = (size_t)(nl - text);
	}
	line = text != NULL && n > 0 ? xstrndup(text, AD_MIN(n, 300)) :
	    xstrdup("bwrap exited without a message");
	for (size_t i = 0; i < AD_NITEMS(table); i++) {
		if (text != NULL && memmem(text, len, table[i].needle,
		    strlen(table[i].needle)) != NULL) {
			xasprintf(&msg, "the sandbox could not start (%s): %s",
			    line, table[i].fix);
			free(line);
			return msg;
		}
	}
	xasprintf(&msg, "the sandbox could not start (%s); run \"pilothouse "
	    "sandbox check\" for details", line);
	free(line);
	return msg;
}

/* Start "true" in a full sandbox to prove the host can run them. */
int
sandbox_probe(struct sandbox *sb, char **cause)
{
	struct sandbox_cmd	cmd;
	struct sandbox_status	st;

	memset(&cmd, 0, sizeof cmd);
	cmd.command = "true";
	cmd.timeout_ms = 10000;
	cmd.merge_stderr = 1;
	if (sandbox_run(sb, &cmd, NULL, &st, cause) != 0)
		return -1;
	if (st.end == SANDBOX_EXITED && st.code == 0) {
		sandbox_status_clear(&st);
		return 0;
	}
	if (st.error != NULL) {
		*cause = st.error;
		st.error = NULL;
	} else
		xasprintf(cause, "the sandbox test command failed (status "
		    "%d)", st.code);
	sandbox_status_clear(&st);
	return -1;
}
