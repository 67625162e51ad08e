/*
 * brain_key.h -- API keys for the model brains, held only in the harness.
 *
 * The Anthropic key comes from ANTHROPIC_API_KEY or a key file.  The
 * environment variable is taken once, when the harness starts and before
 * any thread exists: the string is copied, the bytes getenv() returned
 * are overwritten (unsetenv alone leaves them in /proc/PID/environ),
 * the variable is removed, the process is made non-dumpable so no
 * same-uid process can ptrace it or read its memory, and the key is
 * registered with the log's redaction (sandbox.md section 9).  Key files
 * are read when a request needs them and must not be readable by group
 * or others.  Keys never reach an event, the store or a child process.
 */
#ifndef PILOTHOUSE_BRAIN_KEY_H
#define PILOTHOUSE_BRAIN_KEY_H

#include "base/compiler.h"

#define BRAIN_KEY_ENV		"ANTHROPIC_API_KEY"
#define BRAIN_KEY_MAX		4096	/* bytes in a key file */

/*
 * Take ANTHROPIC_API_KEY out of the environment and harden the process.
 * Call once from the harness's main thread before threads start; returns
 * non-zero when a key was found.
 */
int	 brain_key_take_env(void);
/*
 * The Anthropic key: the one taken from the environment, else the key
 * file (may be NULL).  NULL with *cause saying where a key may be put.
 * Caller frees with brain_key_free.
 */
char	*brain_key_anthropic(const char *, char **);
/* Read a key file (first line, blanks trimmed); NULL with *cause. */
char	*brain_key_read(const char *, char **);
/* Mask every copy of key in text (a server may echo what it got). */
void	 brain_key_redact(char *, const char *);
/* Overwrite and free a key. */
void	 brain_key_free(char *);

#endif
