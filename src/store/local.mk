# src/store/local.mk -- the store layer: SQLite helpers and the event cache.
src_libpilothouse_a_SOURCES += \
	%reldir%/db.c %reldir%/db.h \
	%reldir%/store.c %reldir%/store.h %reldir%/store_int.h \
	%reldir%/store_event.c %reldir%/store_log.c \
	%reldir%/store_schema.c %reldir%/store_session.c
