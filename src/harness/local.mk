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
	%reldir%/tool.h \
	%reldir%/turn.c %reldir%/turn.h \
	%reldir%/workpool.c %reldir%/workpool.h
