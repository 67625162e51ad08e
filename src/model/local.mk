# src/model/local.mk -- the model layer: the pure session reducer.
src_libpilothouse_a_SOURCES += \
	%reldir%/pricing.c %reldir%/pricing.h \
	%reldir%/session.c %reldir%/session.h
