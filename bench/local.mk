# bench/local.mk -- benchmark scripts (run by hand, never by make check).
# The brains: cost per streamed token (bench/brain_token) and, with
# bench/brain.sh, end to end against the stand-in model server.
BENCH_BRAIN_BINS = bench/brain_token bench/brain_first_delta
bench_brain_token_LDADD = $(TEST_LDADD)
bench_brain_first_delta_LDADD = $(TEST_LDADD)
check_PROGRAMS += $(BENCH_BRAIN_BINS)
EXTRA_DIST += bench/brain.sh
