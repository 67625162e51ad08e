/*
 * cmd.h -- the subcommand table and what every subcommand receives.
 *
 * A subcommand is a cmd_<name>.c file with one exec function plus one
 * line in the table in cmd.c (tmux's cmd-*.c).  cmd_dispatch() finds the
 * entry, answers "CMD --help" from the entry's text, and runs it.  Exit
 * statuses are the CMD_EXIT_* values, documented in pilothouse(1).
 */
#ifndef PILOTHOUSE_CMD_H
#define PILOTHOUSE_CMD_H

#include <stdio.h>

enum cmd_exit {
	CMD_EXIT_OK = 0,		/* success */
	CMD_EXIT_FAIL = 1,		/* ran, but the answer is "no" */
	CMD_EXIT_USAGE = 2,		/* bad command line */
	CMD_EXIT_API = 3,		/* the API answered with an error */
	CMD_EXIT_NETWORK = 4,		/* the API could not be reached */
	CMD_EXIT_LOCAL = 5,		/* cache, files, sandbox failed */
	CMD_EXIT_INTERRUPTED = 130	/* stopped by SIGINT/SIGTERM */
};

/* Options given before the subcommand (pilothouse(1), GLOBAL OPTIONS). */
struct cmd_globals {
	const char	*api_url;	/* --api-url, else config, else env */
	const char	*context;	/* --context NAME from the config */
	const char	*config_path;	/* --config FILE */
	const char	*ui;		/* --ui ncurses|tickit */
	const char	*log_path;	/* --log FILE */
	int		 local;		/* --local: use the local harness */
	int		 demo;		/* --demo: start the demo sessions */
	int		 readonly;	/* --readonly: no steering */
	int		 verbose;	/* -v, repeatable */
};

struct cmd_entry {
	const char	*name;
	const char	*args;		/* synopsis after the name */
	const char	*summary;	/* one line */
	const char	*help;		/* options, one per line, or NULL */
	int		(*exec)(struct cmd_globals *, int, char **);
};

struct cancel;

/* The subcommands (one cmd_<name>.c each). */
int	 cmd_export_exec(struct cmd_globals *, int, char **);
int	 cmd_import_exec(struct cmd_globals *, int, char **);

int	 cmd_demo_exec(struct cmd_globals *, int, char **);
int	 cmd_export_exec(struct cmd_globals *, int, char **);
int	 cmd_import_exec(struct cmd_globals *, int, char **);
int	 cmd_sandbox_exec(struct cmd_globals *, int, char **);
int	 cmd_serve_exec(struct cmd_globals *, int, char **);
int	 cmd_tool_exec(struct cmd_globals *, int, char **);
int	 cmd_sessions_exec(struct cmd_globals *, int, char **);
int	 cmd_tail_exec(struct cmd_globals *, int, char **);
int	 cmd_send_exec(struct cmd_globals *, int, char **);
int	 cmd_interrupt_exec(struct cmd_globals *, int, char **);
int	 cmd_approve_exec(struct cmd_globals *, int, char **);
int	 cmd_deny_exec(struct cmd_globals *, int, char **);
int	 cmd_wait_exec(struct cmd_globals *, int, char **);
int	 cmd_export_exec(struct cmd_globals *, int, char **);
int	 cmd_import_exec(struct cmd_globals *, int, char **);
int	 cmd_console_exec(struct cmd_globals *, int, char **);
int	 cmd_snapshot_exec(struct cmd_globals *, int, char **);
int	 cmd_replay_exec(struct cmd_globals *, int, char **);
int	 cmd_files_exec(struct cmd_globals *, int, char **);
int	 cmd_query_exec(struct cmd_globals *, int, char **);

/* Fire the cancel on SIGINT/SIGTERM; NULL restores the defaults. */
void	 cmd_cancel_on_signals(struct cancel *);

/* Run argv[0] as a subcommand; returns an exit status. */
int	 cmd_dispatch(struct cmd_globals *, int, char **);
const struct cmd_entry *cmd_find(const char *);
void	 cmd_print_usage(FILE *);
void	 cmd_print_help(FILE *, const struct cmd_entry *);
/* Print "usage: pilothouse NAME ARGS" to stderr; returns CMD_EXIT_USAGE. */
int	 cmd_usage_error(const struct cmd_entry *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
