# src/cli/local.mk -- the command line: one cmd_*.c per subcommand.
src_libpilothouse_a_SOURCES += \
	%reldir%/cmd.c %reldir%/cmd.h \
	%reldir%/cmd_export.c %reldir%/cmd_import.c \
	%reldir%/cmd_demo.c %reldir%/cmd_serve.c %reldir%/serve.h \
	%reldir%/cmd_sandbox.c %reldir%/cmd_tool.c
src_libpilothouse_a_SOURCES += \
	%reldir%/conf.c %reldir%/conf.h
src_libpilothouse_a_SOURCES += \
	%reldir%/connect.c %reldir%/connect.h \
	%reldir%/cmd_approve.c %reldir%/cmd_deny.c \
	%reldir%/cmd_interrupt.c %reldir%/cmd_send.c \
	%reldir%/cmd_sessions.c %reldir%/cmd_tail.c %reldir%/cmd_wait.c
# The console: its host (cache, streams, client) and its commands.
src_libpilothouse_a_SOURCES += \
	%reldir%/console_host.c %reldir%/console_host.h \
	%reldir%/cmd_console.c %reldir%/cmd_snapshot.c \
	%reldir%/cmd_replay.c %reldir%/fetch.c %reldir%/fetch.h \
	%reldir%/offline.c %reldir%/offline.h
# The post-mortem: the Markdown report and the files a session touched.
src_libpilothouse_a_SOURCES += \
	%reldir%/report.c %reldir%/report.h %reldir%/cmd_files.c \
	%reldir%/query.c %reldir%/query.h %reldir%/cmd_query.c
EXTRA_DIST += doc/QUERY.md
