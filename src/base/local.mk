# src/base/local.mk -- the base layer: libc only.
src_libpilothouse_a_SOURCES += \
	%reldir%/buf.c %reldir%/buf.h \
	%reldir%/cancel.c %reldir%/cancel.h \
	%reldir%/clock.c %reldir%/clock.h \
	%reldir%/compiler.h \
	%reldir%/ini.c %reldir%/ini.h \
	%reldir%/io.c %reldir%/io.h \
	%reldir%/log.c %reldir%/log.h \
	%reldir%/loop.c %reldir%/loop.h \
	%reldir%/paths.c %reldir%/paths.h \
	%reldir%/rand.c %reldir%/rand.h \
	%reldir%/sanitize.c %reldir%/sanitize.h \
	%reldir%/str.c %reldir%/str.h \
	%reldir%/utf8.c %reldir%/utf8.h \
	%reldir%/xmalloc.c %reldir%/xmalloc.h
