# src/wire/local.mk -- the wire layer: SSE, the event model, the API client.
src_libpilothouse_a_SOURCES += \
	%reldir%/api_event.h %reldir%/api_event_type.c \
	%reldir%/sse_parser.h
src_libpilothouse_a_SOURCES += %reldir%/sse_parser.c
