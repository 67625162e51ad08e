/* ISC licence: see COPYING.  The sandbox's seccomp filter (libseccomp). */

#include "config.h"

#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <seccomp.h>
#include <string.h>
#include <unistd.h>

#include "base/xmalloc.h"
#include "harness/seccomp.h"

/* System calls answered with EPERM, by name (unknown names are skipped:
 * not every architecture has iopl or lookup_dcookie). */
static const char *const seccomp_denied[] = {
	/* Mount manipulation: read-only binds must stay read-only. */
	"setns", "mount", "umount", "umount2", "pivot_root", "chroot",
	"open_tree", "move_mount", "fsopen", "fsconfig", "fsmount", "fspick",
	"mount_setattr",
	/* Large kernel attack surface no tool needs. */
	"io_uring_setup", "io_uring_enter", "io_uring_register",
	"keyctl", "add_key", "request_key", "bpf", "perf_event_open",
	"userfaultfd",
	/* Impossible without capabilities anyway; cheap to deny. */
	"kexec_load", "kexec_file_load", "init_module", "finit_module",
	"delete_module", "reboot", "swapon", "swapoff", "acct", "syslog",
	"quotactl", "quotactl_fd", "iopl", "ioperm", "lookup_dcookie",
	"vhangup", "uselib"
};

/* Add one rule by syscall name; names this architecture lacks are fine. */
static int
seccomp_add(scmp_filter_ctx ctx, uint32_t action, const char *name,
    unsigned int n, const struct scmp_arg_cmp *cmp)
{
	int	nr;

	if ((nr = seccomp_syscall_resolve_name(name)) == __NR_SCMP_ERROR)
		return 0;
	return seccomp_rule_add_array(ctx, action, nr, n, cmp);
}

/*
 * No setuid or setgid files (systemd's RestrictSUIDSGID): chmod and
 * friends with S_ISUID|S_ISGID, and creating a file with those bits
 * (open, openat, creat, mknod), answer EPERM.  openat2 and fchmodat2
 * keep their mode where a filter cannot see it, so they answer ENOSYS
 * and callers fall back to openat and fchmodat.  A planted setuid file
 * would hand the sandbox's identity (or, for a harness running as the
 * user, the user's) to whoever runs it later outside.
 */
static int
seccomp_suid(scmp_filter_ctx ctx)
{
	static const struct {
		const char	*name;
		unsigned	 mode_arg;	/* which argument is the mode */
		int		 flags_arg;	/* open flags argument, or -1 */
	} calls[] = {
		{ "chmod", 1, -1 }, { "fchmod", 1, -1 }, { "fchmodat", 2, -1 },
		{ "creat", 1, -1 }, { "mknod", 1, -1 }, { "mknodat", 2, -1 },
		{ "open", 2, 1 }, { "openat", 3, 2 },
	};
	static const int		 creating[] = { O_CREAT, __O_TMPFILE };
	struct scmp_arg_cmp		 cmp[2];
	int				 error, nr;

	for (size_t i = 0; i < AD_NITEMS(calls); i++) {
		cmp[0].arg = calls[i].mode_arg;
		cmp[0].op = SCMP_CMP_MASKED_EQ;
		if (calls[i].flags_arg == -1) {
			/* Either bit is enough: one rule per bit. */
			for (int b = 0; b < 2; b++) {
				cmp[0].datum_a = cmp[0].datum_b =
				    b == 0 ? S_ISUID : S_ISGID;
				if ((error = seccomp_add(ctx,
				    SCMP_ACT_ERRNO(EPERM), calls[i].name, 1,
				    cmp)) != 0)
					return error;
			}
			continue;
		}
		for (size_t c = 0; c < AD_NITEMS(creating); c++) {
			for (int b = 0; b < 2; b++) {
				cmp[0].datum_a = cmp[0].datum_b =
				    b == 0 ? S_ISUID : S_ISGID;
				cmp[1].arg = (unsigned)calls[i].flags_arg;
				cmp[1].op = SCMP_CMP_MASKED_EQ;
				cmp[1].datum_a = cmp[1].datum_b =
				    (scmp_datum_t)creating[c];
				if ((error = seccomp_add(ctx,
				    SCMP_ACT_ERRNO(EPERM), calls[i].name, 2,
				    cmp)) != 0)
					return error;
			}
		}
	}
	if ((error = seccomp_add(ctx, SCMP_ACT_ERRNO(ENOSYS), "openat2", 0,
	    NULL)) != 0)
		return error;
	/* libseccomp 2.5 predates fchmodat2 (452 in the common table). */
	if ((nr = seccomp_syscall_resolve_name("fchmodat2")) == __NR_SCMP_ERROR)
		nr = 452;
	return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(ENOSYS), nr, 0);
}

/* Build the filter and export its BPF program into b. */
int
seccomp_build(struct buf *b, char **cause)
{
	scmp_filter_ctx		 ctx;
	struct scmp_arg_cmp	 cmp;
	char			 chunk[4096];
	ssize_t			 n;
	int			 fd = -1, error = 0;
	const char		*what = "seccomp_init";

	if ((ctx = seccomp_init(SCMP_ACT_ALLOW)) == NULL) {
		xasprintf(cause, "seccomp: cannot create a filter context");
		return -1;
	}
	what = "adding a rule";
	for (size_t i = 0; i < AD_NITEMS(seccomp_denied); i++) {
		if ((error = seccomp_add(ctx, SCMP_ACT_ERRNO(EPERM),
		    seccomp_denied[i], 0, NULL)) != 0)
			goto fail;
	}
	/*
	 * Terminal injection.  The request number is compared on its low
	 * 32 bits only: the kernel truncates it, so without the mask
	 * TIOCSTI|1<<32 would slip through (CVE-2019-10063).
	 */
	cmp = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffU, TIOCSTI);
	if ((error = seccomp_add(ctx, SCMP_ACT_ERRNO(EPERM), "ioctl", 1,
	    &cmp)) != 0)
		goto fail;
	cmp = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffU, TIOCLINUX);
	if ((error = seccomp_add(ctx, SCMP_ACT_ERRNO(EPERM), "ioctl", 1,
	    &cmp)) != 0)
		goto fail;
	/* No nested user namespaces (bwrap's --disable-userns as well). */
	cmp = SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_NEWUSER, CLONE_NEWUSER);
	if ((error = seccomp_add(ctx, SCMP_ACT_ERRNO(EPERM), "unshare", 1,
	    &cmp)) != 0)
		goto fail;
	if ((error = seccomp_add(ctx, SCMP_ACT_ERRNO(EPERM), "clone", 1,
	    &cmp)) != 0)
		goto fail;
	if ((error = seccomp_suid(ctx)) != 0)
		goto fail;
	/* clone3 hides its flags in memory; ENOSYS makes glibc use clone. */
	if ((error = seccomp_add(ctx, SCMP_ACT_ERRNO(ENOSYS), "clone3", 0,
	    NULL)) != 0)
		goto fail;

	what = "exporting the program";
	if ((fd = memfd_create("pilothouse-seccomp", MFD_CLOEXEC)) == -1) {
		error = -errno;
		goto fail;
	}
	if ((error = seccomp_export_bpf(ctx, fd)) != 0)
		goto fail;
	if (lseek(fd, 0, SEEK_SET) == -1) {
		error = -errno;
		goto fail;
	}
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		if (buf_append(b, chunk, (size_t)n) != 0) {
			error = -EFBIG;
			goto fail;
		}
	}
	if (n < 0) {
		error = -errno;
		goto fail;
	}
	close(fd);
	seccomp_release(ctx);
	return 0;

fail:
	xasprintf(cause, "seccomp: %s failed: %s", what, strerror(-error));
	if (fd != -1)
		close(fd);
	seccomp_release(ctx);
	return -1;
}
