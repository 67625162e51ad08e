/*
 * fault.h -- start and stop tests/integration/fault_server from a C test,
 * and read back what it logged.  Each server gets a private temporary
 * directory for its event log and request log, and an ephemeral port.
 */
#ifndef PILOTHOUSE_TEST_FAULT_H
#define PILOTHOUSE_TEST_FAULT_H

#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct fault {
	pid_t	pid;
	int	port;
	char	dir[PATH_MAX];
	char	log[PATH_MAX + 16];	/* every stored event: ID\tJSON */
	char	req[PATH_MAX + 16];	/* every request with its headers */
	char	sock[PATH_MAX + 16];	/* with "unix" as the first argument */
	char	url[PATH_MAX + 32];
};

/*
 * Start the server with extra arguments (NULL-terminated).  A first
 * argument "unix" makes it listen on a unix socket in its directory.
 * Returns 0, or -1 after a diagnostic.
 */
static __attribute__((unused)) int
fault_start(struct fault *f, const char *const *args)
{
	const char	*top = getenv("top_builddir"), *tmp = getenv("TMPDIR");
	char		*argv[64], bin[PATH_MAX], line[64];
	int		 fds[2], n = 0, unix_sock = 0;
	size_t		 got = 0;
	struct pollfd	 pfd;
	ssize_t		 r;

	memset(f, 0, sizeof *f);
	snprintf(bin, sizeof bin, "%s/tests/integration/fault_server",
	    top != NULL ? top : ".");
	snprintf(f->dir, sizeof f->dir, "%s/ph-fault.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(f->dir) == NULL)
		return -1;
	snprintf(f->log, sizeof f->log, "%s/events.log", f->dir);
	snprintf(f->req, sizeof f->req, "%s/requests.log", f->dir);
	snprintf(f->sock, sizeof f->sock, "%s/api.sock", f->dir);
	argv[n++] = bin;
	argv[n++] = (char *)"--log";
	argv[n++] = f->log;
	argv[n++] = (char *)"--requests";
	argv[n++] = f->req;
	if (args != NULL && args[0] != NULL && strcmp(args[0], "unix") == 0) {
		unix_sock = 1;
		argv[n++] = (char *)"--unix";
		argv[n++] = f->sock;
		args++;
	}
	for (; args != NULL && *args != NULL && n < 62; args++)
		argv[n++] = (char *)*args;
	argv[n] = NULL;
	if (pipe(fds) != 0)
		return -1;
	if ((f->pid = fork()) == -1)
		return -1;
	if (f->pid == 0) {
		dup2(fds[1], STDOUT_FILENO);
		close(fds[0]);
		close(fds[1]);
		execv(bin, argv);
		_exit(127);
	}
	close(fds[1]);
	pfd.fd = fds[0];
	pfd.events = POLLIN;
	while (got < sizeof line - 1 && memchr(line, '\n', got) == NULL) {
		if (poll(&pfd, 1, 10000) <= 0)
			break;
		if ((r = read(fds[0], line + got, sizeof line - 1 - got)) <= 0)
			break;
		got += (size_t)r;
	}
	close(fds[0]);
	line[got] = '\0';
	if (strchr(line, '\n') == NULL) {
		printf("# fault_server did not start (%s)\n", bin);
		return -1;
	}
	if (unix_sock)
		snprintf(f->url, sizeof f->url, "unix:%s", f->sock);
	else {
		f->port = atoi(line);
		snprintf(f->url, sizeof f->url, "http://127.0.0.1:%d", f->port);
	}
	return 0;
}

/* Stop the server and remove its directory. */
static __attribute__((unused)) void
fault_stop(struct fault *f)
{
	char	path[PATH_MAX + 32];
	int	status;

	if (f->pid > 0) {
		kill(f->pid, SIGTERM);
		waitpid(f->pid, &status, 0);
		f->pid = 0;
	}
	unlink(f->log);
	unlink(f->req);
	unlink(f->sock);
	snprintf(path, sizeof path, "%s", f->dir);
	rmdir(path);
}

/*
 * The stored events of session id, in log order, as they were written
 * (without the newline).  Caller frees each line and the array.
 */
static __attribute__((unused)) char **
fault_log(const struct fault *f, const char *id, size_t *count)
{
	FILE	*fp;
	char	*line = NULL, **v = NULL;
	size_t	 size = 0, n = 0, idlen = strlen(id);
	ssize_t	 len;

	*count = 0;
	if ((fp = fopen(f->log, "r")) == NULL)
		return NULL;
	while ((len = getline(&line, &size, fp)) > 0) {
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if ((size_t)len <= idlen || strncmp(line, id, idlen) != 0 ||
		    line[idlen] != '\t')
			continue;
		v = realloc(v, (n + 1) * sizeof *v);
		v[n++] = strdup(line + idlen + 1);
	}
	free(line);
	fclose(fp);
	*count = n;
	return v;
}

/* The lines of the request log that contain needle (NULL: all). */
static __attribute__((unused)) size_t
fault_requests(const struct fault *f, const char *needle)
{
	FILE	*fp;
	char	*line = NULL;
	size_t	 size = 0, n = 0;

	if ((fp = fopen(f->req, "r")) == NULL)
		return 0;
	while (getline(&line, &size, fp) > 0)
		if (needle == NULL || strstr(line, needle) != NULL)
			n++;
	free(line);
	fclose(fp);
	return n;
}

#endif
