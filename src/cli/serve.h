/*
 * serve.h -- finding and starting the local harness, tmux style: one
 * server per user, its socket in a private runtime directory, started on
 * demand by running "pilothouse serve --background".
 */
#ifndef PILOTHOUSE_SERVE_H
#define PILOTHOUSE_SERVE_H

#include "base/compiler.h"

/* $XDG_RUNTIME_DIR/pilothouse/harness.sock (or /tmp/pilothouse-UID/...).
 * Caller frees. */
char	*serve_socket_path(void);
/*
 * Make sure the harness runs: if its socket does not accept a connection,
 * run "pilothouse serve --background" (this executable) and wait for it.
 * -1 with *cause.
 */
int	 serve_ensure(char **) AD_WARN_UNUSED;

#endif
