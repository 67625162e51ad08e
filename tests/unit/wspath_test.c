/* ISC licence: see COPYING.  Tests for harness/wspath: confinement. */

#include "config.h"

#include <sys/mount.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/xmalloc.h"
#include "harness/wspath.h"
#include "tap.h"

static char	 top[256];	/* the temporary directory */
static char	 ws[300];	/* the workspace below it */
static char	 outside[300];	/* a secret next to it */

/* Normalise and expect a result ("!" + errno name means an error). */
static void
norm(const char *path, const char *want)
{
	char	*rel = NULL;
	int	 error;

	error = wspath_normalize(path, strlen(path), "/workspace", &rel);
	if (want[0] == '!')
		ok(error == EXDEV, "normalise %s: outside", path);
	else {
		is_int(error, 0, "normalise %s: accepted", path);
		is_str(rel, want, "normalise %s", path);
	}
	free(rel);
}

/* Resolve rel (following) and return the errno (0 on success). */
static int
resolve(int wsfd, const char *rel, int flags, struct wspath *wp)
{
	return wspath_resolve(wsfd, "/workspace", rel, flags, NULL, wp);
}

/* Resolve and expect canon (or an errno). */
static void
expect(int wsfd, const char *rel, int flags, int want, const char *canon,
    const char *what)
{
	struct wspath	wp;
	int		error = resolve(wsfd, rel, flags, &wp);

	is_int(error, want, "%s: %s", what, rel);
	if (error == 0) {
		if (canon != NULL)
			is_str(wp.canon, canon, "%s: %s is %s", what, rel,
			    canon);
		wspath_clear(&wp);
	}
}

/* Build the tree the tests walk. */
static void
setup(void)
{
	char	path[512];
	int	fd;

	snprintf(top, sizeof top, "%s/wspath.XXXXXX",
	    getenv("TMPDIR") != NULL ? getenv("TMPDIR") : "/tmp");
	if (mkdtemp(top) == NULL)
		fatal("mkdtemp");
	snprintf(ws, sizeof ws, "%s/ws", top);
	snprintf(outside, sizeof outside, "%s/secret", top);
	if (mkdir(ws, 0700) != 0)
		fatal("mkdir");
	if ((fd = open(outside, O_WRONLY|O_CREAT, 0600)) == -1 ||
	    write(fd, "secret\n", 7) != 7 || close(fd) != 0)
		fatal("secret");
#define MK(fmt, ...) do {						\
	snprintf(path, sizeof path, "%s/" fmt, ws, ##__VA_ARGS__);	\
} while (0)
	MK("dir");
	mkdir(path, 0700);
	MK("dir/sub");
	mkdir(path, 0700);
	MK("dir/file.txt");
	close(open(path, O_WRONLY|O_CREAT, 0600));
	MK("top.txt");
	close(open(path, O_WRONLY|O_CREAT, 0600));
	MK("in-link");
	symlink("dir/file.txt", path);
	MK("dir-link");
	symlink("dir", path);
	MK("dir/up-link");
	symlink("../top.txt", path);
	MK("abs-in");
	symlink("/workspace/dir/file.txt", path);
	MK("abs-out");
	symlink(outside, path);
	MK("rel-out");
	symlink("../secret", path);
	MK("root-link");
	symlink("/", path);
	MK("loop-a");
	symlink("loop-b", path);
	MK("loop-b");
	symlink("loop-a", path);
	MK("dangling");
	symlink("made/new.txt", path);
	MK("fifo");
	mkfifo(path, 0600);
	MK("hard");
	link(outside, path);
#undef MK
}

/* Remove the tree (it has no links that lead out but rm -rf is simpler). */
static void
teardown(void)
{
	char	cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	if (system(cmd) != 0)
		diag("could not remove %s", top);
}

/* The walk, with openat2 or with its openat fallback. */
static void
walk_tests(int wsfd, const char *how)
{
	struct wspath	wp;
	struct stat	st;
	char		path[512];
	int		fd;

	expect(wsfd, "", 0, 0, "", how);
	expect(wsfd, "dir/file.txt", 0, 0, "dir/file.txt", how);
	expect(wsfd, "in-link", 0, 0, "dir/file.txt", how);
	expect(wsfd, "dir-link/file.txt", 0, 0, "dir/file.txt", how);
	expect(wsfd, "dir/up-link", 0, 0, "top.txt", how);
	expect(wsfd, "abs-in", 0, 0, "dir/file.txt", how);
	expect(wsfd, "abs-out", 0, EXDEV, NULL, how);
	expect(wsfd, "rel-out", 0, EXDEV, NULL, how);
	expect(wsfd, "root-link", 0, EXDEV, NULL, how);
	expect(wsfd, "root-link/etc/passwd", 0, EXDEV, NULL, how);
	expect(wsfd, "loop-a", 0, ELOOP, NULL, how);
	expect(wsfd, "top.txt/x", 0, ENOTDIR, NULL, how);
	expect(wsfd, "nope/x", 0, ENOENT, NULL, how);
	/* A final symlink is itself with NOFOLLOW. */
	expect(wsfd, "abs-out", WSPATH_NOFOLLOW, 0, "abs-out", how);

	/* A missing final name resolves: write creates it. */
	is_int(resolve(wsfd, "dir/new.txt", 0, &wp), 0, "%s: missing leaf",
	    how);
	ok(!wp.exists && strcmp(wp.name, "new.txt") == 0,
	    "%s: missing leaf is not there yet", how);
	wspath_clear(&wp);

	/* A dangling link leads to where its target would be. */
	is_int(resolve(wsfd, "dangling", WSPATH_MKDIR, &wp), 0,
	    "%s: dangling link resolves", how);
	is_str(wp.canon, "made/new.txt", "%s: to its target", how);
	wspath_clear(&wp);
	snprintf(path, sizeof path, "%s/made", ws);
	ok(stat(path, &st) == 0 && S_ISDIR(st.st_mode),
	    "%s: MKDIR made the target's directory", how);
	rmdir(path);

	/* A FIFO resolves but never opens for reading without O_NONBLOCK. */
	is_int(resolve(wsfd, "fifo", 0, &wp), 0, "%s: fifo resolves", how);
	ok(S_ISFIFO(wp.st.st_mode), "%s: and is seen as a FIFO", how);
	fd = wspath_open(&wp, O_RDONLY|O_NONBLOCK);
	ok(fd != -1, "%s: O_NONBLOCK open does not block", how);
	if (fd != -1)
		close(fd);
	wspath_clear(&wp);

	/* The hard link is visible as such (tools refuse it). */
	is_int(resolve(wsfd, "hard", 0, &wp), 0, "%s: hard link", how);
	ok(wp.st.st_nlink == 2, "%s: with two links", how);
	wspath_clear(&wp);
}

/* A mount point inside the workspace is another device: refused. */
static void
xdev_tests(int wsfd)
{
	char	path[512];

	snprintf(path, sizeof path, "%s/mnt", ws);
	mkdir(path, 0700);
	if (geteuid() != 0 ||
	    mount("tmpfs", path, "tmpfs", 0, "size=64k") != 0) {
		tap_skip(2, "mounting needs root");
		rmdir(path);
		return;
	}
	expect(wsfd, "mnt", 0, EXDEV, NULL, "xdev");
	expect(wsfd, "mnt/x", WSPATH_MKDIR, EXDEV, NULL, "xdev");
	umount(path);
	rmdir(path);
}

/* Atomic write: mode, content, no temporary left, link replaced. */
static void
write_tests(int wsfd)
{
	struct wspath	 wp;
	struct stat	 st;
	char		 path[512], buf[64];
	ssize_t		 n;
	int		 fd;

	is_int(resolve(wsfd, "dir/w.txt", 0, &wp), 0, "write: resolve");
	is_int(wspath_write(wp.dirfd, wp.name, "abc", 3, 0640, NULL, 0, 0), 0,
	    "write: atomic write");
	wspath_clear(&wp);
	snprintf(path, sizeof path, "%s/dir/w.txt", ws);
	ok(stat(path, &st) == 0 && (st.st_mode & 0777) == 0640 &&
	    st.st_size == 3, "write: the file has its mode and size");
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof buf);
	close(fd);
	is_mem(buf, (size_t)n, "abc", 3, "write: the content");
	snprintf(path, sizeof path, "ls -a '%s/dir' | grep -q '^\\.tmp-'", ws);
	ok(system(path) != 0, "write: no temporary file is left");

	/* Writing over the hard link replaces the name, not the inode. */
	is_int(resolve(wsfd, "hard", 0, &wp), 0, "write: resolve hard");
	is_int(wspath_write(wp.dirfd, wp.name, "x", 1, 0600, NULL, 0, 0), 0,
	    "write: over a hard link");
	wspath_clear(&wp);
	fd = open(outside, O_RDONLY);
	n = read(fd, buf, sizeof buf);
	close(fd);
	is_mem(buf, (size_t)n, "secret\n", 7, "write: the outside file is "
	    "untouched");
}

/* The walker: order, pruning, symlinks and bounds. */
struct walked {
	char	 list[4096];
};

static int
walked_file(const struct wspath_entry *e, void *arg)
{
	struct walked	*w = arg;

	strncat(w->list, e->rel, sizeof w->list - strlen(w->list) - 2);
	strncat(w->list, " ", sizeof w->list - strlen(w->list) - 1);
	return 0;
}

static void
walk_tree_tests(int wsfd)
{
	struct walked	w;
	char		path[512];

	snprintf(path, sizeof path, "%s/.git", ws);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/.git/config", ws);
	close(open(path, O_WRONLY|O_CREAT, 0600));
	snprintf(path, sizeof path, "%s/node_modules", ws);
	mkdir(path, 0700);
	snprintf(path, sizeof path, "%s/node_modules/x.js", ws);
	close(open(path, O_WRONLY|O_CREAT, 0600));
	memset(&w, 0, sizeof w);
	is_int(wspath_walk(wsfd, NULL, walked_file, &w, 0, NULL), 0,
	    "walk: completes");
	is_str(w.list, "dir/file.txt dir/w.txt hard top.txt ",
	    "walk: regular files only, byte order, .git and node_modules "
	    "pruned, links and FIFOs skipped");
}

int
main(void)
{
	int	wsfd;

	norm("a/b", "a/b");
	norm("./a//b/", "a/b");
	norm("a/../b", "b");
	norm("/workspace", "");
	norm("/workspace/", "");
	norm("/workspace/x/../y", "y");
	norm("../workspace/z", "z");
	norm(".", "");
	norm("..", "!");
	norm("../x", "!");
	norm("/etc/passwd", "!");
	norm("/workspace/../etc", "!");
	norm("/workspacex/a", "!");
	{
		char	*rel;

		is_int(wspath_normalize("a\0b", 3, "/workspace", &rel), EINVAL,
		    "normalise: a NUL byte is refused");
	}

	setup();
	if ((wsfd = open(ws, O_PATH|O_DIRECTORY|O_CLOEXEC)) == -1)
		fatal("open %s", ws);
	wspath_use_openat2(1);
	walk_tests(wsfd, "openat2");
	wspath_use_openat2(0);
	walk_tests(wsfd, "openat");
	wspath_use_openat2(1);
	xdev_tests(wsfd);
	write_tests(wsfd);
	walk_tree_tests(wsfd);
	close(wsfd);
	teardown();
	return done_testing();
}
