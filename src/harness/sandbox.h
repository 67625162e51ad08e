/*
 * sandbox.h -- the hands' isolation: one bubblewrap sandbox per command.
 *
 * A sandbox object belongs to one workspace (one session).  It checks
 * bwrap once, builds the seccomp program, picks the identity commands run
 * as (a root harness drops to an unprivileged uid: sandbox.md section 3)
 * and sets up a memory + pids cgroup where the host allows it.  Each
 * sandbox_run() then execs /usr/bin/bwrap by absolute path with the
 * fixed argument list of sandbox.md section 4 and a clean environment,
 * runs one bash script in it, and does not return until everything the
 * script started is gone: on timeout, cancel or the output cap the whole
 * tree is killed (within 100 ms of a cancel).
 *
 * What the sandbox is not for: path confinement of the harness's own
 * file tools (wspath.h does that), and network access (there is none:
 * every sandbox has its own network namespace with only lo).
 *
 * sandbox_run() blocks; calls on one sandbox must not overlap, and the
 * calling thread must live until it returns (bwrap's --die-with-parent
 * follows the parent thread).
 */
#ifndef PILOTHOUSE_SANDBOX_H
#define PILOTHOUSE_SANDBOX_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "base/cancel.h"
#include "base/compiler.h"

#define SANDBOX_BWRAP		"/usr/bin/bwrap"
#define SANDBOX_ROOT		"/workspace"	/* the workspace, inside */
#define SANDBOX_DEFAULT_UID	65000		/* root harness: run as this */

struct sandbox;

/* Resource limits for every command (sandbox.md section 7). */
struct sandbox_limits {
	int64_t	 memory;	/* bytes, enforced by the memory cgroup */
	int64_t	 pids;		/* cgroup pids.max, else RLIMIT_NPROC */
	int64_t	 fsize;		/* RLIMIT_FSIZE, bytes */
	int64_t	 nofile;	/* RLIMIT_NOFILE */
	int64_t	 tmp_size;	/* size of the /tmp tmpfs, bytes */
	int64_t	 shm_size;	/* size of the /dev/shm tmpfs, bytes */
	int64_t	 output_cap;	/* output bytes read before the kill */
	int	 rlimit_data;	/* no memory cgroup: RLIMIT_DATA = memory
				   (off by default: it breaks ASan) */
};

enum sandbox_cgroup {
	SANDBOX_CGROUP_NONE = 0,	/* rlimits only */
	SANDBOX_CGROUP_V1,		/* memory and pids hierarchies */
	SANDBOX_CGROUP_V2		/* unified hierarchy */
};

struct sandbox_config {
	const char	*workspace;	/* host directory; created if
					   missing (see sandbox_create) */
	const char	*bwrap;		/* NULL: SANDBOX_BWRAP */
	uid_t		 uid;		/* root harness: identity inside; */
	gid_t		 gid;		/*   0 picks SANDBOX_DEFAULT_UID */
	int		 unsafe_no_sandbox; /* bash on the host, no isolation */
	int		 allow_uid0;	/* debug: keep kernel uid 0 (unsafe) */
	const struct sandbox_limits *limits; /* NULL: the defaults */
};

/* Output as it arrives: stream 1 (stdout) or 2 (stderr), borrowed. */
typedef void	(*sandbox_output_cb)(void *, int, const char *, size_t);

struct sandbox_cmd {
	const char	*command;	/* bash source */
	const char	*cwd;		/* start directory (inside) or NULL */
	const char	*env;		/* "export -p" to restore, or NULL */
	int64_t		 timeout_ms;	/* wall clock; <= 0 means none */
	int		 merge_stderr;	/* stderr goes to stream 1 */
	sandbox_output_cb output;	/* may be NULL: output is dropped */
	void		*arg;
};

enum sandbox_end {
	SANDBOX_EXITED = 0,	/* the script ended by itself */
	SANDBOX_TIMEOUT,	/* killed at timeout_ms */
	SANDBOX_CANCELLED,	/* killed because the cancel fired */
	SANDBOX_OUTPUT_CAP,	/* killed at limits.output_cap */
	SANDBOX_NOT_STARTED	/* bwrap failed before the script ran */
};

struct sandbox_status {
	enum sandbox_end end;
	int		 code;		/* exit status, or 128 + signal */
	int		 oom;		/* the memory cgroup killed a process */
	int64_t		 output_len;	/* bytes of output read */
	int64_t		 elapsed_us;
	char		*cwd;		/* final directory or NULL; owned */
	char		*env;		/* final "export -p" or NULL; owned */
	char		*error;		/* NOT_STARTED: why, the fix; owned */
};

/* What sandbox_describe reports (pilothouse sandbox check). */
struct sandbox_info {
	const char	*bwrap;		/* borrowed; valid until _free */
	int		 unsafe;	/* no isolation at all */
	int		 dropped;	/* root harness drops to uid/gid */
	uid_t		 uid;
	gid_t		 gid;
	enum sandbox_cgroup cgroup;
	const char	*cgroup_why;	/* NONE: the reason; borrowed */
	size_t		 seccomp_len;	/* bytes of BPF */
	struct sandbox_limits limits;
};

void		 sandbox_limits_default(struct sandbox_limits *);
/*
 * Check bwrap and the host, build the filter, set up cgroups.  A missing
 * workspace is created (0700; a root harness gives it to the sandbox
 * uid); an existing one is left as it is, with a warning in the log if
 * the sandbox uid does not own it.  NULL with *cause saying why and how
 * to fix it.  Caller frees with sandbox_free.
 */
struct sandbox	*sandbox_create(const struct sandbox_config *, char **);
void		 sandbox_free(struct sandbox *);
/*
 * Start a sandbox running "true" (sandbox.md section 12): 0 when the host
 * can run sandboxes, else -1 with *cause naming the cause and the fix.
 */
int		 sandbox_probe(struct sandbox *, char **) AD_WARN_UNUSED;
/*
 * Run cmd and wait for it and everything it started to be gone.  The
 * cancel may be NULL.  -1 with *cause only when the harness itself
 * fails (no descriptors, no fork); what happened to the command is in
 * *st, which the caller clears with sandbox_status_clear.
 */
int		 sandbox_run(struct sandbox *, const struct sandbox_cmd *,
		    struct cancel *, struct sandbox_status *, char **)
		    AD_WARN_UNUSED;
void		 sandbox_status_clear(struct sandbox_status *);
/* A command line as bash source: a single word is used as it is (it is
 * already a command), several are quoted, joined and exec'd.  Caller
 * frees. */
char		*sandbox_join(int, char *const *);
void		 sandbox_describe(const struct sandbox *,
		    struct sandbox_info *);
/* The workspace's path as commands see it ("/workspace", or the host
 * path with unsafe_no_sandbox).  Borrowed; valid until sandbox_free. */
const char	*sandbox_root(const struct sandbox *);
/* bwrap's version into the buffer: 0 if >= 0.8.0, 1 if older, -1 if it
 * does not run. */
int		 sandbox_version(const char *, char *, size_t);
/* The uid and gid commands run as (the owner files should have). */
void		 sandbox_identity(const struct sandbox *, uid_t *, gid_t *);

#endif
