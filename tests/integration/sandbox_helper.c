/*
 * ISC licence: see COPYING.  Runs inside the sandbox for the escape
 * battery (sandbox_escape_test.c) and makes the raw system calls that no
 * shell command makes: TIOCSTI on a terminal of its own, io_uring, bpf,
 * keyctl, perf, userfaultfd, clone3, nested namespaces, mounts, abstract
 * sockets and ptrace.  Prints "NAME=RESULT" lines, RESULT being "ok" or
 * the errno name.
 */

#include "config.h"

#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <linux/sched.h>

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

/* Print the outcome of one attempt. */
static void
report(const char *name, long rv)
{
	printf("%s=%s\n", name, rv >= 0 ? "ok" : strerrorname_np(errno));
	fflush(stdout);
}

/*
 * TIOCSTI on a terminal that is really ours: a new session whose
 * controlling terminal is a fresh pty from the sandbox's own devpts, so
 * the kernel itself would allow it and only the filter can refuse.
 * Also with bit 32 set (CVE-2019-10063).  Then look whether anything
 * arrived on the terminal's input.
 */
static void
tiocsti(void)
{
	struct termios	t;
	char		name[64], c;
	int		m, s, unlock = 0, n;

	if (setsid() == -1 ||
	    (m = open("/dev/ptmx", O_RDWR|O_NOCTTY)) == -1 ||
	    ioctl(m, TIOCSPTLCK, &unlock) == -1 ||
	    ioctl(m, TIOCGPTN, &n) == -1) {
		report("pty", -1);
		return;
	}
	snprintf(name, sizeof name, "/dev/pts/%d", n);
	if ((s = open(name, O_RDWR)) == -1) {
		report("pty", -1);
		return;
	}
	report("pty", 0);
	tcgetattr(s, &t);
	cfmakeraw(&t);
	tcsetattr(s, TCSANOW, &t);
	c = 'x';
	report("tiocsti", syscall(SYS_ioctl, s, (unsigned long)TIOCSTI, &c));
	report("tiocsti_hi", syscall(SYS_ioctl, s,
	    (unsigned long)TIOCSTI | (1UL << 32), &c));
	fcntl(s, F_SETFL, O_NONBLOCK);
	printf("typed=%s\n", read(s, &c, 1) == 1 ? "yes" : "no");
}

/* Kernel surface the filter closes. */
static void
syscalls(void)
{
	struct clone_args	ca;
	char			buf[256];

	memset(buf, 0, sizeof buf);
	report("io_uring_setup", syscall(SYS_io_uring_setup, 1, buf));
	report("keyctl", syscall(SYS_keyctl, 0 /* GET_KEYRING_ID */, -3, 0));
	report("add_key", syscall(SYS_add_key, "user", "k", "v", 1, -3));
	report("bpf", syscall(SYS_bpf, 0, buf, 64));
	report("perf_event_open", syscall(SYS_perf_event_open, buf, 0, -1,
	    -1, 0));
	report("userfaultfd", syscall(SYS_userfaultfd, 0));
	report("unshare_user", unshare(CLONE_NEWUSER));
	report("unshare_mount", unshare(CLONE_NEWNS));
	report("mount", mount("none", "/tmp", "tmpfs", 0, NULL));
	report("setns", syscall(SYS_setns, 0, 0));
	report("chroot", chroot("/tmp"));
	report("openat2", syscall(SYS_openat2, AT_FDCWD, "/", buf, 24));
	memset(&ca, 0, sizeof ca);
	ca.flags = CLONE_NEWUSER;
	ca.exit_signal = SIGCHLD;
	report("clone3", syscall(SYS_clone3, &ca, sizeof ca));
	report("clone_newuser", syscall(SYS_clone, CLONE_NEWUSER|SIGCHLD, 0,
	    0, 0, 0));
}

/* Connect to an abstract UNIX socket (the harness listens on the host). */
static void
abstract(const char *name)
{
	struct sockaddr_un	sun;
	socklen_t		len;
	int			fd;

	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	strncpy(sun.sun_path + 1, name, sizeof sun.sun_path - 2);
	len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 +
	    strlen(name));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	report("abstract", connect(fd, (struct sockaddr *)&sun, len));
}

int
main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "tiocsti") == 0)
		tiocsti();
	else if (argc >= 2 && strcmp(argv[1], "syscalls") == 0)
		syscalls();
	else if (argc >= 3 && strcmp(argv[1], "abstract") == 0)
		abstract(argv[2]);
	else if (argc >= 3 && strcmp(argv[1], "ptrace") == 0)
		report("ptrace", ptrace(PTRACE_ATTACH, (pid_t)strtol(argv[2],
		    NULL, 10), NULL, NULL));
	else {
		fprintf(stderr, "usage: sandbox_helper tiocsti|syscalls|"
		    "abstract NAME|ptrace PID\n");
		return 2;
	}
	return 0;
}
