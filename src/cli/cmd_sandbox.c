/* ISC licence: see COPYING.  pilothouse sandbox: exec and check. */

#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/cancel.h"
#include "base/clock.h"
#include "base/io.h"
#include "base/str.h"
#include "base/xmalloc.h"
#include "cli/cmd.h"
#include "harness/sandbox.h"
#include "harness/wspath.h"

#define CMD_SANDBOX_TIMEOUT	124	/* as timeout(1) */
#define CMD_SANDBOX_CAPPED	125	/* output cap reached */
#define CMD_SANDBOX_TIMEOUT_S	120.0	/* as the bash tool */

/* Parse a byte count with an optional k, m or g suffix. */
static int
cmd_sandbox_bytes(const char *s, int64_t *out, char **cause)
{
	char		*num;
	size_t		 len = strlen(s);
	long long	 v, mult = 1;
	int		 rv;

	if (len > 0 && strchr("kKmMgG", s[len - 1]) != NULL) {
		switch (s[len - 1]) {
		case 'k': case 'K':
			mult = 1LL << 10;
			break;
		case 'm': case 'M':
			mult = 1LL << 20;
			break;
		default:
			mult = 1LL << 30;
			break;
		}
		len--;
	}
	num = xstrndup(s, len);
	rv = str_to_ll(num, 1, LLONG_MAX / mult, &v, cause);
	free(num);
	if (rv == 0)
		*out = v * mult;
	return rv;
}

/* Relay output to our own stdout or stderr. */
static void
cmd_sandbox_output(void *arg, int stream, const char *p, size_t len)
{
	/* A reader that went away loses the rest; the command runs on. */
	if (io_write_all(stream, p, len) != 0)
		return;
}

/* sandbox exec: run a command as the bash tool would; its status. */
static int
cmd_sandbox_run(const struct cmd_entry *ce, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "workspace",		required_argument,	NULL, 'w' },
		{ "timeout",		required_argument,	NULL, 't' },
		{ "memory",		required_argument,	NULL, 'm' },
		{ "pids",		required_argument,	NULL, 'p' },
		{ "unsafe-no-sandbox",	no_argument,		NULL, 'U' },
		{ "debug-uid0",		no_argument,		NULL, '0' },
		{ "bwrap",		required_argument,	NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct sandbox_config	 cfg;
	struct sandbox_limits	 limits;
	struct sandbox_cmd	 cmd;
	struct sandbox_status	 st;
	struct sandbox		*sb;
	struct cancel		 cancel;
	char			*cause = NULL, *command;
	double			 secs = CMD_SANDBOX_TIMEOUT_S;
	long long		 pids;
	int			 ch, rv;

	memset(&cfg, 0, sizeof cfg);
	sandbox_limits_default(&limits);
	cfg.workspace = ".";
	cfg.limits = &limits;
	while ((ch = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			cfg.workspace = optarg;
			break;
		case 't':
			if (str_to_seconds(optarg, 86400, &secs, &cause) != 0)
				goto usage;
			break;
		case 'm':
			if (cmd_sandbox_bytes(optarg, &limits.memory,
			    &cause) != 0)
				goto usage;
			break;
		case 'p':
			if (str_to_ll(optarg, 1, 1 << 22, &pids, &cause) != 0)
				goto usage;
			limits.pids = pids;
			break;
		case 'U':
			cfg.unsafe_no_sandbox = 1;
			break;
		case '0':
			cfg.allow_uid0 = 1;
			break;
		case 'b':
			cfg.bwrap = optarg;
			break;
		default:
			return cmd_usage_error(ce, "bad option");
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		return cmd_usage_error(ce, "exec needs a command");
	if (cfg.unsafe_no_sandbox)
		fprintf(stderr, "pilothouse: warning: --unsafe-no-sandbox: the "
		    "command runs on this host with no isolation\n");
	if ((sb = sandbox_create(&cfg, &cause)) == NULL) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	command = sandbox_join(argc, argv);
	memset(&cmd, 0, sizeof cmd);
	cmd.command = command;
	cmd.timeout_ms = (int64_t)(secs * 1000);
	cmd.output = cmd_sandbox_output;
	cancel_init(&cancel);
	cmd_cancel_on_signals(&cancel);
	rv = sandbox_run(sb, &cmd, &cancel, &st, &cause);
	cmd_cancel_on_signals(NULL);
	cancel_clear(&cancel);
	free(command);
	sandbox_free(sb);
	if (rv != 0) {
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	switch (st.end) {
	case SANDBOX_EXITED:
		rv = st.code;
		if (st.oom)
			fprintf(stderr, "pilothouse: the sandbox ran out of "
			    "memory and a process was killed\n");
		break;
	case SANDBOX_TIMEOUT:
		fprintf(stderr, "pilothouse: the command timed out after "
		    "%g s and was killed\n", secs);
		rv = CMD_SANDBOX_TIMEOUT;
		break;
	case SANDBOX_CANCELLED:
		rv = CMD_EXIT_INTERRUPTED;
		break;
	case SANDBOX_OUTPUT_CAP:
		fprintf(stderr, "pilothouse: the command wrote more than %lld "
		    "bytes and was killed\n", (long long)st.output_len);
		rv = CMD_SANDBOX_CAPPED;
		break;
	case SANDBOX_NOT_STARTED:
		fprintf(stderr, "pilothouse: %s\n", st.error);
		rv = CMD_EXIT_LOCAL;
		break;
	}
	sandbox_status_clear(&st);
	return rv;

usage:
	rv = cmd_usage_error(ce, "%s", cause);
	free(cause);
	return rv;
}

/* A byte count for people ("2 GiB", "64 MiB", "4096 bytes"). */
static void
cmd_sandbox_size(char *out, size_t len, int64_t v)
{
	if (v >= (1LL << 30) && v % (1LL << 30) == 0)
		snprintf(out, len, "%lld GiB", (long long)(v >> 30));
	else if (v >= (1LL << 20) && v % (1LL << 20) == 0)
		snprintf(out, len, "%lld MiB", (long long)(v >> 20));
	else
		snprintf(out, len, "%lld bytes", (long long)v);
}

/* Print what this host's sandbox isolates, then prove it starts. */
static int
cmd_sandbox_report(struct sandbox *sb)
{
	static const char *const cgroups[] = { "none", "v1", "v2" };
	struct sandbox_info	 si;
	char			*cause = NULL, mem[32], fsz[32], tmp[32];
	char			 version[32];
	int64_t			 start;
	int			 rv, vrv;

	sandbox_describe(sb, &si);
	vrv = sandbox_version(si.bwrap, version, sizeof version);
	cmd_sandbox_size(mem, sizeof mem, si.limits.memory);
	cmd_sandbox_size(fsz, sizeof fsz, si.limits.fsize);
	cmd_sandbox_size(tmp, sizeof tmp, si.limits.tmp_size);
	if (si.unsafe) {
		printf("sandbox:     NONE (--unsafe-no-sandbox): bash runs on "
		    "this host\n");
		return CMD_EXIT_OK;
	}
	printf("bwrap:       %s %s\n", si.bwrap, vrv == 0 ? version :
	    vrv == 1 ? "(TOO OLD: needs >= 0.8.0)" : "(does not run)");
	if (si.dropped)
		printf("identity:    root harness; commands run as uid %u gid "
		    "%u\n", (unsigned)si.uid, (unsigned)si.gid);
	else
		printf("identity:    commands run as uid %u gid %u%s\n",
		    (unsigned)si.uid, (unsigned)si.gid, si.uid == 0 ?
		    " (KERNEL UID 0: debugging only)" : "");
	printf("namespaces:  user (no nested), mount, pid, ipc, uts, cgroup, "
	    "network\n");
	printf("network:     none (own namespace with only lo)\n");
	printf("filesystem:  /usr read-only, a few /etc files, /proc, "
	    "/dev, /tmp (%s tmpfs), /workspace\n", tmp);
	printf("seccomp:     %zu-byte filter (TIOCSTI, user namespaces, "
	    "mounts, io_uring, keyctl, bpf, perf, ...)\n", si.seccomp_len);
	if (si.cgroup != SANDBOX_CGROUP_NONE)
		printf("cgroup:      %s: memory %s, pids %lld\n",
		    cgroups[si.cgroup], mem, (long long)si.limits.pids);
	else
		printf("cgroup:      none (%s): memory is not limited, "
		    "processes by RLIMIT_NPROC %lld\n", si.cgroup_why,
		    (long long)si.limits.pids);
	printf("rlimits:     CPU = timeout, FSIZE %s, NOFILE %lld, no core "
	    "dumps\n", fsz, (long long)si.limits.nofile);
	printf("file tools:  %s\n", wspath_has_openat2() ?
	    "openat2 RESOLVE_BENEATH|NO_MAGICLINKS|NO_XDEV" :
	    "openat walk (no openat2 here)");
	start = clock_mono_us();
	rv = sandbox_probe(sb, &cause);
	if (rv != 0) {
		printf("probe:       FAILED\n");
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		return CMD_EXIT_LOCAL;
	}
	printf("probe:       ok (a sandbox started and ran true in %.1f ms)\n",
	    (double)(clock_mono_us() - start) / 1000);
	return CMD_EXIT_OK;
}

/* sandbox check: report, and exit 0 only if a sandbox starts. */
static int
cmd_sandbox_check(const struct cmd_entry *ce, int argc, char **argv)
{
	static const struct option	 longopts[] = {
		{ "workspace",	required_argument,	NULL, 'w' },
		{ "bwrap",	required_argument,	NULL, 'b' },
		{ NULL, 0, NULL, 0 }
	};
	struct sandbox_config	 cfg;
	struct sandbox		*sb;
	char			*cause = NULL, tmpl[PATH_MAX], *ws = NULL;
	const char		*tmpdir;
	int			 ch, rv, temporary = 0;

	memset(&cfg, 0, sizeof cfg);
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'w':
			cfg.workspace = optarg;
			break;
		case 'b':
			cfg.bwrap = optarg;
			break;
		default:
			return cmd_usage_error(ce, "bad option");
		}
	}
	if (optind != argc)
		return cmd_usage_error(ce, "check takes no arguments");
	if (cfg.workspace == NULL) {
		if ((tmpdir = getenv("TMPDIR")) == NULL || *tmpdir != '/')
			tmpdir = "/tmp";
		snprintf(tmpl, sizeof tmpl, "%s/pilothouse-check.XXXXXX",
		    tmpdir);
		if (mkdtemp(tmpl) == NULL) {
			fprintf(stderr, "pilothouse: %s: %s\n", tmpl,
			    strerror(errno));
			return CMD_EXIT_LOCAL;
		}
		/* Missing, so the sandbox creates it for its own uid. */
		xasprintf(&ws, "%s/workspace", tmpl);
		cfg.workspace = ws;
		temporary = 1;
	}
	if ((sb = sandbox_create(&cfg, &cause)) == NULL) {
		printf("sandbox:     UNAVAILABLE\n");
		fprintf(stderr, "pilothouse: %s\n", cause);
		free(cause);
		rv = CMD_EXIT_LOCAL;
	} else {
		rv = cmd_sandbox_report(sb);
		sandbox_free(sb);
	}
	if (temporary) {
		rmdir(ws);
		rmdir(tmpl);
		free(ws);
	}
	return rv;
}

/* sandbox exec|check */
int
cmd_sandbox_exec(struct cmd_globals *g, int argc, char **argv)
{
	const struct cmd_entry	*ce = cmd_find("sandbox");

	if (argc < 2)
		return cmd_usage_error(ce, "exec or check?");
	if (strcmp(argv[1], "exec") == 0)
		return cmd_sandbox_run(ce, argc - 1, argv + 1);
	if (strcmp(argv[1], "check") == 0)
		return cmd_sandbox_check(ce, argc - 1, argv + 1);
	return cmd_usage_error(ce, "unknown sandbox command \"%s\"", argv[1]);
}
