/*
 * cgroup.h -- the memory and pids cgroup a sandbox's commands run in
 * (sandbox.md section 7).
 *
 * A root harness creates one cgroup per sandbox: with cgroup v2 a child
 * of its own cgroup with memory.max, memory.swap.max=0 and pids.max; with
 * v1 (per-controller hierarchies, what our CI machines have) a child of
 * its own memory cgroup, so that outer accounting still applies, and one
 * of its pids cgroup.  The sandbox's spawner (sandbox.c) joins once by
 * writing to descriptors opened beforehand, and every command it starts
 * is born inside; pids.max is the limit plus one, for the spawner.  After
 * every command the cgroup is emptied of everything but the spawner
 * (SIGKILL until no other member is left), and it is removed when the
 * sandbox is freed.
 * Cgroups left behind by a pilothouse that was killed are removed the
 * next time one is created.  Without root, or without writable
 * hierarchies, there is none and the sandbox relies on rlimits.
 */
#ifndef PILOTHOUSE_CGROUP_H
#define PILOTHOUSE_CGROUP_H

#include <stdint.h>
#include <sys/types.h>

#include "harness/sandbox.h"

struct cgroup;

/* NULL with *why (borrowed, static) when there is no usable cgroup. */
struct cgroup		*cgroup_create(const struct sandbox_limits *,
			    const char **);
/* Empty and remove the cgroup. */
void			 cgroup_free(struct cgroup *);
enum sandbox_cgroup	 cgroup_kind(const struct cgroup *);
/* The cgroup.procs descriptors a child writes "0" to (-1: unused). */
void			 cgroup_join_fds(const struct cgroup *, int[2]);
/* SIGKILL every member but spare (0: none) until none is left (bounded
 * to a second). */
void			 cgroup_empty(struct cgroup *, pid_t);
/* How many processes the memory limit has killed so far. */
int64_t			 cgroup_oom_kills(const struct cgroup *);

#endif
