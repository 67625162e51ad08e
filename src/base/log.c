/* ISC licence: see COPYING.  The diagnostic log, with secret redaction. */

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/log.h"
#include "base/xmalloc.h"

#define LOG_MAX_SECRETS	4

static pthread_mutex_t	 log_lock = PTHREAD_MUTEX_INITIALIZER;
static FILE		*log_file;		/* NULL: logging is off */
static enum log_level	 log_level = LOG_LEVEL_WARN;
static char		*log_secrets[LOG_MAX_SECRETS];	/* owned copies */

static void	log_vwrite(enum log_level, const char *, va_list)
		    AD_PRINTFLIKE(2, 0);

/* Open the log file; on failure *cause says why. */
int
log_open(const char *path, enum log_level level, char **cause)
{
	FILE	*f;
	int	 fd;

	if (strcmp(path, "-") == 0)
		f = stderr;
	else {
		fd = open(path, O_WRONLY|O_APPEND|O_CREAT|O_CLOEXEC, 0600);
		if (fd == -1 || (f = fdopen(fd, "a")) == NULL) {
			xasprintf(cause, "cannot open log %s: %s", path,
			    strerror(errno));
			if (fd != -1)
				close(fd);
			return -1;
		}
		setvbuf(f, NULL, _IOLBF, 0);
	}
	pthread_mutex_lock(&log_lock);
	if (log_file != NULL && log_file != stderr)
		fclose(log_file);
	log_file = f;
	log_level = level;
	pthread_mutex_unlock(&log_lock);
	return 0;
}

/* Close the log and forget the secrets. */
void
log_close(void)
{
	pthread_mutex_lock(&log_lock);
	if (log_file != NULL && log_file != stderr)
		fclose(log_file);
	log_file = NULL;
	for (size_t i = 0; i < LOG_MAX_SECRETS; i++) {
		if (log_secrets[i] != NULL) {
			explicit_bzero(log_secrets[i], strlen(log_secrets[i]));
			free(log_secrets[i]);
			log_secrets[i] = NULL;
		}
	}
	pthread_mutex_unlock(&log_lock);
}

/* Return non-zero when a message of this level would be written. */
int
log_enabled(enum log_level level)
{
	return log_file != NULL && level <= log_level;
}

/* Remember a string that must never appear in the log. */
void
log_add_secret(const char *secret)
{
	if (secret == NULL || *secret == '\0')
		return;
	pthread_mutex_lock(&log_lock);
	for (size_t i = 0; i < LOG_MAX_SECRETS; i++) {
		if (log_secrets[i] != NULL &&
		    strcmp(log_secrets[i], secret) == 0)
			break;		/* already known: keep the slots */
		if (log_secrets[i] == NULL) {
			log_secrets[i] = xstrdup(secret);
			break;
		}
	}
	pthread_mutex_unlock(&log_lock);
}

/* Replace every registered secret in msg; the line only ever shrinks. */
static void
log_redact(char *msg)
{
	static const char	 mark[] = "[redacted]";
	char			*p, *from;
	size_t			 slen;

	for (size_t i = 0; i < LOG_MAX_SECRETS; i++) {
		if (log_secrets[i] == NULL)
			continue;
		slen = strlen(log_secrets[i]);
		from = msg;
		while ((p = strstr(from, log_secrets[i])) != NULL) {
			if (slen >= sizeof mark - 1) {
				memcpy(p, mark, sizeof mark - 1);
				memmove(p + sizeof mark - 1, p + slen,
				    strlen(p + slen) + 1);
				from = p + sizeof mark - 1;
			} else {
				memset(p, '*', slen);
				from = p + slen;
			}
		}
	}
}

/* Format and write one line. */
static void
log_vwrite(enum log_level level, const char *fmt, va_list ap)
{
	static const char	*names[] = { "error", "warn", "info", "debug" };
	struct timespec		 ts;
	struct tm		 tm;
	char			*msg;

	if (!log_enabled(level))
		return;
	xvasprintf(&msg, fmt, ap);
	clock_gettime(CLOCK_REALTIME, &ts);
	gmtime_r(&ts.tv_sec, &tm);
	pthread_mutex_lock(&log_lock);
	log_redact(msg);
	if (log_file != NULL)
		fprintf(log_file,
		    "%04d-%02d-%02dT%02d:%02d:%02d.%03ldZ %d %s: %s\n",
		    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
		    tm.tm_min, tm.tm_sec, ts.tv_nsec / 1000000L, (int)getpid(),
		    names[level], msg);
	pthread_mutex_unlock(&log_lock);
	free(msg);
}

#define LOG_FN(name, level)				\
void							\
name(const char *fmt, ...)				\
{							\
	va_list	 ap;					\
							\
	va_start(ap, fmt);				\
	log_vwrite(level, fmt, ap);			\
	va_end(ap);					\
}

/* Log at each level. */
LOG_FN(log_error, LOG_LEVEL_ERROR)
LOG_FN(log_warn, LOG_LEVEL_WARN)
LOG_FN(log_info, LOG_LEVEL_INFO)
LOG_FN(log_debug, LOG_LEVEL_DEBUG)
