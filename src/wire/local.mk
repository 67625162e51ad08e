# src/wire/local.mk -- the wire layer: SSE, the event model, the API client.
src_libpilothouse_a_SOURCES += \
	%reldir%/api_event.c %reldir%/api_event.h %reldir%/api_event_type.c \
	%reldir%/json_scan.c %reldir%/json_scan.h \
	%reldir%/sse_parser.c %reldir%/sse_parser.h
src_libpilothouse_a_SOURCES += \
	%reldir%/api_budget.c %reldir%/api_budget.h \
	%reldir%/api_client.c %reldir%/api_client.h \
	%reldir%/api_error.c %reldir%/api_error.h \
	%reldir%/api_page.c %reldir%/api_page.h \
	%reldir%/api_retry.c %reldir%/api_retry.h \
	%reldir%/api_url.c %reldir%/api_url.h \
	%reldir%/seen.c %reldir%/seen.h \
	%reldir%/stream.c %reldir%/stream.h
