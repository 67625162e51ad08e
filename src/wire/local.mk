# src/wire/local.mk -- the wire layer: SSE, the event model, the API client.
src_libpilothouse_a_SOURCES += \
	%reldir%/api_event.c %reldir%/api_event.h %reldir%/api_event_type.c \
	%reldir%/json_scan.c %reldir%/json_scan.h \
	%reldir%/sse_parser.c %reldir%/sse_parser.h
