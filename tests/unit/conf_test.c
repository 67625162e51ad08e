/* ISC licence: see COPYING.  Tests for cli/conf: the file and the
 * endpoint precedence documented in conf.h and pilothouse(1). */

#include "config.h"

#include <sys/stat.h>

#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/conf.h"
#include "tap.h"

static char	dir[PATH_MAX];

/* Write a file under the test directory with mode. */
static void
put(const char *name, const char *text, mode_t mode)
{
	char	path[PATH_MAX + 64];
	FILE	*fp;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	if ((fp = fopen(path, "w")) == NULL)
		abort();
	fputs(text, fp);
	fclose(fp);
	chmod(path, mode);
}

/* Load the file called name in the test directory. */
static struct conf *
load(const char *name, char **cause)
{
	char	path[PATH_MAX + 64];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return conf_load(path, cause);
}

/* Resolve and compare url and key (NULL: none); harness flag too. */
static void
resolves(const struct conf *cf, const char *api_url, const char *context,
    int local, const char *url, const char *key, int harness,
    const char *what)
{
	struct conf_endpoint	 ep;
	char			*cause = NULL;

	if (conf_endpoint(cf, api_url, context, local, &ep, &cause) != 0) {
		ok(0, "%s: %s", what, cause);
		free(cause);
		return;
	}
	is_str(ep.url, url, "%s: url", what);
	is_str(ep.key, key, "%s: key", what);
	is_int(ep.harness, harness, "%s: harness", what);
	conf_endpoint_clear(&ep);
}

/* Expect conf_endpoint to fail with want in the message. */
static void
refuses(const struct conf *cf, const char *context, const char *want,
    const char *what)
{
	struct conf_endpoint	 ep;
	char			*cause = NULL;

	ok(conf_endpoint(cf, NULL, context, 0, &ep, &cause) == -1 &&
	    cause != NULL && strstr(cause, want) != NULL, "%s (%s)", what,
	    cause != NULL ? cause : "accepted");
	free(cause);
}

/* Expect conf_load to refuse text with want (NULL: any cause) in the
 * message. */
static void
load_refuses(const char *name, const char *text, const char *want,
    const char *what)
{
	struct conf	*cf;
	char		*cause = NULL;

	put(name, text, 0600);
	cf = load(name, &cause);
	ok(cf == NULL && cause != NULL && (want == NULL ||
	    strstr(cause, want) != NULL), "%s (%s)", what,
	    cause != NULL ? cause : "accepted");
	conf_free(cf);
	free(cause);
}

int
main(void)
{
	struct conf	*cf;
	char		*cause = NULL, *p, sock[PATH_MAX + 64];
	const char	*tmp = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/ph-config.XXXXXX",
	    tmp != NULL ? tmp : "/tmp");
	if (mkdtemp(dir) == NULL)
		abort();
	setenv("XDG_CONFIG_HOME", dir, 1);
	setenv("XDG_RUNTIME_DIR", dir, 1);
	setenv("HOME", dir, 1);
	unsetenv("ANTHROPIC_API_KEY");
	unsetenv("ANTHROPIC_BASE_URL");
	snprintf(sock, sizeof sock, "unix:%s/pilothouse/harness.sock", dir);

	p = conf_default_path();
	ok(strncmp(p, dir, strlen(dir)) == 0 &&
	    strcmp(p + strlen(dir), "/pilothouse/config") == 0,
	    "the default file is under XDG_CONFIG_HOME");
	free(p);

	/* No file, no key: the local harness. */
	cf = conf_load(NULL, &cause);
	ok(cf != NULL, "a missing default file is an empty configuration");
	resolves(cf, NULL, NULL, 0, sock, NULL, 1, "nothing configured");
	setenv("ANTHROPIC_API_KEY", "sk-env", 1);
	resolves(cf, NULL, NULL, 0, "https://api.anthropic.com", "sk-env", 0,
	    "a key in the environment");
	resolves(cf, NULL, NULL, 1, sock, NULL, 1,
	    "--local: the harness, and no key sent to it");
	setenv("ANTHROPIC_BASE_URL", "http://127.0.0.1:9999", 1);
	resolves(cf, NULL, NULL, 0, "http://127.0.0.1:9999", "sk-env", 0,
	    "ANTHROPIC_BASE_URL");
	resolves(cf, "https://other.example", NULL, 0,
	    "https://other.example", "sk-env", 0, "--api-url beats the "
	    "environment");
	unsetenv("ANTHROPIC_API_KEY");
	resolves(cf, NULL, NULL, 0, "http://127.0.0.1:9999", NULL, 0,
	    "an explicit URL without a key is used as it is");
	unsetenv("ANTHROPIC_BASE_URL");
	conf_free(cf);

	ok(load("missing", &cause) == NULL && strstr(cause, "cannot read") !=
	    NULL, "a missing --config file is an error");
	free(cause);

	/* A file with [api] and two contexts. */
	put("key.api", "sk-file-api\n", 0600);
	put("key.prod", "  sk-file-prod  \n\n", 0600);
	put("key.open", "sk-open\n", 0644);
	put("key.two", "sk-a sk-b\n", 0600);
	put("config",
	    "[api]\n"
	    "url = https://api.example\n"
	    "key_file = key.api\n"
	    "[context.prod]\n"
	    "key_file = ~/key.prod\n"
	    "[context.local]\n"
	    "url = unix:/run/x.sock\n"
	    "[context.open]\n"
	    "key_file = key.open\n"
	    "[context.two]\n"
	    "key_file = key.two\n", 0600);
	cf = load("config", &cause);
	ok(cf != NULL, "the file loads");
	resolves(cf, NULL, NULL, 0, "https://api.example", "sk-file-api", 0,
	    "[api] url and key_file (relative to the file)");
	setenv("ANTHROPIC_API_KEY", "sk-env", 1);
	setenv("ANTHROPIC_BASE_URL", "https://env.example", 1);
	resolves(cf, NULL, NULL, 0, "https://env.example", "sk-env", 0,
	    "the environment beats [api]");
	resolves(cf, NULL, "prod", 0, "https://env.example", "sk-file-prod",
	    0, "a context's key_file beats the environment (~/, trimmed)");
	resolves(cf, NULL, "local", 0, "unix:/run/x.sock", "sk-env", 0,
	    "a context's url beats the environment");
	resolves(cf, "http://127.0.0.1:1", "local", 0, "http://127.0.0.1:1",
	    "sk-env", 0, "--api-url beats the context");
	refuses(cf, "nope", "no context \"nope\"", "an unknown context");
	refuses(cf, "open", "readable by others", "a key file others can read");
	refuses(cf, "two", "alone, on one line", "a key file with two words");
	unsetenv("ANTHROPIC_API_KEY");
	unsetenv("ANTHROPIC_BASE_URL");
	conf_free(cf);

	/* Sections other parts of pilothouse read from the same file. */
	put("others", "[ui]\ntheme = dark\n[keys]\nquit = q\n"
	    "[brain.qwen]\nbase_url = http://127.0.0.1:8080/v1\n"
	    "model = qwen\ncontext_window = 32768\n"
	    "[anthropic]\nkey_file = anthropic.key\nthinking = 2048\n", 0600);
	cf = load("others", &cause);
	ok(cf != NULL, "[ui], [keys], [brain.NAME] and [anthropic] load (%s)",
	    cf == NULL ? cause : "ok");
	if (cf == NULL)
		free(cause);
	conf_free(cf);

	/* Refusals at load. */
	load_refuses("bad1", "[api]\nuri = https://x\n",
	    "unknown key \"uri\" in [api]", "an unknown key");
	load_refuses("bad2", "[apj]\nurl = https://x\n",
	    "unknown section [apj]", "an unknown section");
	load_refuses("bad3", "[api]\nurl = http://example.com\n",
	    "refusing plain http", "a bad URL, checked at load");
	load_refuses("bad4", "[context.]\nurl = https://x\n",
	    "unknown section [context.]", "a context without a name");
	load_refuses("bad5", "top = 1\n", NULL, "a key outside any section");
	load_refuses("bad6", "[brain.qwen]\nthinking = 2048\n",
	    "unknown key \"thinking\" in [brain.qwen]",
	    "a key of [anthropic] in [brain.NAME]");
	load_refuses("bad7", "[anthropic]\nkey_file =\n",
	    "[anthropic] key_file is empty",
	    "an empty key_file in a brain section");
	load_refuses("bad8", "[brain.]\nmodel = x\n",
	    "unknown section [brain.]", "a brain without a name");

	snprintf(sock, sizeof sock, "rm -rf '%s'", dir);
	if (system(sock) != 0)
		diag("could not remove %s", dir);
	return done_testing();
}
