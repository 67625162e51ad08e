# src/cli/local.mk -- the command line: one cmd_*.c per subcommand.
src_libpilothouse_a_SOURCES += \
	%reldir%/cmd.c %reldir%/cmd.h
src_libpilothouse_a_SOURCES += \
	%reldir%/config.c %reldir%/config.h
