# src/model/local.mk -- the model layer.
# Files a session touched and line diffs (the console, reports, replay).
src_libpilothouse_a_SOURCES += \
	%reldir%/diff.c %reldir%/diff.h \
	%reldir%/files.c %reldir%/files.h
