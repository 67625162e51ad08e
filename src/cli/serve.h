/*
 * serve.h -- finding and starting the local harness, tmux style: one
 * server per user, its socket in a private runtime directory, started on
 * demand by running "pilothouse serve --background" (connect_harness in
 * connect.h).
 */
#ifndef PILOTHOUSE_SERVE_H
#define PILOTHOUSE_SERVE_H

/* $XDG_RUNTIME_DIR/pilothouse/harness.sock (or /tmp/pilothouse-UID/...).
 * Caller frees. */
char	*serve_socket_path(void);

#endif
