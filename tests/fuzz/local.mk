# tests/fuzz/local.mk -- fuzz targets for the parsers of untrusted input.
# make check always builds <module>_replay, which feeds every file of
# tests/fuzz/corpus/<module>/ to the target's LLVMFuzzerTestOneInput;
# --enable-fuzzing (clang) also builds <module>_fuzz, the libFuzzer binary
# (run: tests/fuzz/globpat_fuzz -dict=tests/fuzz/globpat.dict
# tests/fuzz/corpus/globpat).
FUZZ_REPLAYS = tests/fuzz/globpat_replay tests/fuzz/jsregex_replay
check_PROGRAMS += $(FUZZ_REPLAYS)
TESTS += $(FUZZ_REPLAYS)
tests_fuzz_globpat_replay_SOURCES = tests/fuzz/globpat_fuzz.c \
	tests/fuzz/fuzz_replay.c
tests_fuzz_globpat_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_MODULE='"globpat"'
tests_fuzz_globpat_replay_LDADD = $(TEST_LDADD)
tests_fuzz_jsregex_replay_SOURCES = tests/fuzz/jsregex_fuzz.c \
	tests/fuzz/fuzz_replay.c
tests_fuzz_jsregex_replay_CPPFLAGS = $(AM_CPPFLAGS) -DFUZZ_MODULE='"jsregex"'
tests_fuzz_jsregex_replay_LDADD = $(TEST_LDADD)
if ENABLE_FUZZING
noinst_PROGRAMS += tests/fuzz/globpat_fuzz tests/fuzz/jsregex_fuzz
tests_fuzz_globpat_fuzz_SOURCES = tests/fuzz/globpat_fuzz.c
tests_fuzz_globpat_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_globpat_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_globpat_fuzz_LDADD = $(TEST_LDADD)
tests_fuzz_jsregex_fuzz_SOURCES = tests/fuzz/jsregex_fuzz.c
tests_fuzz_jsregex_fuzz_CFLAGS = $(AM_CFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_jsregex_fuzz_LDFLAGS = $(AM_LDFLAGS) $(FUZZ_CFLAGS)
tests_fuzz_jsregex_fuzz_LDADD = $(TEST_LDADD)
endif
EXTRA_DIST += tests/fuzz/corpus tests/fuzz/globpat.dict tests/fuzz/jsregex.dict
