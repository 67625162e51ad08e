/* ISC licence: see COPYING.  Tests for base/ini: the config file syntax. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/ini.h"
#include "tap.h"

int
main(void)
{
	const char	 text[] =
	    "# comment\n"
	    "top = 1\n"
	    "[api]\n"
	    "url = unix:/run/x.sock   \n"
	    "; another comment\n"
	    "[brain.qwen]\n"
	    "base_url = \"http://127.0.0.1:8080/v1\"\n"
	    "model=qwen\n"
	    "[brain.llama]\n"
	    "model = llama\n"
	    "[api]\n"
	    "url = https://api.anthropic.com";
	struct ini	*ini;
	const char	**subs, *k, *v;
	char		*cause = NULL;

	ini = ini_parse(text, strlen(text), "test", &cause);
	ok(ini != NULL, "a valid file parses");
	is_str(ini_get(ini, "", "top"), "1", "keys before any section");
	is_str(ini_get(ini, "api", "url"), "https://api.anthropic.com",
	    "the last value wins, even without a final newline");
	is_str(ini_get(ini, "brain.qwen", "base_url"), "http://127.0.0.1:8080/v1",
	    "quotes are removed");
	is_str(ini_get(ini, "brain.qwen", "model"), "qwen", "no blanks needed");
	ok(ini_get(ini, "brain.qwen", "nope") == NULL, "absent key is NULL");
	subs = ini_subsections(ini, "brain");
	ok(subs[0] != NULL && strcmp(subs[0], "qwen") == 0 && subs[1] != NULL &&
	    strcmp(subs[1], "llama") == 0 && subs[2] == NULL,
	    "subsections in file order");
	free(subs);
	k = ini_key_at(ini, "brain.qwen", 1, &v);
	ok(k != NULL && strcmp(k, "model") == 0 && strcmp(v, "qwen") == 0,
	    "keys by index");
	ok(ini_key_at(ini, "brain.qwen", 2, &v) == NULL, "past the last key");
	ini_free(ini);

	ini = ini_parse("[api\nx=1\n", 9, "bad", &cause);
	ok(ini == NULL && cause != NULL && strcmp(cause,
	    "bad:1: bad section header") == 0, "a broken header names its line");
	free(cause);
	cause = NULL;
	ini = ini_parse("[a]\n\njunk\n", 10, "bad", &cause);
	ok(ini == NULL && cause != NULL && strstr(cause, "bad:3:") != NULL,
	    "a line without '=' names its line");
	free(cause);
	cause = NULL;
	ini = ini_load("/nonexistent/pilothouse/config", &cause);
	ok(ini != NULL && ini_get(ini, "api", "url") == NULL,
	    "a missing file is an empty configuration");
	ini_free(ini);
	return done_testing();
}
