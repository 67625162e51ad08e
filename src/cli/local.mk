# src/cli/local.mk -- the command line: one cmd_*.c per subcommand.
src_libpilothouse_a_SOURCES += \
	%reldir%/cmd.c %reldir%/cmd.h \
	%reldir%/cmd_export.c %reldir%/cmd_import.c \
	%reldir%/cmd_demo.c %reldir%/cmd_serve.c %reldir%/serve.h \
	%reldir%/cmd_sandbox.c %reldir%/cmd_tool.c
	%reldir%/cmd_sandbox.c %reldir%/cmd_tool.c \
	%reldir%/cmd_export.c %reldir%/cmd_import.c
