/*
 * seccomp.h -- the sandbox's system-call filter (sandbox.md section 6).
 *
 * The filter is built once with libseccomp (default action: allow) and
 * kept as a classic BPF program; bwrap loads it from a descriptor
 * (--seccomp FD) for every sandbox, which also sets no_new_privs.  It
 * refuses terminal injection (TIOCSTI, TIOCLINUX), nested user
 * namespaces, the mount family, and kernel surface no tool needs
 * (io_uring, keyctl, bpf, perf, userfaultfd, modules, kexec...).  clone3
 * answers ENOSYS so that glibc falls back to clone, whose flags the
 * filter can inspect.
 */
#ifndef PILOTHOUSE_SECCOMP_H
#define PILOTHOUSE_SECCOMP_H

#include "base/buf.h"
#include "base/compiler.h"

/* Append the filter's BPF program to b.  -1 with *cause. */
int	 seccomp_build(struct buf *, char **) AD_WARN_UNUSED;

#endif
