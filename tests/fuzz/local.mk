# tests/fuzz/local.mk -- libFuzzer targets for every parser of outside
# input.  The replay drivers (always built) run each corpus in make check;
# --enable-fuzzing (CC=clang) also builds the real fuzzers:
#   tests/fuzz/sse_parser_fuzz -dict=tests/fuzz/sse_parser.dict \
#       tests/fuzz/corpus/sse_parser
FUZZ_REPLAYS = tests/fuzz/sse_parser_replay tests/fuzz/api_event_replay \
	tests/fuzz/globpat_replay tests/fuzz/jsregex_replay \
	tests/fuzz/api_page_replay tests/fuzz/scenario_replay
check_PROGRAMS += $(FUZZ_REPLAYS)
TESTS += $(FUZZ_REPLAYS)
tests_fuzz_sse_parser_replay_SOURCES = tests/fuzz/sse_parser_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_sse_parser_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"sse_parser"'
tests_fuzz_sse_parser_replay_LDADD = $(TEST_LDADD)
tests_fuzz_api_event_replay_SOURCES = tests/fuzz/api_event_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_api_event_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"api_event"'
tests_fuzz_api_event_replay_LDADD = $(TEST_LDADD)
tests_fuzz_globpat_replay_SOURCES = tests/fuzz/globpat_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_globpat_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"globpat"'
tests_fuzz_globpat_replay_LDADD = $(TEST_LDADD)
tests_fuzz_jsregex_replay_SOURCES = tests/fuzz/jsregex_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_jsregex_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"jsregex"'
tests_fuzz_jsregex_replay_LDADD = $(TEST_LDADD)
tests_fuzz_api_page_replay_SOURCES = tests/fuzz/api_page_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_api_page_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"api_page"'
tests_fuzz_api_page_replay_LDADD = $(TEST_LDADD)
tests_fuzz_scenario_replay_SOURCES = tests/fuzz/scenario_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_scenario_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"scenario"'
tests_fuzz_scenario_replay_LDADD = $(TEST_LDADD)

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/sse_parser_fuzz tests/fuzz/api_event_fuzz \
	tests/fuzz/globpat_fuzz tests/fuzz/jsregex_fuzz tests/fuzz/api_page_fuzz \
	tests/fuzz/scenario_fuzz
tests_fuzz_sse_parser_fuzz_SOURCES = tests/fuzz/sse_parser_fuzz.c tests/fuzz/fuzz.h
tests_fuzz_sse_parser_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_sse_parser_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_sse_parser_fuzz_LDADD = $(TEST_LDADD)
tests_fuzz_api_event_fuzz_SOURCES = tests/fuzz/api_event_fuzz.c tests/fuzz/fuzz.h
tests_fuzz_api_event_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_api_event_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_api_event_fuzz_LDADD = $(TEST_LDADD)
tests_fuzz_globpat_fuzz_SOURCES = tests/fuzz/globpat_fuzz.c tests/fuzz/fuzz.h
tests_fuzz_globpat_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_globpat_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_globpat_fuzz_LDADD = $(TEST_LDADD)
tests_fuzz_jsregex_fuzz_SOURCES = tests/fuzz/jsregex_fuzz.c tests/fuzz/fuzz.h
tests_fuzz_jsregex_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_jsregex_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_jsregex_fuzz_LDADD = $(TEST_LDADD)
tests_fuzz_api_page_fuzz_SOURCES = tests/fuzz/api_page_fuzz.c tests/fuzz/fuzz.h
tests_fuzz_api_page_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_api_page_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_api_page_fuzz_LDADD = $(TEST_LDADD)
tests_fuzz_scenario_fuzz_SOURCES = tests/fuzz/scenario_fuzz.c tests/fuzz/fuzz.h
tests_fuzz_scenario_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_scenario_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_scenario_fuzz_LDADD = $(TEST_LDADD)
endif

EXTRA_DIST += tests/fuzz/sse_parser.dict tests/fuzz/api_event.dict \
	tests/fuzz/globpat.dict tests/fuzz/jsregex.dict tests/fuzz/api_page.dict \
	tests/fuzz/scenario.dict tests/fuzz/corpus

# The brains' stream parsers (Anthropic SSE, OpenAI chunks).
BRAIN_FUZZ_REPLAYS = tests/fuzz/brain_anthropic_replay \
	tests/fuzz/brain_openai_replay
check_PROGRAMS += $(BRAIN_FUZZ_REPLAYS)
TESTS += $(BRAIN_FUZZ_REPLAYS)
tests_fuzz_brain_anthropic_replay_SOURCES = \
	tests/fuzz/brain_anthropic_fuzz.c tests/fuzz/fuzz_replay.c \
	tests/fuzz/fuzz.h
tests_fuzz_brain_anthropic_replay_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_TARGET='"brain_anthropic"'
tests_fuzz_brain_anthropic_replay_LDADD = $(TEST_LDADD)
tests_fuzz_brain_openai_replay_SOURCES = tests/fuzz/brain_openai_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_brain_openai_replay_CPPFLAGS = $(AM_CPPFLAGS) \
	-DFUZZ_TARGET='"brain_openai"'
tests_fuzz_brain_openai_replay_LDADD = $(TEST_LDADD)
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/brain_anthropic_fuzz tests/fuzz/brain_openai_fuzz
tests_fuzz_brain_anthropic_fuzz_SOURCES = tests/fuzz/brain_anthropic_fuzz.c \
	tests/fuzz/fuzz.h
tests_fuzz_brain_anthropic_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_brain_anthropic_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_brain_anthropic_fuzz_LDADD = $(TEST_LDADD)
tests_fuzz_brain_openai_fuzz_SOURCES = tests/fuzz/brain_openai_fuzz.c \
	tests/fuzz/fuzz.h
tests_fuzz_brain_openai_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_brain_openai_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_brain_openai_fuzz_LDADD = $(TEST_LDADD)
endif
EXTRA_DIST += tests/fuzz/brain_anthropic.dict tests/fuzz/brain_openai.dict
