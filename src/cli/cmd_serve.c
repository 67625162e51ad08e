/* ISC licence: see COPYING.  serve: run the local harness. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/paths.h"
#include "base/rand.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/connect.h"
#include "cli/serve.h"
#include "harness/brain_key.h"
#include "harness/demo.h"
#include "harness/harness.h"
#include "harness/httpd.h"

#define SERVE_MAX_BODY		(16u * 1024 * 1024)
#define SERVE_START_MS		15000	/* --background waits this long */

struct serve_opts {
	const char	*config_path;	/* the global --config, or NULL */
	const char	*listen;
	const char	*key_file;
	const char	*scenarios;
	int		 fast;
	int		 background;
	int		 stop;
	int		 unsafe;
	double		 heartbeat;	/* seconds */
};

struct serve_state {
	struct loop		*loop;
	struct loop_timer	*beat;
	struct harness		*harness;
	struct demo		*demo;
	int64_t			 beat_ms;
};

/* The runtime directory, created private.  Caller frees. */
static char *
serve_runtime_dir(char **cause)
{
	char	*dir = paths_runtime_dir();

	if (paths_private_dir(dir, cause) != 0) {
		free(dir);
		return NULL;
	}
	return dir;
}

/* The socket path. */
char *
serve_socket_path(void)
{
	char	*dir = paths_runtime_dir(), *p;

	xasprintf(&p, "%s/harness.sock", dir);
	free(dir);
	return p;
}

/* Read or create (0600, random) the TCP key.  Caller frees. */
static char *
serve_key(const char *path, char **cause)
{
	struct buf	 b;
	char		 key[48], *dir, *slash, *out;

	buf_init(&b, 4096);
	if (io_read_file(path, 4096, &b, cause) == 0) {
		out = buf_steal(&b, NULL);
		out[strcspn(out, "\r\n")] = '\0';
		if (*out == '\0') {
			free(out);
			xasprintf(cause, "%s: the key file is empty", path);
			return NULL;
		}
		return out;
	}
	buf_clear(&b);
	if (errno != ENOENT && access(path, F_OK) == 0)
		return NULL;
	free(*cause);
	*cause = NULL;
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL && slash != dir) {
		*slash = '\0';
		if (paths_mkdir(dir, cause) != 0) {
			free(dir);
			return NULL;
		}
	}
	free(dir);
	memcpy(key, "ph-", 3);
	rand_base62(key + 3, 40);
	if (io_write_file(path, key, strlen(key), cause) != 0)
		return NULL;
	return xstrdup(key);
}

/* Heartbeat timer. */
static void
serve_beat(struct loop_timer *t, void *arg)
{
	struct serve_state	*st = arg;

	harness_heartbeat(st->harness);
	loop_timer_arm(t, st->beat_ms);
}

/* SIGTERM/SIGINT: leave the loop. */
static void
serve_signal(int signo, void *arg)
{
	struct serve_state	*st = arg;

	log_info("serve: signal %d, stopping", signo);
	loop_exit(st->loop, 0);
}

/* The /pilothouse/ extensions: health and the demo. */
static int
serve_ext(void *arg, const char *method, const char *path, json_t *body,
    json_t **out, struct apierr *err)
{
	struct serve_state	*st = arg;

	if (strcmp(method, "GET") == 0 &&
	    strcmp(path, "/pilothouse/v1/health") == 0) {
		*out = json_pack("{sssIss}", "status", "ok", "pid",
		    (json_int_t)getpid(), "version", PACKAGE_VERSION);
		return 0;
	}
	if (strcmp(method, "POST") == 0 &&
	    strcmp(path, "/pilothouse/v1/demo") == 0)
		return demo_start(st->demo, body, out, err);
	return apierr_not_found(err, "no such extension endpoint: %s %s",
	    method, path);
}

/* Lock the pid file: 1 locked, 0 held by a running server, -1 error. */
static int
serve_lock(const char *path, int *fdp, char **cause)
{
	int	fd;

	if ((fd = open(path, O_RDWR|O_CREAT|O_CLOEXEC|O_NOFOLLOW, 0600)) ==
	    -1) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX|LOCK_NB) != 0) {
		close(fd);
		if (errno == EWOULDBLOCK)
			return 0;
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	*fdp = fd;
	return 1;
}

/* The pid a lock file names, or 0. */
static pid_t
serve_lock_pid(const char *path)
{
	struct buf	 b;
	char		*cause = NULL;
	long long	 pid = 0;

	buf_init(&b, 64);
	if (io_read_file(path, 64, &b, &cause) == 0 && b.data != NULL) {
		b.data[strcspn(b.data, "\n")] = '\0';
		if (str_to_ll(b.data, 1, INT32_MAX, &pid, &cause) != 0)
			pid = 0;
	}
	free(cause);
	buf_clear(&b);
	return (pid_t)pid;
}

/* serve --stop */
static int
serve_stop(const char *lockpath)
{
	char	*cause = NULL;
	pid_t	 pid;
	int	 fd, rv;

	if ((rv = serve_lock(lockpath, &fd, &cause)) == 1) {
		close(fd);
		printf("no harness is running\n");
		return CMD_EXIT_OK;
	}
	if (rv == -1) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	if ((pid = serve_lock_pid(lockpath)) == 0 || kill(pid, SIGTERM) != 0) {
		fprintf(stderr, "pilothouse: the harness holds %s but its pid "
		    "is unknown or gone\n", lockpath);
		return CMD_EXIT_LOCAL;
	}
	for (int i = 0; i < 1000; i++) {
		if ((rv = serve_lock(lockpath, &fd, &cause)) == 1) {
			close(fd);
			printf("stopped the harness (pid %ld)\n", (long)pid);
			return CMD_EXIT_OK;
		}
		free(cause);
		cause = NULL;
		usleep(10000);
	}
	fprintf(stderr, "pilothouse: the harness (pid %ld) did not stop "
	    "within 10 seconds\n", (long)pid);
	return CMD_EXIT_LOCAL;
}

/* Tell a waiting --background parent how the start went. */
static void
serve_report(int fd, const char *msg)
{
	if (fd != -1 && io_write_all(fd, msg, strlen(msg)) != 0)
		log_warn("serve: cannot report to the parent");
}

/* Run the server until a signal; ready_fd gets "ready"/"error: ...". */
static int
serve_run(const struct serve_opts *o, int ready_fd)
{
	struct serve_state	 st;
	struct harness_config	 hc;
	struct httpd_config	 dc;
	struct httpd		*httpd = NULL;
	struct rlimit		 rl;
	char			*rt = NULL, *sock = NULL, *lockpath = NULL;
	char			*data = NULL, *key = NULL, *cause = NULL;
	char			*keypath = NULL, *cfgdir, *msg, pid[32];
	int			 lockfd = -1, ufd = -1, tfd = -1, port = 0;
	int			 rv = CMD_EXIT_LOCAL, l;

	memset(&st, 0, sizeof st);
	/* Before any thread: the key leaves the environment (sandbox.md 9). */
	brain_key_take_env();
	if ((rt = serve_runtime_dir(&cause)) == NULL)
		goto fail;
	xasprintf(&sock, "%s/harness.sock", rt);
	xasprintf(&lockpath, "%s/harness.pid", rt);
	if ((l = serve_lock(lockpath, &lockfd, &cause)) != 1) {
		if (l == 0) {
			serve_report(ready_fd, "running\n");
			fprintf(stderr, "pilothouse: a harness is already "
			    "running (pid %ld); stop it with \"pilothouse "
			    "serve --stop\"\n", (long)serve_lock_pid(lockpath));
			rv = CMD_EXIT_FAIL;
			goto out;
		}
		goto fail;
	}
	snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
	if (ftruncate(lockfd, 0) != 0 ||
	    io_write_all(lockfd, pid, strlen(pid)) != 0) {
		xasprintf(&cause, "%s: %s", lockpath, strerror(errno));
		goto fail;
	}
	/* Thousands of streams: as many descriptors as we may have. */
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	signal(SIGPIPE, SIG_IGN);
	data = paths_data_dir();
	if (paths_private_dir(data, &cause) != 0)
		goto fail;
	if (o->listen != NULL) {
		/* The address is checked (loopback only) before any key
		 * file is created for it. */
		if ((tfd = httpd_listen_tcp(o->listen, &port, &cause)) == -1)
			goto fail;
		if (o->key_file != NULL)
			keypath = xstrdup(o->key_file);
		else {
			cfgdir = paths_config_dir();
			xasprintf(&keypath, "%s/harness.key", cfgdir);
			free(cfgdir);
		}
		if ((key = serve_key(keypath, &cause)) == NULL)
			goto fail;
		log_add_secret(key);
	}
	if ((ufd = httpd_listen_unix(sock, &cause)) == -1)
		goto fail;
	memset(&hc, 0, sizeof hc);
	hc.data_dir = data;
	hc.scenarios_dir = o->scenarios;
	hc.scripted_fast = o->fast;
	hc.config_path = o->config_path;
	hc.unsafe_no_sandbox = o->unsafe;
	if (o->unsafe)
		log_warn("serve: --unsafe-no-sandbox: tools run WITHOUT the "
		    "sandbox");
	if ((st.harness = harness_create(&hc, &cause)) == NULL)
		goto fail;
	st.demo = demo_create(st.harness);
	if (harness_start(st.harness, &cause) != 0)
		goto fail;
	memset(&dc, 0, sizeof dc);
	dc.harness = st.harness;
	dc.unix_fd = ufd;
	dc.tcp_fd = tfd;
	dc.key = key;
	dc.max_body = SERVE_MAX_BODY;
	dc.ext = serve_ext;
	dc.ext_arg = &st;
	ufd = tfd = -1;		/* the daemons own them now */
	if ((httpd = httpd_start(&dc, &cause)) == NULL)
		goto fail;
	st.loop = loop_create();
	if (loop_signal(st.loop, SIGTERM, serve_signal, &st) != 0 ||
	    loop_signal(st.loop, SIGINT, serve_signal, &st) != 0) {
		xasprintf(&cause, "cannot install signal handlers");
		goto fail;
	}
	signal(SIGHUP, SIG_IGN);
	st.beat_ms = (int64_t)(o->heartbeat * 1000);
	st.beat = loop_timer_create(st.loop, serve_beat, &st);
	loop_timer_arm(st.beat, st.beat_ms);
	printf("listening unix:%s\n", sock);
	if (o->listen != NULL)
		printf("listening http://%s:%d (key in %s)\n",
		    strchr(o->listen, ']') != NULL ? "[::1]" : "127.0.0.1",
		    port, keypath);
	if (o->unsafe)
		printf("warning: --unsafe-no-sandbox: tools run without the "
		    "sandbox\n");
	fflush(stdout);
	serve_report(ready_fd, "ready\n");
	if (ready_fd != -1) {
		close(ready_fd);
		ready_fd = -1;
	}
	loop_run(st.loop);
	rv = CMD_EXIT_OK;
	goto out;
fail:
	fprintf(stderr, "pilothouse: serve: %s\n", cause);
	if (ready_fd != -1) {
		xasprintf(&msg, "error: %s\n", cause);
		serve_report(ready_fd, msg);
		free(msg);
	}
	free(cause);
out:
	if (st.harness != NULL)
		harness_stop(st.harness);
	demo_free(st.demo);
	httpd_stop(httpd);
	harness_free(st.harness);
	if (st.beat != NULL)
		loop_timer_free(st.beat);
	loop_free(st.loop);
	if (ufd != -1)
		close(ufd);
	if (tfd != -1)
		close(tfd);
	if (lockfd != -1) {
		unlink(sock);
		close(lockfd);
	}
	if (key != NULL) {
		explicit_bzero(key, strlen(key));
		free(key);
	}
	free(keypath);
	free(data);
	free(rt);
	free(sock);
	free(lockpath);
	return rv;
}

/* --background: fork, wait for the child to listen, then exit. */
static int
serve_background(const struct serve_opts *o)
{
	char	 buf[1024], *rt, *sock, *lockpath, *cause = NULL;
	ssize_t	 n;
	size_t	 len = 0;
	pid_t	 pid;
	int	 p[2], fd, devnull, l;

	if ((rt = serve_runtime_dir(&cause)) == NULL) {
		fprintf(stderr, "pilothouse: serve: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	xasprintf(&sock, "%s/harness.sock", rt);
	xasprintf(&lockpath, "%s/harness.pid", rt);
	free(rt);
	l = serve_lock(lockpath, &fd, &cause);
	free(lockpath);
	if (l == 0) {
		free(sock);
		return CMD_EXIT_OK;	/* one is running already */
	}
	if (l == 1)
		close(fd);
	free(cause);
	if (pipe2(p, O_CLOEXEC) != 0 || (pid = fork()) == -1) {
		fprintf(stderr, "pilothouse: serve: %s\n", strerror(errno));
		free(sock);
		return CMD_EXIT_LOCAL;
	}
	if (pid == 0) {
		close(p[0]);
		setsid();
		if ((devnull = open("/dev/null", O_RDWR)) != -1) {
			dup2(devnull, 0);
			dup2(devnull, 1);
			dup2(devnull, 2);
			if (devnull > 2)
				close(devnull);
		}
		_exit(serve_run(o, p[1]));
	}
	close(p[1]);
	while (len < sizeof buf - 1 && (n = read(p[0], buf + len,
	    sizeof buf - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += (size_t)n;
		if (memchr(buf, '\n', len) != NULL)
			break;
	}
	close(p[0]);
	buf[len] = '\0';
	if (strncmp(buf, "ready", 5) == 0 || strncmp(buf, "running", 7) == 0) {
		for (int i = 0; i < SERVE_START_MS / 10; i++) {
			if (connect_probe(sock)) {
				free(sock);
				return CMD_EXIT_OK;
			}
			usleep(10000);
		}
		fprintf(stderr, "pilothouse: serve: the harness started but "
		    "%s does not accept connections\n", sock);
	} else if (strncmp(buf, "error: ", 7) == 0)
		fprintf(stderr, "pilothouse: serve: %s", buf + 7);
	else
		fprintf(stderr, "pilothouse: serve: the harness exited before "
		    "it was ready\n");
	free(sock);
	return CMD_EXIT_LOCAL;
}

/* serve [options] */
int
cmd_serve_exec(struct cmd_globals *g, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "listen",		required_argument, NULL, 'l' },
		{ "key-file",		required_argument, NULL, 'k' },
		{ "scenarios",		required_argument, NULL, 's' },
		{ "scripted-fast",	no_argument,	   NULL, 'f' },
		{ "background",		no_argument,	   NULL, 'b' },
		{ "stop",		no_argument,	   NULL, 'S' },
		{ "unsafe-no-sandbox",	no_argument,	   NULL, 'u' },
		{ "heartbeat",		required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cmd_entry	*ce = cmd_find("serve");
	struct serve_opts	 o;
	char			*cause = NULL, *rt, *lockpath;
	int			 ch, rv;

	memset(&o, 0, sizeof o);
	o.heartbeat = 15;
	o.config_path = g->config_path;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'l':
			o.listen = optarg;
			break;
		case 'k':
			o.key_file = optarg;
			break;
		case 's':
			o.scenarios = optarg;
			break;
		case 'f':
			o.fast = 1;
			break;
		case 'b':
			o.background = 1;
			break;
		case 'S':
			o.stop = 1;
			break;
		case 'u':
			o.unsafe = 1;
			break;
		case 'H':
			if (str_to_seconds(optarg, 3600, &o.heartbeat,
			    &cause) != 0 || o.heartbeat < 0.01) {
				rv = cmd_usage_error(ce, "--heartbeat: %s",
				    cause != NULL ? cause : "too small");
				free(cause);
				return rv;
			}
			break;
		default:
			return cmd_usage_error(ce, "unknown option");
		}
	}
	if (optind != argc)
		return cmd_usage_error(ce, "unexpected argument \"%s\"",
		    argv[optind]);
	if (o.stop) {
		if ((rt = serve_runtime_dir(&cause)) == NULL) {
			fprintf(stderr, "pilothouse: %s\n", cause);
			free(cause);
			return CMD_EXIT_LOCAL;
		}
		xasprintf(&lockpath, "%s/harness.pid", rt);
		rv = serve_stop(lockpath);
		free(lockpath);
		free(rt);
		return rv;
	}
	if (o.background)
		return serve_background(&o);
	return serve_run(&o, -1);
}
