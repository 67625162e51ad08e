/*
 * log.h -- the diagnostic log.
 *
 * Off until log_open() names a file (or "-" for stderr).  Lines carry a
 * UTC timestamp, the level and the message.  Any string registered with
 * log_add_secret() is replaced by "[redacted]" before a line is written,
 * so an API key can never reach the log even by accident.  Thread safe.
 */
#ifndef PILOTHOUSE_LOG_H
#define PILOTHOUSE_LOG_H

#include "base/compiler.h"

enum log_level {
	LOG_LEVEL_ERROR = 0,
	LOG_LEVEL_WARN,
	LOG_LEVEL_INFO,
	LOG_LEVEL_DEBUG
};

/* Open path ("-" is stderr) in append mode, created 0600. */
int	 log_open(const char *, enum log_level, char **) AD_WARN_UNUSED;
void	 log_close(void);
int	 log_enabled(enum log_level);
/* The secret is copied; at most a few may be registered. */
void	 log_add_secret(const char *);

void	 log_error(const char *, ...) AD_PRINTFLIKE(1, 2);
void	 log_warn(const char *, ...) AD_PRINTFLIKE(1, 2);
void	 log_info(const char *, ...) AD_PRINTFLIKE(1, 2);
void	 log_debug(const char *, ...) AD_PRINTFLIKE(1, 2);

#endif
