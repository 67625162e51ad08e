/* ISC licence: see COPYING.  The subcommand table and dispatch. */

#include "config.h"

#include <signal.h>
#include <stdarg.h>
#include <string.h>

#include "base/cancel.h"
#include "base/compiler.h"
#include "cli/cmd.h"

static int	cmd_help_exec(struct cmd_globals *, int, char **);
static int	cmd_version_exec(struct cmd_globals *, int, char **);

/* Every subcommand, in the order help lists them. */
static const struct cmd_entry	cmd_table[] = {
	{ "console", "[SESSION]", "open the operator console (the default)",
	  NULL, cmd_console_exec },
	{ "snapshot", "[--size WxH] [--session ID] [--events N] [--keys KEYS] "
	  "[--styles]",
	  "print the console's screen, from the cache, as text",
	  "  --size WxH       the screen size (default 100x30)\n"
	  "  --session ID     open that session's timeline\n"
	  "  --events N       load only the first N events of each session\n"
	  "                   (the screen as it was after them)\n"
	  "  --keys KEYS      type these keys first (names as in KEYS.md,\n"
	  "                   separated by spaces)\n"
	  "  --styles         follow each row with its style letters\n",
	  cmd_snapshot_exec },
	{ "replay", "[--event EVENT_ID] [--speed X] [--idle-cap SECONDS] "
	  "SESSION",
	  "replay a session from the cache (fetched first if need be)",
	  "  --event EVENT_ID   open at that event, expanded (a deep link)\n"
	  "  --speed X          start playing at X times session time\n"
	  "                     (0.25 to 64, or max: as fast as possible)\n"
	  "  --idle-cap SECONDS cap the gaps between events while playing\n",
	  cmd_replay_exec },
	{ "sessions", "[--status S,...] [--json]", "list the sessions",
	  "  --status S,...   only sessions in these states (idle, running,\n"
	  "                   rescheduling, terminated)\n"
	  "  --json           each session's JSON as received, one a line\n",
	  cmd_sessions_exec },
	{ "tail", "[--json] [--until TYPE[:STOP_REASON]] SESSION...",
	  "print sessions' histories, then follow them live",
	  "  --json           each event's JSON as received, one a line\n"
	  "  --until TYPE[:STOP_REASON]\n"
	  "                   exit after the first event of TYPE (with that\n"
	  "                   stop reason), e.g. "
	  "session.status_idle:end_turn\n",
	  cmd_tail_exec },
	{ "send", "SESSION TEXT", "send a user message; prints its event id",
	  NULL, cmd_send_exec },
	{ "interrupt", "SESSION", "stop the agent at the next safe point",
	  NULL, cmd_interrupt_exec },
	{ "approve", "SESSION TOOL_USE_EVENT_ID", "allow a held tool call",
	  NULL, cmd_approve_exec },
	{ "deny", "SESSION TOOL_USE_EVENT_ID [--message TEXT]",
	  "refuse a held tool call",
	  "  --message TEXT   why, shown to the model\n", cmd_deny_exec },
	{ "wait", "SESSION --until idle|terminated",
	  "wait until a session is idle or terminated",
	  "  --until idle|terminated\n"
	  "                   the state to wait for (required)\n",
	  cmd_wait_exec },
	{ "export", "[--format jsonl|markdown] SESSION",
	  "print a session's events or its post-mortem report",
	  "  --format jsonl     the API's events-list objects, one per line,\n"
	  "                     in log order (the default)\n"
	  "  --format markdown  a post-mortem report: ids, agent, model,\n"
	  "                     times, final state, totals, denials, the\n"
	  "                     user turns, files with net diffs, operator\n"
	  "                     actions\n", cmd_export_exec },
	{ "files", "[--diff] SESSION [PATH]",
	  "the files a cached session touched, rebuilt from its events",
	  "  PATH               print that file's final content (exact\n"
	  "                     bytes when stdout is not a terminal, else\n"
	  "                     sanitized)\n"
	  "  --diff             print net diffs (of PATH, or of every file)\n",
	  cmd_files_exec },
	{ "query", "[--json] [--limit N] SQL",
	  "read-only SQL over the cache's documented q_* views",
	  "  --json             a JSON array of objects, one per row\n"
	  "  --limit N          at most N rows (default 1000)\n",
	  cmd_query_exec },
	{ "import", "[--session ID] FILE...",
	  "add events from JSON lines or an events-list page to the cache",
	  "  --session ID       the session the events belong to (default:\n"
	  "                     the file name if it is a session id, else a\n"
	  "                     new local id, which is printed)\n",
	  cmd_import_exec },
	{ "serve", "[--listen ADDR] [--key-file FILE] [--scenarios DIR] "
	  "[--scripted-fast] [--heartbeat SECONDS] [--unsafe-no-sandbox] "
	  "[--background | --stop]",
	  "run the local harness (the Managed Agents API, offline)",
	  "  --listen ADDR        also listen on 127.0.0.1:PORT or [::1]:PORT\n"
	  "                       (loopback only; PORT 0 picks one); TCP\n"
	  "                       requests need the key\n"
	  "  --key-file FILE      the TCP key, created 0600 with a random key\n"
	  "                       if absent (default:\n"
	  "                       $XDG_CONFIG_HOME/pilothouse/harness.key)\n"
	  "  --scenarios DIR      look for scripted scenarios in DIR first\n"
	  "  --scripted-fast      no delays in scripted brains (tests)\n"
	  "  --heartbeat SECONDS  stream heartbeat interval (default 15)\n"
	  "  --unsafe-no-sandbox  run tools WITHOUT the bubblewrap sandbox\n"
	  "  --background         start in the background and return when it\n"
	  "                       accepts connections (exit 0 at once if one\n"
	  "                       runs already)\n"
	  "  --stop               stop the running harness (exit 0 if none)\n",
	  cmd_serve_exec },
	{ "demo", "[NAME | FILE]",
	  "start the demo sessions on the local harness",
	  "  NAME                 a manifest in the shipped demos/ directory\n"
	  "                       (default: four-agents)\n"
	  "  FILE                 a manifest file (harness.md 4.5)\n",
	  cmd_demo_exec },
	{ "sandbox", "exec [options] [--] COMMAND... | check [options]",
	  "run a command in the tool sandbox, or check what it isolates",
	  "exec options:\n"
	  "  --workspace DIR     directory bound at /workspace (default: .)\n"
	  "  --timeout SECONDS   wall-clock limit (default: 120)\n"
	  "  --memory BYTES      memory limit, with k, m or g (default: 2g)\n"
	  "  --pids N            process limit (default: 256)\n"
	  "  --unsafe-no-sandbox run on this host with no isolation\n"
	  "  --debug-uid0        keep kernel uid 0 inside (debugging only)\n"
	  "  --bwrap PATH        bubblewrap binary (default: /usr/bin/bwrap)\n"
	  "check options:\n"
	  "  --workspace DIR     probe with this workspace (default: a\n"
	  "                      temporary directory)\n"
	  "  --bwrap PATH        bubblewrap binary (default: /usr/bin/bwrap)\n",
	  cmd_sandbox_exec },
	{ "tool", "NAME [--workspace DIR] [--unsafe-no-sandbox] JSON-INPUT",
	  "run one built-in tool and print its result as JSON",
	  "  --workspace DIR     the session workspace (default: .)\n"
	  "  --unsafe-no-sandbox run bash on this host with no isolation\n",
	  cmd_tool_exec },
	{ "help", "[COMMAND]", "show help for pilothouse or one command",
	  NULL, cmd_help_exec },
	{ "version", "", "print the version", NULL, cmd_version_exec },
};

static struct cancel	*cmd_cancel;

/* SIGINT/SIGTERM: fire the cancel (cancel_fire is async-signal-safe). */
static void
cmd_cancel_signal(int sig)
{
	if (cmd_cancel != NULL)
		cancel_fire(cmd_cancel);
}

/* Fire c on SIGINT and SIGTERM; NULL restores the default actions. */
void
cmd_cancel_on_signals(struct cancel *c)
{
	struct sigaction	sa;

	cmd_cancel = c;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = c != NULL ? cmd_cancel_signal : SIG_DFL;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

/* The table entry called name, or NULL. */
const struct cmd_entry *
cmd_find(const char *name)
{
	for (size_t i = 0; i < AD_NITEMS(cmd_table); i++)
		if (strcmp(cmd_table[i].name, name) == 0)
			return &cmd_table[i];
	return NULL;
}

/* The global usage: options and the list of subcommands. */
void
cmd_print_usage(FILE *f)
{
	fputs("usage: pilothouse [global options] [COMMAND [ARGS...]]\n"
	    "\n"
	    "With no COMMAND, opens the console on the configured endpoint.\n"
	    "\n"
	    "Global options:\n"
	    "  --api-url URL      API base URL (https://..., "
	    "http://127.0.0.1:PORT,\n"
	    "                     or unix:/path/to.sock); "
	    "overrides the config\n"
	    "                     and ANTHROPIC_BASE_URL\n"
	    "  --context NAME     use the [context.NAME] section of the "
	    "config\n"
	    "  --config FILE      read FILE instead of the default config\n"
	    "  --local            use the local harness (started on demand)\n"
	    "  --demo             with --local: start the demo sessions\n"
	    "  --readonly         refuse every steering action\n"
	    "  --ui BACKEND       console backend: ncurses (default) or "
	    "tickit\n"
	    "  --log FILE         write a diagnostic log to FILE (- is "
	    "stderr)\n"
	    "  -v, --verbose      more detail in the log (repeatable)\n"
	    "  -h, --help         show this help\n"
	    "  -V, --version      print the version\n"
	    "\n"
	    "Commands:\n", f);
	for (size_t i = 0; i < AD_NITEMS(cmd_table); i++)
		fprintf(f, "  %-12s %s\n", cmd_table[i].name,
		    cmd_table[i].summary);
	fputs("\nRun \"pilothouse COMMAND --help\" for a command's "
	    "options.\n", f);
}

/* One command's usage, summary and options. */
void
cmd_print_help(FILE *f, const struct cmd_entry *ce)
{
	fprintf(f, "usage: pilothouse %s%s%s\n\n%s\n", ce->name,
	    *ce->args ? " " : "", ce->args, ce->summary);
	if (ce->help != NULL)
		fprintf(f, "\n%s", ce->help);
}

/* Report a usage error for ce and return CMD_EXIT_USAGE. */
int
cmd_usage_error(const struct cmd_entry *ce, const char *fmt, ...)
{
	va_list	ap;

	fputs("pilothouse: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: pilothouse %s%s%s\n", ce->name,
	    *ce->args ? " " : "", ce->args);
	return CMD_EXIT_USAGE;
}

/* Find and run the subcommand named by argv[0]. */
int
cmd_dispatch(struct cmd_globals *g, int argc, char **argv)
{
	const struct cmd_entry	*ce;

	if ((ce = cmd_find(argv[0])) == NULL) {
		fprintf(stderr, "pilothouse: unknown command \"%s\"; run "
		    "\"pilothouse --help\" for the list\n", argv[0]);
		return CMD_EXIT_USAGE;
	}
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		cmd_print_help(stdout, ce);
		return CMD_EXIT_OK;
	}
	return ce->exec(g, argc, argv);
}

/* help [COMMAND] */
static int
cmd_help_exec(struct cmd_globals *g, int argc, char **argv)
{
	const struct cmd_entry	*ce;

	if (argc < 2) {
		cmd_print_usage(stdout);
		return CMD_EXIT_OK;
	}
	if ((ce = cmd_find(argv[1])) == NULL) {
		fprintf(stderr, "pilothouse: unknown command \"%s\"\n",
		    argv[1]);
		return CMD_EXIT_USAGE;
	}
	cmd_print_help(stdout, ce);
	return CMD_EXIT_OK;
}

/* version */
static int
cmd_version_exec(struct cmd_globals *g, int argc, char **argv)
{
	printf("pilothouse %s\n", PACKAGE_VERSION);
	return CMD_EXIT_OK;
}
