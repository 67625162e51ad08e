/* ISC licence: see COPYING.  File access confined beneath a workspace. */

#include "config.h"

#include <sys/stat.h>
#include <sys/syscall.h>

#include <linux/openat2.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/io.h"
#include "base/rand.h"
#include "base/xmalloc.h"
#include "harness/wspath.h"

#define WSPATH_RESOLVE	(RESOLVE_BENEATH|RESOLVE_NO_MAGICLINKS|RESOLVE_NO_XDEV)
#define WSPATH_MAX_COMPONENTS	2048

/* The directories a resolution has entered, below the workspace. */
struct wspath_stack {
	int		*fds;
	char		**names;
	size_t		 n;
	size_t		 cap;
};

/* Cleared for good at the first ENOSYS; tests clear it on purpose. */
static atomic_int	wspath_openat2 = 1;

/* Tests: choose openat2 (1) or the openat fallback (0). */
void
wspath_use_openat2(int on)
{
	atomic_store(&wspath_openat2, on);
}

/*
 * Open one component name (never a path: no '/', never "..") relative to
 * dfd, with the resolve flags of sandbox.md section 10.  With the openat
 * fallback the single component cannot leave dfd either; callers check
 * the device for RESOLVE_NO_XDEV.
 */
static int
wspath_openat(int dfd, const char *name, int flags, mode_t mode)
{
	struct open_how	how;
	int		fd;

	flags |= O_CLOEXEC;
	if (!(flags & O_PATH))
		flags |= O_NOCTTY;	/* openat2 refuses it with O_PATH */
	if (atomic_load(&wspath_openat2)) {
		memset(&how, 0, sizeof how);
		how.flags = (uint64_t)flags;
		how.mode = (flags & O_CREAT) ? mode : 0;
		how.resolve = WSPATH_RESOLVE;
		fd = (int)syscall(SYS_openat2, dfd, name, &how, sizeof how);
		if (fd != -1 || errno != ENOSYS)
			return fd;
		atomic_store(&wspath_openat2, 0);
	}
	return openat(dfd, name, flags, mode);
}

/* Append the normalised components of p to the absolute path in b. */
static void
wspath_push_components(struct buf *b, const char *p)
{
	const char	*end;
	size_t		 len;
	char		*slash;

	while (*p != '\0') {
		while (*p == '/')
			p++;
		if (*p == '\0')
			break;
		end = strchr(p, '/');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == 1 && p[0] == '.')
			;
		else if (len == 2 && p[0] == '.' && p[1] == '.') {
			/* ".." at "/" stays at "/", as path.resolve does. */
			if ((slash = strrchr(b->data, '/')) != NULL)
				buf_truncate(b, (size_t)(slash - b->data));
		} else if (buf_putc(b, '/') != 0 || buf_append(b, p, len) != 0)
			fatalx("wspath: path buffer overflow");
		p += len;
	}
}

/* Normalise path (len bytes) and place it below root. */
int
wspath_normalize(const char *path, size_t len, const char *root,
    char **rel)
{
	struct buf	b, r;
	int		rv = 0;

	*rel = NULL;
	if (memchr(path, '\0', len) != NULL)
		return EINVAL;
	buf_init(&b, BUF_UNBOUNDED);
	buf_init(&r, BUF_UNBOUNDED);
	/* Allocated from the start: the walk reads b.data as a string. */
	if (buf_puts(&b, "") != 0 || buf_puts(&r, "") != 0)
		fatalx("wspath: path buffer overflow");
	wspath_push_components(&r, root);
	if (path[0] != '/')
		wspath_push_components(&b, root);
	wspath_push_components(&b, path);
	if (b.len == r.len && memcmp(b.data, r.data, r.len) == 0)
		*rel = xstrdup("");
	else if (b.len > r.len && memcmp(b.data, r.data, r.len) == 0 &&
	    b.data[r.len] == '/')
		*rel = xstrdup(b.data + r.len + 1);
	else
		rv = EXDEV;
	buf_clear(&b);
	buf_clear(&r);
	return rv;
}

/* Close every directory on the stack. */
static void
wspath_stack_clear(struct wspath_stack *s)
{
	for (size_t i = 0; i < s->n; i++) {
		close(s->fds[i]);
		free(s->names[i]);
	}
	s->n = 0;
}

/* Enter directory fd (called name). */
static int
wspath_stack_push(struct wspath_stack *s, int fd, const char *name,
    size_t len)
{
	if (s->n == WSPATH_MAX_COMPONENTS)
		return ENAMETOOLONG;
	if (s->n == s->cap) {
		s->cap = s->cap == 0 ? 16 : s->cap * 2;
		s->fds = xreallocarray(s->fds, s->cap, sizeof *s->fds);
		s->names = xreallocarray(s->names, s->cap, sizeof *s->names);
	}
	s->fds[s->n] = fd;
	s->names[s->n] = xstrndup(name, len);
	s->n++;
	return 0;
}

/* Leave the innermost directory (for ".." from a link); EXDEV at top. */
static int
wspath_stack_pop(struct wspath_stack *s)
{
	if (s->n == 0)
		return EXDEV;
	s->n--;
	close(s->fds[s->n]);
	free(s->names[s->n]);
	return 0;
}

/*
 * Continue the walk through a symlink: its target replaces the link in
 * what is left to walk.  An absolute target is followed only when it
 * lies in the workspace as the model sees it (root), and then restarts
 * at the top; anything else leads out.
 */
static int
wspath_splice(int linkfd, const char *root, struct wspath_stack *s,
    char **rest)
{
	char	 target[4096], *next;
	ssize_t	 n;
	size_t	 rlen = strlen(root);

	if ((n = readlinkat(linkfd, "", target, sizeof target - 1)) < 0)
		return errno;
	target[n] = '\0';
	if (target[0] == '/') {
		if (strncmp(target, root, rlen) != 0 ||
		    (target[rlen] != '\0' && target[rlen] != '/'))
			return EXDEV;
		wspath_stack_clear(s);
		xasprintf(&next, "%s/%s", target + rlen, *rest);
	} else
		xasprintf(&next, "%s/%s", target, *rest);
	free(*rest);
	*rest = next;
	return 0;
}

/* Initialise an empty result. */
static void
wspath_init(struct wspath *wp)
{
	memset(wp, 0, sizeof *wp);
	wp->dirfd = -1;
}

/* Free a result. */
void
wspath_clear(struct wspath *wp)
{
	if (wp->dirfd != -1)
		close(wp->dirfd);
	free(wp->name);
	free(wp->canon);
	wspath_init(wp);
}

/* Record the result: name in the innermost directory of s (or the top). */
static int
wspath_finish(int wsfd, struct wspath_stack *s, const char *name,
    size_t len, const struct stat *st, struct wspath *wp)
{
	struct buf	b;
	int		top = s->n > 0 ? s->fds[s->n - 1] : wsfd;

	if ((wp->dirfd = fcntl(top, F_DUPFD_CLOEXEC, 3)) == -1)
		return errno;
	wp->name = xstrndup(name, len);
	if (st != NULL) {
		wp->exists = 1;
		wp->st = *st;
	}
	buf_init(&b, BUF_UNBOUNDED);
	if (buf_puts(&b, "") != 0)
		fatalx("wspath: path buffer overflow");
	for (size_t i = 0; i < s->n; i++) {
		if ((i > 0 && buf_putc(&b, '/') != 0) ||
		    buf_puts(&b, s->names[i]) != 0)
			fatalx("wspath: path buffer overflow");
	}
	if (len > 0 && ((b.len > 0 && buf_putc(&b, '/') != 0) ||
	    buf_append(&b, name, len) != 0))
		fatalx("wspath: path buffer overflow");
	wp->canon = buf_steal(&b, NULL);
	if (wp->canon == NULL)
		wp->canon = xstrdup("");
	return 0;
}

/*
 * The path ended on a directory already entered ("a/b/.." or a link to a
 * directory ending in "."): name it by its parent and its own name.
 */
static int
wspath_finish_dir(int wsfd, struct wspath_stack *s, struct wspath *wp)
{
	struct stat	 st;
	char		*name;
	int		 fd, error;

	if (s->n == 0) {
		if (fstat(wsfd, &st) != 0)
			return errno;
		return wspath_finish(wsfd, s, "", 0, &st, wp);
	}
	fd = s->fds[s->n - 1];
	name = s->names[s->n - 1];
	s->n--;
	if (fstat(fd, &st) != 0)
		error = errno;
	else
		error = wspath_finish(wsfd, s, name, strlen(name), &st, wp);
	close(fd);
	free(name);
	return error;
}

/* Walk rel beneath wsfd (see the header). */
int
wspath_resolve(int wsfd, const char *root, const char *rel, int flags,
    const struct wspath_owner *own, struct wspath *wp)
{
	struct wspath_stack	 s;
	struct stat		 st, wsst;
	char			*rest, *p, *end;
	size_t			 len;
	int			 hops = 0, error = 0, fd, cur, last, made;

	wspath_init(wp);
	memset(&s, 0, sizeof s);
	if (fstat(wsfd, &wsst) != 0)
		return errno;
	rest = xstrdup(rel);
	p = rest;
	for (;;) {
		while (*p == '/')
			p++;
		if (*p == '\0') {
			error = wspath_finish_dir(wsfd, &s, wp);
			break;
		}
		end = strchr(p, '/');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		last = end == NULL || end[strspn(end, "/")] == '\0';
		cur = s.n > 0 ? s.fds[s.n - 1] : wsfd;
		if (len == 1 && p[0] == '.') {
			p += len;
			continue;
		}
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			if ((error = wspath_stack_pop(&s)) != 0)
				break;
			p += len;
			continue;
		}
		if (len > 255) {
			error = ENAMETOOLONG;
			break;
		}
		p[len] = '\0';		/* p now holds one component */
		if (last) {
			if (fstatat(cur, p, &st, AT_SYMLINK_NOFOLLOW) != 0) {
				if (errno != ENOENT) {
					error = errno;
					break;
				}
				error = wspath_finish(wsfd, &s, p, len, NULL,
				    wp);
				break;
			}
			if (!S_ISLNK(st.st_mode) || (flags & WSPATH_NOFOLLOW)) {
				if (st.st_dev != wsst.st_dev)
					error = EXDEV;
				else
					error = wspath_finish(wsfd, &s, p, len,
					    &st, wp);
				break;
			}
		}
		made = 0;
		fd = wspath_openat(cur, p, O_PATH|O_NOFOLLOW, 0);
		if (fd == -1 && errno == ENOENT && (flags & WSPATH_MKDIR) &&
		    !last) {
			if (mkdirat(cur, p, 0700) == 0)
				made = 1;
			else if (errno != EEXIST) {
				error = errno;
				break;
			}
			fd = wspath_openat(cur, p, O_PATH|O_NOFOLLOW, 0);
		}
		if (fd == -1) {
			error = errno;
			break;
		}
		if (fstat(fd, &st) != 0) {
			error = errno;
			close(fd);
			break;
		}
		if (S_ISLNK(st.st_mode)) {
			if (++hops > WSPATH_MAX_HOPS)
				error = ELOOP;
			else {
				/* p points into rest: keep what follows. */
				char *after = xstrdup(last ? "" : p + len + 1);

				free(rest);
				rest = after;
				error = wspath_splice(fd, root, &s, &rest);
				p = rest;
			}
			close(fd);
			if (error != 0)
				break;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			close(fd);
			error = ENOTDIR;
			break;
		}
		if (st.st_dev != wsst.st_dev) {
			close(fd);
			error = EXDEV;
			break;
		}
		if (made && own != NULL && own->chown &&
		    fchownat(fd, "", own->uid, own->gid, AT_EMPTY_PATH) != 0) {
			error = errno;
			close(fd);
			break;
		}
		if ((error = wspath_stack_push(&s, fd, p, len)) != 0) {
			close(fd);
			break;
		}
		p += len + (last ? 0 : 1);
	}
	wspath_stack_clear(&s);
	free(s.fds);
	free(s.names);
	free(rest);
	if (error != 0)
		wspath_clear(wp);
	return error;
}

/* Open the resolved file or directory. */
int
wspath_open(const struct wspath *wp, int flags)
{
	if (wp->name[0] == '\0')
		return wspath_openat(wp->dirfd, ".", flags, 0);
	return wspath_openat(wp->dirfd, wp->name, flags|O_NOFOLLOW, 0);
}

/* Open a file the walker found. */
int
wspath_entry_open(const struct wspath_entry *e, int flags)
{
	return wspath_openat(e->dirfd, e->name, flags|O_NOFOLLOW, 0);
}

/* Probe openat2 once on "/" (which is always there). */
int
wspath_has_openat2(void)
{
	int	fd;

	if ((fd = wspath_openat(AT_FDCWD, "/", O_PATH|O_DIRECTORY, 0)) != -1)
		close(fd);
	return atomic_load(&wspath_openat2);
}

/*
 * Replace name in dirfd atomically: a temporary file in the same
 * directory, then rename over the name.  A reader sees the old file or
 * the new one, never a torn one; that comes from the rename.  There is no
 * fsync: the workspace is the agent's scratch area and what a session did
 * is in the harness's own event log (harness.db), so a host crash may
 * cost the last writes' contents (ext4's auto_da_alloc still flushes a
 * file renamed over another), not the record of them.  One fsync is one
 * journal commit, 8 ms on our ext4 (doc/sandbox.md, bench/README.md).
 */
int
wspath_write(int dirfd, const char *name, const void *p, size_t len,
    mode_t mode, const struct wspath_owner *own, uid_t uid, gid_t gid)
{
	char	tmp[64], tail[17];
	int	fd, error = 0;

	rand_base62(tail, 16);
	snprintf(tmp, sizeof tmp, ".tmp-%ld-%s", (long)getpid(), tail);
	fd = wspath_openat(dirfd, tmp, O_WRONLY|O_CREAT|O_EXCL|O_NOFOLLOW,
	    0600);
	if (fd == -1)
		return errno;
	if (io_write_all(fd, p, len) != 0 ||
	    (own != NULL && own->chown && fchown(fd, uid, gid) != 0) ||
	    fchmod(fd, mode & 0777) != 0)
		error = errno;
	if (close(fd) != 0 && error == 0)
		error = errno;
	if (error == 0 && renameat(dirfd, tmp, dirfd, name) != 0)
		error = errno;
	if (error != 0)
		unlinkat(dirfd, tmp, 0);
	return error;
}

/* Walk state shared by every level. */
struct wspath_walker {
	wspath_dir_cb	 dir;
	wspath_file_cb	 file;
	void		*arg;
	int64_t		 deadline;	/* monotonic us, or 0 */
	struct cancel	*cancel;
	long		 budget;	/* entries left */
	dev_t		 dev;
	struct buf	 rel;
	int		 stopped;
};

/* Sort names in byte order, as Node's readdir (libuv scandir) does. */
static int
wspath_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names in directory fd (consumed), sorted; NULL on error. */
static char **
wspath_list(int fd, size_t *np)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL;
	size_t		 n = 0;

	if ((d = fdopendir(fd)) == NULL) {
		close(fd);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n >= WSPATH_MAX_ENTRIES + 1)
			break;
		v = xreallocarray(v, n + 1, sizeof *v);
		v[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(v, n, sizeof *v, wspath_cmp);
	*np = n;
	return v;
}

/* Visit one directory (fd, consumed) at depth. */
static void
wspath_walk_dir(struct wspath_walker *w, int fd, int depth)
{
	struct wspath_entry	 e;
	struct stat		 st;
	char			**names;
	size_t			 n = 0, mark = w->rel.len;
	int			 child, dfd;

	if (depth > WSPATH_MAX_DEPTH) {
		close(fd);
		return;
	}
	if ((dfd = fcntl(fd, F_DUPFD_CLOEXEC, 3)) == -1) {
		close(fd);
		return;
	}
	if ((names = wspath_list(fd, &n)) == NULL) {
		close(dfd);
		return;
	}
	for (size_t i = 0; i < n && !w->stopped; i++) {
		if (strcmp(names[i], ".git") == 0 ||
		    strcmp(names[i], "node_modules") == 0)
			continue;
		if (w->budget-- <= 0 ||
		    (w->deadline != 0 && clock_mono_us() >= w->deadline) ||
		    (w->cancel != NULL && cancel_fired(w->cancel))) {
			w->stopped = 1;
			break;
		}
		if (fstatat(dfd, names[i], &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		buf_truncate(&w->rel, mark);
		if ((mark > 0 && buf_putc(&w->rel, '/') != 0) ||
		    buf_puts(&w->rel, names[i]) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			if (st.st_dev != w->dev || (w->dir != NULL &&
			    !w->dir(buf_cstr(&w->rel), w->arg)))
				continue;
			child = wspath_openat(dfd, names[i],
			    O_RDONLY|O_DIRECTORY|O_NOFOLLOW, 0);
			if (child != -1)
				wspath_walk_dir(w, child, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			e.dirfd = dfd;
			e.name = names[i];
			e.rel = buf_cstr(&w->rel);
			e.st = &st;
			if (w->file(&e, w->arg) != 0)
				w->stopped = 1;
		}
	}
	buf_truncate(&w->rel, mark);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	close(dfd);
}

/* Walk the tree below dirfd (see the header). */
int
wspath_walk(int dirfd, wspath_dir_cb dir, wspath_file_cb file, void *arg,
    int64_t deadline, struct cancel *cancel)
{
	struct wspath_walker	w;
	struct stat		st;
	int			fd;

	memset(&w, 0, sizeof w);
	w.dir = dir;
	w.file = file;
	w.arg = arg;
	w.deadline = deadline;
	w.cancel = cancel;
	w.budget = WSPATH_MAX_ENTRIES;
	buf_init(&w.rel, BUF_UNBOUNDED);
	if ((fd = wspath_openat(dirfd, ".", O_RDONLY|O_DIRECTORY, 0)) == -1 ||
	    fstat(fd, &st) != 0) {
		if (fd != -1)
			close(fd);
		buf_clear(&w.rel);
		return 0;
	}
	w.dev = st.st_dev;
	wspath_walk_dir(&w, fd, 0);
	buf_clear(&w.rel);
	return w.stopped;
}
