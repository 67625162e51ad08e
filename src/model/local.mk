# src/model/local.mk -- the model layer: the pure session reducer.
src_libpilothouse_a_SOURCES += \
	%reldir%/pricing.c %reldir%/pricing.h \
	%reldir%/session.c %reldir%/session.h
# Files a session touched and line diffs (the console, reports, replay).
src_libpilothouse_a_SOURCES += \
	%reldir%/diff.c %reldir%/diff.h \
	%reldir%/files.c %reldir%/files.h
