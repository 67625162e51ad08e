/* ISC licence: see COPYING.  demo: start the demo sessions. */

#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <curl/curl.h>
#include <jansson.h>

#include "base/buf.h"
#include "base/io.h"
#include "base/paths.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "cli/connect.h"
#include "cli/serve.h"

#define DEMO_MAX_REPLY	(1u * 1024 * 1024)

/* Collect the reply. */
static size_t
cmd_demo_write(char *p, size_t size, size_t n, void *arg)
{
	struct buf	*b = arg;

	return buf_append(b, p, size * n) == 0 ? size * n : 0;
}

/* The manifest file for NAME or PATH.  Caller frees. */
static char *
cmd_demo_path(const char *arg)
{
	struct stat	 sb;
	char		*dir, *path;

	if (strchr(arg, '/') != NULL || (stat(arg, &sb) == 0 &&
	    S_ISREG(sb.st_mode)))
		return xstrdup(arg);
	dir = paths_shipped_dir();
	xasprintf(&path, "%s/demos/%s.json", dir, arg);
	free(dir);
	return path;
}

/* demo [NAME | FILE] */
int
cmd_demo_exec(struct cmd_globals *g, int argc, char **argv)
{
	const struct cmd_entry	*ce = cmd_find("demo");
	struct buf		 reply;
	json_error_t		 jerr;
	json_t			*manifest, *body, *res, *s;
	struct curl_slist	*hdr = NULL;
	CURL			*curl;
	char			*path, *sock, *cause = NULL, *post;
	long			 status = 0;
	size_t			 i;
	int			 rv = CMD_EXIT_OK;

	if (argc > 2)
		return cmd_usage_error(ce, "too many arguments");
	path = cmd_demo_path(argc == 2 ? argv[1] : "four-agents");
	manifest = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);
	if (manifest == NULL) {
		fprintf(stderr, "pilothouse: demo: %s:%d: %s\n", path,
		    jerr.line, jerr.text);
		free(path);
		return CMD_EXIT_LOCAL;
	}
	free(path);
	sock = serve_socket_path();
	if (connect_harness(g, sock, &cause) != 0) {
		fprintf(stderr, "pilothouse: demo: %s\n", cause);
		free(cause);
		free(sock);
		json_decref(manifest);
		return CMD_EXIT_NETWORK;
	}
	body = json_pack("{so}", "manifest", manifest);
	post = json_dumps(body, JSON_COMPACT);
	json_decref(body);
	buf_init(&reply, DEMO_MAX_REPLY);
	curl = curl_easy_init();
	hdr = curl_slist_append(hdr, "content-type: application/json");
	curl_easy_setopt(curl, CURLOPT_UNIX_SOCKET_PATH, sock);
	curl_easy_setopt(curl, CURLOPT_URL,
	    "http://localhost/pilothouse/v1/demo");
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdr);
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, post);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, cmd_demo_write);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, &reply);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
	if (curl_easy_perform(curl) != CURLE_OK) {
		fprintf(stderr, "pilothouse: demo: the harness at %s did not "
		    "answer\n", sock);
		rv = CMD_EXIT_NETWORK;
		goto out;
	}
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	res = json_loadb(reply.data != NULL ? reply.data : "", reply.len, 0,
	    NULL);
	if (status != 200 || res == NULL) {
		fprintf(stderr, "pilothouse: demo: %s\n", res != NULL ?
		    json_string_value(json_object_get(json_object_get(res,
		    "error"), "message")) : "unreadable answer");
		json_decref(res);
		rv = CMD_EXIT_API;
		goto out;
	}
	printf("demo %s: environment %s, agent %s\n",
	    json_string_value(json_object_get(res, "demo")),
	    json_string_value(json_object_get(res, "environment_id")),
	    json_string_value(json_object_get(res, "agent_id")));
	json_array_foreach(json_object_get(res, "sessions"), i, s)
		printf("  %s  %s\n", json_string_value(json_object_get(s,
		    "session_id")), json_string_value(json_object_get(s,
		    "scenario")));
	/* No console yet: say how to watch them. */
	printf("follow a session with:\n  curl -sN --unix-socket %s "
	    "http://localhost/v1/sessions/SESSION_ID/stream\n", sock);
	json_decref(res);
out:
	curl_slist_free_all(hdr);
	curl_easy_cleanup(curl);
	buf_clear(&reply);
	free(sock);
	free(post);
	return rv;
}
