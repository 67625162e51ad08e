/* ISC licence: see COPYING.  XDG directories and private directories. */

#include "config.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/paths.h"
#include "base/xmalloc.h"

/* The user's home directory: $HOME, else the passwd entry, else "/". */
static const char *
paths_home(void)
{
	const char	*home;
	struct passwd	*pw;

	home = getenv("HOME");
	if (home != NULL && *home == '/')
		return home;
	pw = getpwuid(getuid());
	if (pw != NULL && pw->pw_dir != NULL && *pw->pw_dir == '/')
		return pw->pw_dir;
	return "/";
}

/* $var/pilothouse when var is an absolute path, else ~/fallback/pilothouse. */
static char *
paths_xdg(const char *var, const char *fallback)
{
	const char	*v;
	char		*p;

	v = getenv(var);
	if (v != NULL && *v == '/')
		xasprintf(&p, "%s/pilothouse", v);
	else
		xasprintf(&p, "%s/%s/pilothouse", paths_home(), fallback);
	return p;
}

/* The configuration directory. */
char *
paths_config_dir(void)
{
	return paths_xdg("XDG_CONFIG_HOME", ".config");
}

/* The cache directory. */
char *
paths_cache_dir(void)
{
	return paths_xdg("XDG_CACHE_HOME", ".cache");
}

/* The data directory. */
char *
paths_data_dir(void)
{
	return paths_xdg("XDG_DATA_HOME", ".local/share");
}

/* The state directory (the console's grid layout per workspace). */
char *
paths_state_dir(void)
{
	return paths_xdg("XDG_STATE_HOME", ".local/state");
}

/* The runtime directory for sockets. */
char *
paths_runtime_dir(void)
{
	const char	*v;
	char		*p;

	v = getenv("XDG_RUNTIME_DIR");
	if (v != NULL && *v == '/')
		xasprintf(&p, "%s/pilothouse", v);
	else
		xasprintf(&p, "/tmp/pilothouse-%ld", (long)getuid());
	return p;
}

/* Where shipped data (themes, scenarios) is found. */
char *
paths_shipped_dir(void)
{
	const char	*v;
	struct stat	 sb;

	v = getenv("PILOTHOUSE_DATADIR");
	if (v != NULL && *v != '\0')
		return xstrdup(v);
	if (stat(PH_PKGDATADIR "/scenarios", &sb) == 0 && S_ISDIR(sb.st_mode))
		return xstrdup(PH_PKGDATADIR);
	return xstrdup(PH_SRCDIR);
}

/* Create every missing component of path with mode 0700. */
int
paths_mkdir(const char *path, char **cause)
{
	char	*copy, *p;
	int	 rv = 0;

	copy = xstrdup(path);
	for (p = copy + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char	saved = *p;

		*p = '\0';
		if (mkdir(copy, 0700) != 0 && errno != EEXIST) {
			xasprintf(cause, "cannot create %s: %s", copy,
			    strerror(errno));
			rv = -1;
			break;
		}
		*p = saved;
		if (saved == '\0')
			break;
	}
	free(copy);
	return rv;
}

/*
 * Make sure path is a private directory of ours, creating it if needed;
 * one owned by someone else is refused (tmux's socket directory check).
 */
int
paths_private_dir(const char *path, char **cause)
{
	struct stat	sb;

	if (paths_mkdir(path, cause) != 0)
		return -1;
	if (lstat(path, &sb) != 0) {
		xasprintf(cause, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (!S_ISDIR(sb.st_mode)) {
		xasprintf(cause, "%s is not a directory", path);
		return -1;
	}
	if (sb.st_uid != geteuid()) {
		xasprintf(cause, "%s is owned by uid %ld, not by us (uid %ld)",
		    path, (long)sb.st_uid, (long)geteuid());
		return -1;
	}
	/* Ours but too open (created by hand, say): tighten it. */
	if ((sb.st_mode & 077) != 0 && chmod(path, 0700) != 0) {
		xasprintf(cause, "%s has unsafe permissions %03o and cannot "
		    "be made 0700: %s", path, (unsigned)(sb.st_mode & 0777),
		    strerror(errno));
		return -1;
	}
	return 0;
}
