/* ISC licence: see COPYING.  From the global options to an API client. */

#include "config.h"

#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/sanitize.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "cli/conf.h"
#include "cli/connect.h"
#include "store/store.h"
#include "wire/api_retry.h"
#include "wire/stream.h"

const struct stream_opts	connect_stream_opts = {
	.first_tries = API_RETRY_DEFAULT + 1
};

/* Does something accept connections on the unix socket at path? */
int
connect_probe(const char *path)
{
	struct sockaddr_un	sun;
	int			fd, rv;

	if (strlen(path) >= sizeof sun.sun_path)
		return 0;
	if ((fd = socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0)) == -1)
		return 0;
	memset(&sun, 0, sizeof sun);
	sun.sun_family = AF_UNIX;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	rv = connect(fd, (struct sockaddr *)&sun, sizeof sun) == 0;
	close(fd);
	return rv;
}

/* Start the harness with this very binary unless it already answers. */
int
connect_harness(const struct cmd_globals *g, const char *path, char **cause)
{
	char	 self[PATH_MAX], *argv[6];
	ssize_t	 n;
	pid_t	 pid;
	int	 status, argc = 0;

	if (connect_probe(path))
		return 0;
	if ((n = readlink("/proc/self/exe", self, sizeof self - 1)) == -1) {
		xasprintf(cause, "cannot find the pilothouse binary to start "
		    "the local harness: %s", strerror(errno));
		return -1;
	}
	self[n] = '\0';
	argv[argc++] = (char *)"pilothouse";
	if (g->config_path != NULL) {
		argv[argc++] = (char *)"--config";
		argv[argc++] = (char *)g->config_path;
	}
	argv[argc++] = (char *)"serve";
	argv[argc++] = (char *)"--background";
	argv[argc] = NULL;
	log_info("starting the local harness: %s serve --background", self);
	fflush(NULL);
	if ((pid = fork()) == -1) {
		xasprintf(cause, "fork: %s", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		execv(self, argv);
		_exit(127);
	}
	while (waitpid(pid, &status, 0) == -1) {
		if (errno != EINTR) {
			xasprintf(cause, "waitpid: %s", strerror(errno));
			return -1;
		}
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		xasprintf(cause, "cannot start the local harness (\"pilothouse "
		    "serve --background\" exited with status %d); run "
		    "\"pilothouse serve\" to see why",
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 +
		    WTERMSIG(status));
		return -1;
	}
	if (!connect_probe(path)) {
		xasprintf(cause, "the local harness started but does not "
		    "answer on %s", path);
		return -1;
	}
	return 0;
}

/* Load the configuration, resolve the endpoint, make the client. */
int
connect_open(struct connect *c, const struct cmd_globals *g)
{
	struct conf_endpoint	 ep;
	char			*cause = NULL;

	memset(c, 0, sizeof *c);
	if ((c->config = conf_load(g->config_path, &cause)) == NULL) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	if (conf_endpoint(c->config, g->api_url, g->context, g->local, &ep,
	    &cause) != 0) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		connect_close(c);
		return CMD_EXIT_USAGE;
	}
	log_info("endpoint %s (from %s)%s", ep.url, ep.url_from,
	    ep.key != NULL ? " with a key" : "");
	if (ep.harness && connect_harness(g, ep.url + 5, &cause) != 0) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		conf_endpoint_clear(&ep);
		connect_close(c);
		return CMD_EXIT_NETWORK;
	}
	c->loop = loop_create();
	c->client = api_client_create(c->loop, ep.url, ep.key, &cause);
	if (c->client != NULL && ep.ca_file != NULL)
		api_client_set_ca_file(c->client, ep.ca_file);
	conf_endpoint_clear(&ep);
	if (c->client == NULL) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		connect_close(c);
		return CMD_EXIT_USAGE;
	}
	return CMD_EXIT_OK;
}

/* Free what connect_open made. */
void
connect_close(struct connect *c)
{
	api_client_free(c->client);
	if (c->loop != NULL)
		loop_free(c->loop);
	conf_free(c->config);
	memset(c, 0, sizeof *c);
}

/* Print an API error (about what, or NULL); its exit status. */
int
connect_error(const char *what, const struct api_error *err)
{
	char	*s;

	s = api_error_format(err);
	fprintf(stderr, "pilothouse: ");
	if (what != NULL)
		connect_print(stderr, what, ": ");
	fprintf(stderr, "%s\n", s);
	free(s);
	if (err->request_id != NULL)
		log_warn("request-id %s", err->request_id);
	return err->status == API_ERR_NETWORK ? CMD_EXIT_NETWORK :
	    CMD_EXIT_API;
}

/* Print server text made safe for a terminal, then end. */
void
connect_print(FILE *f, const char *text, const char *end)
{
	struct buf	b;

	buf_init(&b, BUF_UNBOUNDED);
	if (sanitize_to_buf(text, strlen(text), &b) != 0)
		fatalx("connect_print");
	fprintf(f, "%s%s", buf_cstr(&b), end);
	buf_clear(&b);
}

/* POST events and print the echoed ids. */
int
connect_send(const struct cmd_globals *g, const char *session,
    json_t *events)
{
	struct connect	 c;
	struct api_error err;
	json_t		*resp, *ev;
	size_t		 i;
	int		 rv;

	if (g->readonly) {
		fprintf(stderr, "pilothouse: --readonly: steering actions are "
		    "refused\n");
		return CMD_EXIT_USAGE;
	}
	if ((rv = connect_open(&c, g)) != CMD_EXIT_OK)
		return rv;
	if (api_wait_json(api_events_send(c.client, session, events, NULL,
	    NULL), &resp, &err) != 0) {
		rv = connect_error(NULL, &err);
		api_error_clear(&err);
		connect_close(&c);
		return rv;
	}
	json_array_foreach(json_object_get(resp, "data"), i, ev) {
		if (json_is_string(json_object_get(ev, "id")))
			connect_print(stdout, json_string_value(
			    json_object_get(ev, "id")), "\n");
	}
	json_decref(resp);
	connect_close(&c);
	return CMD_EXIT_OK;
}

/* Is the event in the cache already?  (Resuming: see stream.h.) */
int
connect_known(struct store *st, const char *session, const char *id)
{
	int64_t	 seq;
	char	*cause = NULL;
	int	 r;

	if ((r = store_event_find(st, session, id, &seq, &cause)) < 0) {
		log_debug("%s: %s", session, cause);
		free(cause);
	}
	return r == 1;
}

/* Record and report bytes that were not an event; the stream goes on. */
void
connect_decode_error(struct store *st, const char *what, const char *session,
    const char *why, const char *p, size_t len)
{
	store_decode_error_put(st, session, why, p, len);
	fprintf(stderr, "pilothouse: %s%s%s: skipped a malformed event: ",
	    what != NULL ? what : "", what != NULL ? ": " : "", session);
	connect_print(stderr, why, "\n");
}
