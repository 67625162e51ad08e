# tests/fuzz/local.mk -- libFuzzer targets for every parser of outside
# input.  The replay drivers (always built) run each corpus in make check;
# --enable-fuzzing (CC=clang) also builds the real fuzzers:
#   tests/fuzz/sse_parser_fuzz -dict=tests/fuzz/sse_parser.dict \
#       tests/fuzz/corpus/sse_parser
FUZZ_REPLAYS = tests/fuzz/sse_parser_replay tests/fuzz/api_event_replay \
	tests/fuzz/api_page_replay
check_PROGRAMS += $(FUZZ_REPLAYS)
TESTS += $(FUZZ_REPLAYS)
tests_fuzz_sse_parser_replay_SOURCES = tests/fuzz/sse_parser_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_sse_parser_replay_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_TARGET='"sse_parser"'
tests_fuzz_sse_parser_replay_LDADD = $(TEST_LDADD)
tests_fuzz_api_event_replay_SOURCES = tests/fuzz/api_event_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_api_event_replay_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_TARGET='"api_event"'
tests_fuzz_api_event_replay_LDADD = $(TEST_LDADD)
tests_fuzz_api_page_replay_SOURCES = tests/fuzz/api_page_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_api_page_replay_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_TARGET='"api_page"'
tests_fuzz_api_page_replay_LDADD = $(TEST_LDADD)

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/sse_parser_fuzz tests/fuzz/api_event_fuzz \
	tests/fuzz/api_page_fuzz
tests_fuzz_api_page_fuzz_SOURCES = tests/fuzz/api_page_fuzz.c \
	tests/fuzz/fuzz.h
tests_fuzz_api_page_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_api_page_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_api_page_fuzz_LDADD = $(TEST_LDADD)
tests_fuzz_sse_parser_fuzz_SOURCES = tests/fuzz/sse_parser_fuzz.c \
	tests/fuzz/fuzz.h
tests_fuzz_sse_parser_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_sse_parser_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_sse_parser_fuzz_LDADD = $(TEST_LDADD)
tests_fuzz_api_event_fuzz_SOURCES = tests/fuzz/api_event_fuzz.c \
	tests/fuzz/fuzz.h
tests_fuzz_api_event_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_api_event_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_api_event_fuzz_LDADD = $(TEST_LDADD)
endif

EXTRA_DIST += tests/fuzz/sse_parser.dict tests/fuzz/api_event.dict \
	tests/fuzz/api_page.dict \
	tests/fuzz/corpus
