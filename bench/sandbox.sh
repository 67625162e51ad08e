#!/bin/sh
# bench/sandbox.sh -- what the sandbox costs: hyperfine medians of
# `bash -c true` run plainly, in a bare bwrap with the same namespaces and
# mounts (the floor), and through `pilothouse sandbox exec`, which adds
# the uid drop, the workspace staging, seccomp, the cgroup and the state
# pipe.  As root it also runs pilothouse as an ordinary user (uid 65001),
# which has no cgroup to join: the difference is the cgroup's cost.  Run
# from the build directory: sh bench/sandbox.sh [RUNS].
set -eu
runs=${1:-200}
P=${PILOTHOUSE:-./pilothouse}
top=$(mktemp -d "${TMPDIR:-/tmp}/sandbox-bench.XXXXXX")
chmod 711 "$top"
trap 'rm -rf "$top"' EXIT
ws=$top/ws
"$P" sandbox exec --workspace "$ws" -- true
set --
if [ "$(id -u)" -eq 0 ]; then
	drop="setpriv --reuid=65000 --regid=65000 --clear-groups"
	mkdir "$top/user"
	chown 65001:65001 "$top/user"
	user="setpriv --reuid=65001 --regid=65001 --clear-groups env HOME=$top/user"
	set -- -n 'pilothouse sandbox exec -- bash -c true, as a user' \
	    "$user $(realpath "$P") sandbox exec --workspace $top/user/ws -- bash -c true"
else
	drop=
fi
bare="$drop /usr/bin/bwrap --unshare-all --unshare-user --disable-userns \
--die-with-parent --new-session --cap-drop ALL --clearenv \
--setenv PATH /usr/bin:/bin --ro-bind /usr /usr --symlink usr/bin /bin \
--symlink usr/lib /lib --symlink usr/lib64 /lib64 --perms 0755 --dir /etc \
--proc /proc --ro-bind /proc/sys /proc/sys --dev /dev \
--perms 1777 --size 67108864 --tmpfs /tmp --bind $ws /workspace \
--chdir /workspace --remount-ro /dev --remount-ro / -- /bin/bash -c true"
hyperfine -N -w 10 -r "$runs" --export-json "$top/out.json" \
    -n 'bash -c true' 'bash -c true' \
    -n 'bare bwrap (the floor)' "$bare" \
    -n 'pilothouse sandbox exec -- bash -c true' \
    "$P sandbox exec --workspace $ws -- bash -c true" "$@" >/dev/null
jq -r '.results[] | "| \(.command) | \(.median * 1000 * 100 | round / 100) ms | \(.mean * 1000 * 100 | round / 100) ms |"' \
    "$top/out.json" | sed '1i| command | median | mean |\n|---|---|---|'
