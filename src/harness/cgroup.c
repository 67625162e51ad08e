/* ISC licence: see COPYING.  The sandbox's memory and pids cgroup. */

#include "config.h"

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/io.h"
#include "base/log.h"
#include "base/xmalloc.h"
#include "harness/cgroup.h"

#define CGROUP_REAP_MS		1000

struct cgroup {
	enum sandbox_cgroup	 kind;
	char			*dir[2];	/* v1: memory, pids; v2: [0] */
	int			 procs[2];	/* cgroup.procs, for writing */
};

static atomic_uint	cgroup_seq;

/* Read a small cgroup file into b; -1 if it is not there. */
static int
cgroup_read(const char *path, struct buf *b)
{
	char	*cause = NULL;
	int	 rv;

	rv = io_read_file(path, 4096, b, &cause);
	free(cause);
	return rv;
}

/* Write s to an existing file; -1 on error. */
static int
cgroup_write(const char *dir, const char *file, const char *s)
{
	char	*path;
	int	 fd, rv = -1;

	xasprintf(&path, "%s/%s", dir, file);
	if ((fd = open(path, O_WRONLY|O_CLOEXEC)) != -1) {
		rv = io_write_all(fd, s, strlen(s));
		close(fd);
	}
	free(path);
	return rv;
}

/* Write a decimal limit to dir/file. */
static int
cgroup_set(const char *dir, const char *file, long long value)
{
	char	num[32];

	snprintf(num, sizeof num, "%lld", value);
	return cgroup_write(dir, file, num);
}

/* The harness's own cgroup in a hierarchy ("4:memory:/a/b" -> "/a/b");
 * controller "" names the v2 line ("0::/a/b"). */
static char *
cgroup_self(const char *controller)
{
	FILE	*f;
	char	 line[1024], *p, *q, *t, *found = NULL;

	if ((f = fopen("/proc/self/cgroup", "re")) == NULL)
		return NULL;
	while (found == NULL && fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		if ((p = strchr(line, ':')) == NULL ||
		    (q = strchr(p + 1, ':')) == NULL)
			continue;
		*q = '\0';
		if (*controller == '\0') {
			if (p[1] == '\0')
				found = xstrdup(q + 1);
			continue;
		}
		/* "cpu,cpuacct" style lists. */
		for (t = strtok(p + 1, ","); t != NULL; t = strtok(NULL, ","))
			if (strcmp(t, controller) == 0)
				found = xstrdup(q + 1);
	}
	fclose(f);
	return found;
}

/*
 * Remove cgroups left by pilothouse processes that died (SIGKILL gives
 * no chance to clean up): "pilothouse-PID-N" whose PID is gone.  Busy
 * ones refuse rmdir, which is the right answer.
 */
static void
cgroup_sweep(const char *parent)
{
	DIR		*d;
	struct dirent	*de;
	char		*path;
	long long	 pid;

	if ((d = opendir(parent)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (sscanf(de->d_name, "pilothouse-%lld-", &pid) != 1 ||
		    pid <= 0 || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
			continue;
		xasprintf(&path, "%s/%s", parent, de->d_name);
		if (rmdir(path) == 0)
			log_info("cgroup: removed stale %s", path);
		free(path);
	}
	closedir(d);
}

/* Create "parent/pilothouse-PID-N" and open its cgroup.procs. */
static int
cgroup_mkdir(struct cgroup *cg, int i, const char *parent, unsigned seq)
{
	char	*path;

	cgroup_sweep(parent);
	xasprintf(&cg->dir[i], "%s/pilothouse-%ld-%u", parent, (long)getpid(),
	    seq);
	if (mkdir(cg->dir[i], 0700) != 0) {
		free(cg->dir[i]);
		cg->dir[i] = NULL;
		return -1;
	}
	xasprintf(&path, "%s/cgroup.procs", cg->dir[i]);
	cg->procs[i] = open(path, O_WRONLY|O_CLOEXEC);
	free(path);
	return cg->procs[i] == -1 ? -1 : 0;
}

/* The directory of our own cgroup in the hierarchy mounted at base. */
static char *
cgroup_parent(const char *base, const char *controller)
{
	char	*self, *parent;

	if ((self = cgroup_self(controller)) == NULL)
		return NULL;
	xasprintf(&parent, "%s%s", base, strcmp(self, "/") == 0 ? "" : self);
	free(self);
	return parent;
}

/* cgroup v1: memory and pids children of our own cgroups. */
static int
cgroup_v1(struct cgroup *cg, const struct sandbox_limits *l, unsigned seq)
{
	static const char *const controllers[] = { "memory", "pids" };
	char	*base, *parent, *memsw;
	int	 rv;

	for (int i = 0; i < 2; i++) {
		xasprintf(&base, "/sys/fs/cgroup/%s", controllers[i]);
		parent = cgroup_parent(base, controllers[i]);
		free(base);
		if (parent == NULL)
			return -1;
		rv = cgroup_mkdir(cg, i, parent, seq);
		free(parent);
		if (rv != 0)
			return -1;
	}
	if (cgroup_set(cg->dir[0], "memory.limit_in_bytes", l->memory) != 0)
		return -1;
	/* With swap accounting, swap counts too; without, there is none. */
	xasprintf(&memsw, "%s/memory.memsw.limit_in_bytes", cg->dir[0]);
	rv = access(memsw, F_OK) == 0 ? cgroup_set(cg->dir[0],
	    "memory.memsw.limit_in_bytes", l->memory) : 0;
	free(memsw);
	if (rv != 0)
		return -1;
	return cgroup_set(cg->dir[1], "pids.max", l->pids);
}

/*
 * cgroup v2: a child of our cgroup with memory and pids enabled.  The
 * kernel refuses to enable controllers below a cgroup that has processes
 * of its own (unless it is the root), so this works where the harness
 * runs in the root or a delegated subtree; elsewhere it fails and the
 * sandbox falls back to rlimits, and says so.
 */
static int
cgroup_v2(struct cgroup *cg, const struct sandbox_limits *l, unsigned seq)
{
	char	*parent;
	int	 rv;

	if ((parent = cgroup_parent("/sys/fs/cgroup", "")) == NULL)
		return -1;
	rv = cgroup_write(parent, "cgroup.subtree_control", "+memory +pids");
	if (rv == 0)
		rv = cgroup_mkdir(cg, 0, parent, seq);
	free(parent);
	if (rv != 0 ||
	    cgroup_set(cg->dir[0], "memory.max", l->memory) != 0 ||
	    cgroup_set(cg->dir[0], "memory.swap.max", 0) != 0 ||
	    cgroup_set(cg->dir[0], "pids.max", l->pids) != 0)
		return -1;
	return 0;
}

/*
 * Pick the flavour: v2 if the unified hierarchy offers memory and pids,
 * else v1 memory and pids mounts, else none.
 */
struct cgroup *
cgroup_create(const struct sandbox_limits *l, const char **why)
{
	struct cgroup	*cg;
	struct buf	 ctl;
	unsigned	 seq = atomic_fetch_add(&cgroup_seq, 1);
	int		 rv, v2;

	buf_init(&ctl, 4096);
	v2 = cgroup_read("/sys/fs/cgroup/cgroup.controllers", &ctl) == 0 &&
	    strstr(buf_cstr(&ctl), "memory") != NULL &&
	    strstr(buf_cstr(&ctl), "pids") != NULL;
	buf_clear(&ctl);
	if (!v2 && (access("/sys/fs/cgroup/memory/cgroup.procs", W_OK) != 0 ||
	    access("/sys/fs/cgroup/pids/cgroup.procs", W_OK) != 0)) {
		*why = "no writable memory and pids cgroup hierarchies";
		return NULL;
	}
	cg = xcalloc(1, sizeof *cg);
	cg->procs[0] = cg->procs[1] = -1;
	cg->kind = v2 ? SANDBOX_CGROUP_V2 : SANDBOX_CGROUP_V1;
	rv = v2 ? cgroup_v2(cg, l, seq) : cgroup_v1(cg, l, seq);
	if (rv != 0) {
		log_info("cgroup: setup failed (%s); using rlimits",
		    strerror(errno));
		cgroup_free(cg);
		*why = "cgroup setup failed (see the log)";
		return NULL;
	}
	return cg;
}

/* Empty and remove the cgroup. */
void
cgroup_free(struct cgroup *cg)
{
	if (cg == NULL)
		return;
	cgroup_empty(cg);
	for (int i = 0; i < 2; i++) {
		if (cg->procs[i] != -1)
			close(cg->procs[i]);
		if (cg->dir[i] != NULL && rmdir(cg->dir[i]) != 0)
			log_warn("cgroup: cannot remove %s: %s", cg->dir[i],
			    strerror(errno));
		free(cg->dir[i]);
	}
	free(cg);
}

/* v1 or v2. */
enum sandbox_cgroup
cgroup_kind(const struct cgroup *cg)
{
	return cg->kind;
}

/* The descriptors a child joins through. */
void
cgroup_join_fds(const struct cgroup *cg, int fds[2])
{
	fds[0] = cg->procs[0];
	fds[1] = cg->procs[1];
}

/* The pids in dir/cgroup.procs, up to max; returns how many. */
static size_t
cgroup_pids(const char *dir, pid_t *pids, size_t max)
{
	FILE		*f;
	char		*path;
	long long	 pid;
	size_t		 n = 0;

	xasprintf(&path, "%s/cgroup.procs", dir);
	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return 0;
	while (n < max && fscanf(f, "%lld", &pid) == 1)
		pids[n++] = (pid_t)pid;
	fclose(f);
	return n;
}

/* SIGKILL every member until none is left. */
void
cgroup_empty(struct cgroup *cg)
{
	pid_t	 pids[256];
	size_t	 n;
	int64_t	 deadline = clock_mono_us() + CGROUP_REAP_MS * 1000;
	int	 busy;

	do {
		busy = 0;
		for (int i = 0; i < 2; i++) {
			if (cg->dir[i] == NULL)
				continue;
			n = cgroup_pids(cg->dir[i], pids, AD_NITEMS(pids));
			for (size_t j = 0; j < n; j++)
				kill(pids[j], SIGKILL);
			busy |= n > 0;
		}
		if (busy)
			usleep(1000);
	} while (busy && clock_mono_us() < deadline);
	if (busy)
		log_warn("cgroup: processes still in %s after SIGKILL",
		    cg->dir[0] != NULL ? cg->dir[0] : cg->dir[1]);
}

/* The memory cgroup's count of OOM kills. */
int64_t
cgroup_oom_kills(const struct cgroup *cg)
{
	struct buf	 b;
	char		*path;
	const char	*p;
	long long	 n = 0;

	xasprintf(&path, "%s/%s", cg->dir[0], cg->kind == SANDBOX_CGROUP_V1 ?
	    "memory.oom_control" : "memory.events");
	buf_init(&b, 4096);
	if (cgroup_read(path, &b) == 0 &&
	    (p = strstr(buf_cstr(&b), "oom_kill ")) != NULL)
		sscanf(p + 9, "%lld", &n);
	buf_clear(&b);
	free(path);
	return n;
}
