# src/harness/local.mk -- the local harness: server, agent loop, brains,
# sandbox and tools.
src_libpilothouse_a_SOURCES += \
	%reldir%/tool.h
