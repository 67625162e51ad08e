/* ISC licence: see COPYING.  Model API keys, held only in the harness. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xmalloc.h"
#include "harness/brain_key.h"

/* Set once before threads start, then only read. */
static char	*brain_key_env;

/* Take the variable out of the environment; see the header for why. */
int
brain_key_take_env(void)
{
	char	*v;

	(void)prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
	if ((v = getenv(BRAIN_KEY_ENV)) == NULL)
		return brain_key_env != NULL;
	if (*v != '\0' && brain_key_env == NULL) {
		brain_key_env = xstrdup(v);
		log_add_secret(brain_key_env);
	}
	explicit_bzero(v, strlen(v));
	unsetenv(BRAIN_KEY_ENV);
	return brain_key_env != NULL;
}

/* The environment's key, else the key file's. */
char *
brain_key_anthropic(const char *key_file, char **cause)
{
	if (brain_key_env != NULL)
		return xstrdup(brain_key_env);
	if (key_file != NULL)
		return brain_key_read(key_file, cause);
	xasprintf(cause, "no Anthropic API key: set %s before the harness "
	    "starts, or key_file in the [anthropic] section of the config "
	    "(or use a local: or scripted: model)", BRAIN_KEY_ENV);
	return NULL;
}

/* Read the first line of a private key file. */
char *
brain_key_read(const char *path, char **cause)
{
	struct stat	 st;
	char		 text[BRAIN_KEY_MAX + 1], *s, *e, *key;
	ssize_t		 n;
	size_t		 len = 0;
	int		 fd;

	if ((fd = open(path, O_RDONLY|O_CLOEXEC|O_NOCTTY)) == -1) {
		xasprintf(cause, "key file %s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		xasprintf(cause, "key file %s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if ((st.st_mode & 077) != 0) {
		xasprintf(cause, "key file %s: readable by others (mode %03o);"
		    " chmod 600 it", path, (unsigned)(st.st_mode & 0777));
		close(fd);
		return NULL;
	}
	while (len < sizeof text - 1) {
		n = read(fd, text + len, sizeof text - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	text[len] = '\0';
	s = text;
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
		s++;
	e = s + strcspn(s, "\r\n");
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		e--;
	if (e == s) {
		xasprintf(cause, "key file %s: empty", path);
		explicit_bzero(text, sizeof text);
		return NULL;
	}
	key = xstrndup(s, (size_t)(e - s));
	explicit_bzero(text, sizeof text);
	log_add_secret(key);
	return key;
}

/* Replace each occurrence of key in text with asterisks. */
void
brain_key_redact(char *text, const char *key)
{
	char	*p;
	size_t	 klen;

	if (key == NULL || (klen = strlen(key)) == 0)
		return;
	while ((p = strstr(text, key)) != NULL)
		memset(p, '*', klen);
}

/* Wipe a key before its memory is reused. */
void
brain_key_free(char *key)
{
	if (key == NULL)
		return;
	explicit_bzero(key, strlen(key));
	free(key);
}
