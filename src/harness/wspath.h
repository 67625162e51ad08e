/*
 * wspath.h -- the harness's file access beneath a workspace directory.
 *
 * The read, write, edit, glob and grep tools run in the harness, with its
 * privileges, on a directory the sandbox can write: anything in it can be
 * a trap (a symlink to /etc/shadow, a FIFO, a hard link, a directory
 * swapped for a symlink mid-call).  So no path is ever handed to the
 * kernel whole.  A path is first normalised lexically (as the reference
 * toolset's path.resolve does), then walked one component at a time from
 * the workspace descriptor with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV) and O_NOFOLLOW; symlinks met
 * on the way are read and resolved by the walk itself, re-anchored at the
 * workspace, with a hop limit.  A link that leads out (an absolute target
 * other than the workspace's own path, or ".." past the top) fails with
 * EXDEV.  Every later open is relative to the directory descriptor the
 * walk returned, so a swap after the walk can redirect nothing outside.
 * Where openat2 is missing (ENOSYS: old kernels, some seccomp profiles)
 * the same walk runs on openat plus a device check (sandbox.md 10).
 *
 * Errors are errno values, which the tools turn into the fixed wordings
 * of harness.md section 1.3.
 */
#ifndef PILOTHOUSE_WSPATH_H
#define PILOTHOUSE_WSPATH_H

#include <sys/stat.h>
#include <sys/types.h>

#include <stddef.h>
#include <stdint.h>

#include "base/cancel.h"
#include "base/compiler.h"

#define WSPATH_MAX_HOPS		40	/* symlinks per lookup (MAXSYMLINKS) */
#define WSPATH_MAX_DEPTH	40	/* walk: directory levels */
#define WSPATH_MAX_ENTRIES	50000	/* walk: entries visited */

/* Flags for wspath_resolve. */
#define WSPATH_MKDIR		0x1	/* create missing directories */
#define WSPATH_NOFOLLOW		0x2	/* do not follow a final symlink */

/* Who owns what the harness creates, and whether to chown at all. */
struct wspath_owner {
	int	 chown;		/* root harness: give files to uid/gid */
	uid_t	 uid;
	gid_t	 gid;
};

/* Where a path led.  Embedded (_init/_clear). */
struct wspath {
	int		 dirfd;		/* O_PATH of the final directory */
	char		*name;		/* last component; "" for the top */
	char		*canon;		/* canonical path below the top */
	int		 exists;
	struct stat	 st;		/* lstat of name, when it exists */
};

/*
 * Lexically normalise path against root (the workspace as the model sees
 * it, e.g. "/workspace"): an absolute path must lie under root, ".." and
 * "." collapse, slashes squeeze.  Returns 0 with *rel (caller frees; ""
 * is the top), EXDEV when it lies outside, EINVAL for a NUL byte.
 */
int		 wspath_normalize(const char *, size_t, const char *, char **);
/*
 * Walk rel (normalised) from the workspace descriptor wsfd.  root maps
 * absolute symlink targets.  With WSPATH_MKDIR, missing directories are
 * created 0700 and given to owner.  Returns 0 (fill *wp; clear it with
 * wspath_clear) or an errno value.
 */
int		 wspath_resolve(int, const char *, const char *, int,
		    const struct wspath_owner *, struct wspath *)
		    AD_WARN_UNUSED;
void		 wspath_clear(struct wspath *);
/* Open what wp names (flags as for open; O_NOFOLLOW is implied; "" is
 * the directory itself).  -1 with errno. */
int		 wspath_open(const struct wspath *, int);
/*
 * Replace dirfd/name with len bytes atomically: a temporary file in the
 * same directory, renamed over the name (no fsync: readers never see a
 * torn file, but a host crash may lose recent contents; callers that
 * need durability syncfs the workspace).  mode and owner apply to the new file
 * (an existing file's are the caller's to pass on).  Returns 0 or errno.
 */
int		 wspath_write(int, const char *, const void *, size_t, mode_t,
		    const struct wspath_owner *, uid_t, gid_t) AD_WARN_UNUSED;

/* What the walker hands over for every regular file it finds. */
struct wspath_entry {
	int		 dirfd;		/* the file's directory (borrowed) */
	const char	*name;
	const char	*rel;		/* path below the walk's start */
	const struct stat *st;
};
/* Open a walked file by its entry (flags as for open, O_NOFOLLOW
 * implied); -1 with errno. */
int		 wspath_entry_open(const struct wspath_entry *, int);
/* Non-zero when the kernel has openat2 (and it has not been turned off). */
int		 wspath_has_openat2(void);

/* Non-zero to stop the walk. */
typedef int	(*wspath_file_cb)(const struct wspath_entry *, void *);
/* Whether to enter a directory (rel below the start); non-zero: yes. */
typedef int	(*wspath_dir_cb)(const char *, void *);

/*
 * Walk the tree below directory descriptor dirfd depth first, names in
 * byte order, calling file for each regular file.  Symlinks, devices,
 * FIFOs and sockets are skipped; ".git" and "node_modules" are pruned;
 * at most WSPATH_MAX_DEPTH levels and WSPATH_MAX_ENTRIES entries.  dir
 * may be NULL (enter everything).  Returns 1 if the walk hit a bound or
 * was stopped (by file, the deadline or the cancel), else 0.
 */
int		 wspath_walk(int, wspath_dir_cb, wspath_file_cb, void *,
		    int64_t, struct cancel *);

/* Tests: 0 makes the walk use openat instead of openat2. */
void		 wspath_use_openat2(int);

#endif
