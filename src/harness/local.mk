# src/harness/local.mk -- the local harness: server, agent loop, brains,
# sandbox and tools.
src_libpilothouse_a_SOURCES += \
	%reldir%/agent_loop.c %reldir%/agent_loop.h \
	%reldir%/apierr.c %reldir%/apierr.h \
	%reldir%/brain.c %reldir%/brain.h \
	%reldir%/brain_scripted.c \
	%reldir%/conversation.c %reldir%/conversation.h \
	%reldir%/demo.c %reldir%/demo.h \
	%reldir%/harness.c %reldir%/harness.h \
	%reldir%/hjson.c %reldir%/hjson.h \
	%reldir%/hstore.c %reldir%/hstore.h \
	%reldir%/htimer.c %reldir%/htimer.h \
	%reldir%/httpd.c %reldir%/httpd.h \
	%reldir%/hub.c %reldir%/hub.h \
	%reldir%/policy.c %reldir%/policy.h \
	%reldir%/scenario.c %reldir%/scenario.h \
	%reldir%/session.c %reldir%/session.h \
	%reldir%/turn.c %reldir%/turn.h \
	%reldir%/workpool.c %reldir%/workpool.h \
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
src_libpilothouse_a_SOURCES += \
	%reldir%/brain_anthropic.c %reldir%/brain_anthropic.h \
	%reldir%/brain_config.c %reldir%/brain_config.h \
	%reldir%/brain_http.c %reldir%/brain_http.h \
	%reldir%/brain_key.c %reldir%/brain_key.h \
	%reldir%/brain_openai.c %reldir%/brain_openai.h \
	%reldir%/brain_stream.c %reldir%/brain_stream.h \
	%reldir%/compact.c %reldir%/compact.h
EXTRA_DIST += doc/brains.md
EXTRA_DIST += doc/harness.md
