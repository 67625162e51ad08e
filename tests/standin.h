/*
 * standin.h -- run the stand-in model server (tests/integration/
 * brain_standin.c) from a C test: write a script, start the server on a
 * loopback port of the kernel's choosing, read what it recorded, stop it.
 * Every wait polls with a deadline; nothing sleeps to synchronise.
 */
#ifndef PILOTHOUSE_STANDIN_H
#define PILOTHOUSE_STANDIN_H

#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/xmalloc.h"

#define STANDIN_DATA	PH_SRCDIR "/tests/data/brains"

struct standin {
	pid_t	 pid;
	char	*dir;	/* where it writes; removed by standin_stop */
	int	 port;
	char	*url;		/* http://127.0.0.1:PORT */
};

/* Read DIR/name into a new string, or NULL when it is not there yet. */
static __attribute__((unused)) char *
standin_read(const struct standin *s, const char *name)
{
	struct buf	 b;
	char		*path, *cause = NULL;

	xasprintf(&path, "%s/%s", s->dir, name);
	buf_init(&b, 64 * 1024 * 1024);
	if (io_read_file(path, b.max, &b, &cause) != 0) {
		free(cause);
		free(path);
		buf_clear(&b);
		return NULL;
	}
	free(path);
	return buf_steal(&b, NULL);
}

/* Poll for DIR/name for up to ms milliseconds. */
static __attribute__((unused)) char *
standin_wait(const struct standin *s, const char *name, int ms)
{
	struct timespec	 ts = { 0, 5 * 1000 * 1000 };
	char		*p;

	for (int waited = 0; waited <= ms; waited += 5) {
		if ((p = standin_read(s, name)) != NULL)
			return p;
		nanosleep(&ts, NULL);
	}
	return NULL;
}

/*
 * Start a stand-in answering with script (lines as brain_standin.c
 * describes; "@" in a line stands for the recordings directory).
 */
static __attribute__((unused)) void
standin_start(struct standin *s, const char *script)
{
	char		 tmpl[] = "/tmp/ph-standin.XXXXXX";
	char		*path, *bin, *port;
	const char	*top;
	struct buf	 b;
	char		*cause = NULL;

	memset(s, 0, sizeof *s);
	if (mkdtemp(tmpl) == NULL) {
		printf("Bail out! mkdtemp: %s\n", strerror(errno));
		exit(1);
	}
	s->dir = xstrdup(tmpl);
	buf_init(&b, BUF_UNBOUNDED);
	for (const char *p = script; *p != '\0'; p++) {
		if ((*p == '@' ? buf_puts(&b, STANDIN_DATA) :
		    buf_putc(&b, *p)) != 0)
			abort();
	}
	xasprintf(&path, "%s/script", s->dir);
	if (io_write_file(path, b.data, b.len, &cause) != 0) {
		printf("Bail out! %s\n", cause);
		exit(1);
	}
	buf_clear(&b);
	if ((top = getenv("top_builddir")) == NULL)
		top = ".";
	xasprintf(&bin, "%s/tests/integration/brain_standin", top);
	if ((s->pid = fork()) == 0) {
		/* A test that dies (a Bail out!) takes its server along. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		execl(bin, "brain_standin", "-s", path, "-d", s->dir,
		    (char *)NULL);
		_exit(127);
	}
	free(bin);
	free(path);
	if ((port = standin_wait(s, "port", 10000)) == NULL) {
		printf("Bail out! the stand-in server did not start\n");
		exit(1);
	}
	s->port = atoi(port);
	free(port);
	xasprintf(&s->url, "http://127.0.0.1:%d", s->port);
}

/* Stop the server and remove what it wrote. */
static __attribute__((unused)) void
standin_stop(struct standin *s)
{
	char	*cmd;

	if (s->pid > 0) {
		kill(s->pid, SIGTERM);
		waitpid(s->pid, NULL, 0);
	}
	xasprintf(&cmd, "rm -rf '%s'", s->dir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", s->dir);
	free(cmd);
	free(s->dir);
	free(s->url);
	memset(s, 0, sizeof *s);
}

#endif
