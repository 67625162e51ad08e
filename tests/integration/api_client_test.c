/*
 * ISC licence: see COPYING.  The API client against the fault server:
 * headers on the wire, error envelopes, retries (retry-after-ms and
 * x-should-retry), the request budget, unreachable servers, unix
 * sockets, and the key kept out of the log.
 */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "base/log.h"
#include "base/loop.h"
#include "base/xmalloc.h"
#include "fault.h"
#include "tap.h"
#include "wire/api_client.h"

#define KEY	"sk-ant-api03-TESTKEY-do-not-log"
#define SESSION	"sesn_011CFAULT0000000000000000"

/* Read a whole small file.  Caller frees. */
static char *
slurp(const char *path)
{
	FILE	*fp;
	char	*s;
	long	 n;

	if ((fp = fopen(path, "r")) == NULL)
		return xstrdup("");
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	fseek(fp, 0, SEEK_SET);
	s = xcalloc(1, (size_t)n + 1);
	if (fread(s, 1, (size_t)n, fp) != (size_t)n)
		s[0] = '\0';
	fclose(fp);
	return s;
}

/* The request start times (ms) the server logged, in order. */
static size_t
request_times(const struct fault *f, long long *t, size_t max)
{
	FILE	*fp;
	char	*line = NULL;
	size_t	 size = 0, n = 0;

	if ((fp = fopen(f->req, "r")) == NULL)
		return 0;
	while (n < max && getline(&line, &size, fp) > 0)
		t[n++] = atoll(line);
	free(line);
	fclose(fp);
	return n;
}

int
main(void)
{
	struct loop		*loop;
	struct api_client	*c;
	struct api_error	 err;
	struct api_stats	 st;
	struct api_request	*reqs[20];
	struct fault		 f;
	char			*cause = NULL, *body, *text, *logpath;
	json_t			*j, *events;
	int64_t			 t0;
	long long		 times[64];
	size_t			 n, worst;

	loop = loop_create();

	/* Headers, a list, a retrieval, a send, an error envelope. */
	{
		const char *args[] = { "--events", "3", "--history", "3",
		    "--no-terminate", NULL };

		if (fault_start(&f, args) != 0)
			return done_testing();
		c = api_client_create(loop, f.url, KEY, &cause);
		ok(c != NULL, "client for %s", f.url);
		ok(api_wait_json(api_sessions_list(c, NULL, NULL, NULL), &j,
		    &err) == 0, "sessions list");
		is_int(json_array_size(json_object_get(j, "data")), 1,
		    "one session listed");
		json_decref(j);
		is_int(fault_requests(&f, "GET /v1/sessions "
		    "anthropic-version=2023-06-01 "
		    "anthropic-beta=managed-agents-2026-04-01 "
		    "x-api-key=" KEY " user-agent=pilothouse/" PACKAGE_VERSION
		    " accept=application/json"), 1,
		    "the SDK's headers, exactly, and no content-type on a GET");
		events = json_pack("[{s:s, s:[{s:s, s:s}]}]", "type",
		    "user.message", "content", "type", "text", "text", "hi");
		ok(api_wait_json(api_events_send(c, SESSION, events, NULL,
		    NULL), &j, &err) == 0, "events send");
		ok(json_is_null(json_object_get(json_array_get(
		    json_object_get(j, "data"), 0), "processed_at")),
		    "the echo is queued (processed_at null)");
		json_decref(j);
		json_decref(events);
		is_int(fault_requests(&f, "POST /v1/sessions/" SESSION
		    "/events anthropic-version=2023-06-01 "
		    "anthropic-beta=managed-agents-2026-04-01 x-api-key=" KEY
		    " user-agent=pilothouse/" PACKAGE_VERSION " content-type="
		    "application/json accept=application/json body={\"events\":"
		    "[{\"type\":\"user.message\",\"content\":[{\"type\":\"text\","
		    "\"text\":\"hi\"}]}]}"), 1,
		    "a send carries content-type and the JSON body");
		ok(api_wait(api_session_get(c, "sesn_nope/../x", NULL, NULL),
		    &body, NULL, &err) == -1, "an unknown session fails");
		is_int(err.status, API_ERR_HTTP, "as an HTTP error");
		is_int(err.http, 404, "404");
		is_str(err.type, "not_found_error", "the envelope's type");
		ok(err.request_id != NULL &&
		    strncmp(err.request_id, "req_", 4) == 0, "a request id");
		text = api_error_format(&err);
		is_str(text, "404 not_found_error: session not found",
		    "the message the command line prints");
		free(text);
		api_error_clear(&err);
		is_int(fault_requests(&f, "/v1/sessions/sesn_nope%2F..%2Fx "),
		    1, "ids are escaped into the path");
		ok(api_wait_json(api_events_list(c, SESSION, &(struct api_list){
		    .limit = 2, .order = "asc",
		    .types = (const char *const[]){ "session.status_running",
		    "agent.message", NULL },
		    .created_gte = "2000-01-01T00:00:00Z" }, NULL, NULL), &j,
		    &err) == 0, "events list with filters");
		json_decref(j);
		is_int(fault_requests(&f, "/events?limit=2&order=asc&"
		    "types%5B%5D=session.status_running&types%5B%5D="
		    "agent.message&created_at%5Bgte%5D=2000-01-01T00%3A00%3A00Z"
		    " "), 1, "list parameters as the SDK encodes them");
		api_client_free(c);
		fault_stop(&f);
	}

	/* 429 twice with retry-after-ms 150: retried, and not too soon. */
	{
		const char *args[] = { "--fail", "2:429:150", NULL };

		if (fault_start(&f, args) == 0) {
			c = api_client_create(loop, f.url, KEY, &cause);
			t0 = clock_mono_us();
			ok(api_wait(api_session_get(c, SESSION, NULL, NULL),
			    &body, NULL, &err) == 0, "429s are retried");
			free(body);
			ok(clock_mono_us() - t0 >= 300000, "after the waits "
			    "the server asked for (%lld ms)",
			    (long long)(clock_mono_us() - t0) / 1000);
			n = request_times(&f, times, 64);
			is_int(n, 3, "three attempts");
			ok(n == 3 && times[1] - times[0] >= 145 &&
			    times[2] - times[1] >= 145,
			    "each at least retry-after-ms apart");
			api_client_stats(c, &st);
			is_int(st.retries, 2, "two retries counted");
			api_client_free(c);
		}
		fault_stop(&f);
	}

	/* x-should-retry: false wins over a retryable status. */
	{
		const char *args[] = { "--fail", "1:503", "--should-retry",
		    "false", NULL };

		if (fault_start(&f, args) == 0) {
			c = api_client_create(loop, f.url, NULL, &cause);
			ok(api_wait(api_session_get(c, SESSION, NULL, NULL),
			    &body, NULL, &err) == -1, "x-should-retry: false");
			is_int(err.http, 503, "the 503 is reported");
			is_int(fault_requests(&f, NULL), 1,
			    "after one attempt");
			is_int(fault_requests(&f, "x-api-key"), 0,
			    "no key configured, no x-api-key header");
			api_error_clear(&err);
			api_client_free(c);
		}
		fault_stop(&f);
	}

	/* The budget: 20 reads at 5 per 250 ms. */
	{
		const char *args[] = { NULL };

		if (fault_start(&f, args) == 0) {
			c = api_client_create(loop, f.url, KEY, &cause);
			api_client_set_budget(c, 5, 1, 250);
			t0 = clock_mono_us();
			for (int i = 0; i < 20; i++)
				reqs[i] = api_session_get(c, SESSION, NULL,
				    NULL);
			api_client_stats(c, &st);
			is_int(st.queued, 20, "all 20 queued, none refused");
			for (int i = 0; i < 20; i++) {
				if (api_wait(reqs[i], NULL, NULL, &err) != 0)
					api_error_clear(&err);
			}
			ok(clock_mono_us() - t0 >= 750000, "20 reads at 5 per "
			    "250 ms take at least 750 ms (%lld)",
			    (long long)(clock_mono_us() - t0) / 1000);
			n = request_times(&f, times, 64);
			is_int(n, 20, "all 20 reached the server");
			worst = 0;
			/* Allow 10 ms of loopback jitter at the edges. */
			for (size_t i = 0; i < n; i++) {
				size_t	k = 0;

				for (size_t j2 = i; j2 < n &&
				    times[j2] - times[i] < 240; j2++)
					k++;
				if (k > worst)
					worst = k;
			}
			ok(worst <= 5, "never more than 5 in a window (%zu)",
			    worst);
			api_client_free(c);
		}
		fault_stop(&f);
	}

	/* A unix socket URL, and the key never in the log. */
	{
		const char *args[] = { "unix", "--fail", "1:500", NULL };

		if (fault_start(&f, args) == 0) {
			xasprintf(&logpath, "%s/client.log", f.dir);
			if (log_open(logpath, LOG_LEVEL_DEBUG, &cause) != 0)
				fatalx("log_open: %s", cause);
			c = api_client_create(loop, f.url, KEY, &cause);
			ok(api_wait(api_session_get(c, SESSION, NULL, NULL),
			    &body, NULL, &err) == 0, "over %s", f.url);
			free(body);
			log_close();
			text = slurp(logpath);
			ok(strstr(text, "retry") != NULL,
			    "the log has the retry");
			ok(strstr(text, KEY) == NULL, "but not the key");
			free(text);
			unlink(logpath);
			free(logpath);
			api_client_free(c);
		}
		fault_stop(&f);
	}

	/* Nobody listening: a network error with a hint. */
	{
		const char *args[] = { NULL };

		if (fault_start(&f, args) == 0) {
			char	url[PATH_MAX + 32];

			snprintf(url, sizeof url, "%s", f.url);
			fault_stop(&f);
			c = api_client_create(loop, url, KEY, &cause);
			ok(api_wait(api_session_get(c, SESSION, NULL, NULL),
			    NULL, NULL, &err) == -1, "unreachable");
			is_int(err.status, API_ERR_NETWORK, "a network error");
			text = api_error_format(&err);
			ok(strstr(text, "is the server running?") != NULL,
			    "with a hint: %s", text);
			ok(strstr(text, KEY) == NULL, "without the key");
			free(text);
			api_error_clear(&err);
			api_client_stats(c, &st);
			is_int(st.retries, 2, "after the SDK's two retries");
			api_client_free(c);
		}
	}

	loop_free(loop);
	return done_testing();
}
