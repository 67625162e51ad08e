# src/store/local.mk -- the store layer: SQLite helpers and the event cache.
src_libpilothouse_a_SOURCES += \
	%reldir%/db.c %reldir%/db.h
