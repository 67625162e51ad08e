# tests/fuzz/draw.mk -- the console's drawing of untrusted text (ui/draw,
# ui/width, ui/canvas): replayed in make check, fuzzed with
#   tests/fuzz/draw_fuzz tests/fuzz/corpus/draw
check_PROGRAMS += tests/fuzz/draw_replay
TESTS += tests/fuzz/draw_replay
tests_fuzz_draw_replay_SOURCES = tests/fuzz/draw_fuzz.c \
	tests/fuzz/fuzz_replay.c tests/fuzz/fuzz.h
tests_fuzz_draw_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_TARGET='"draw"'
tests_fuzz_draw_replay_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/fuzz/corpus/draw

if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/draw_fuzz
tests_fuzz_draw_fuzz_SOURCES = tests/fuzz/draw_fuzz.c tests/fuzz/fuzz.h
tests_fuzz_draw_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_draw_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_draw_fuzz_LDADD = $(TEST_LDADD)
endif
