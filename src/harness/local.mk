# src/harness/local.mk -- the local harness: server, agent loop, brains,
# sandbox and tools.
src_libpilothouse_a_SOURCES += \
	%reldir%/tool.h \
	%reldir%/cgroup.c %reldir%/cgroup.h \
	%reldir%/globpat.c %reldir%/globpat.h \
	%reldir%/jsregex.c %reldir%/jsregex.h \
	%reldir%/sandbox.c %reldir%/sandbox.h \
	%reldir%/seccomp.c %reldir%/seccomp.h \
	%reldir%/tool_bash.c %reldir%/tool_edit.c %reldir%/tool_glob.c \
	%reldir%/tool_grep.c %reldir%/tool_impl.h %reldir%/tool_read.c \
	%reldir%/tool_write.c %reldir%/toolbox.c \
	%reldir%/wspath.c %reldir%/wspath.h
# How the hands are built, and how they differ from the reference toolset.
EXTRA_DIST += doc/sandbox.md
