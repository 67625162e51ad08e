# bench/local.mk -- benchmark programs and scripts (run by hand, never by
# make check; built with the tests so they keep compiling).  Figures are
# recorded in bench/README.md.
BENCH_BINS = bench/event_parse
bench_event_parse_SOURCES = bench/event_parse.c bench/bench_gen.c \
	bench/bench_gen.h
bench_event_parse_LDADD = $(TEST_LDADD)
BENCH_BINS += bench/store_schema
bench_store_schema_SOURCES = bench/store_schema.c bench/bench_gen.c \
	bench/bench_gen.h
bench_store_schema_LDADD = $(TEST_LDADD)
BENCH_BINS += bench/store_ingest
bench_store_ingest_SOURCES = bench/store_ingest.c bench/bench_gen.c \
	bench/bench_gen.h
bench_store_ingest_LDADD = $(TEST_LDADD)
check_PROGRAMS += $(BENCH_BINS)
BENCH_BINS += bench/sse_server
bench_sse_server_SOURCES = bench/sse_server.c bench/bench_gen.c \
	bench/bench_gen.h
bench_sse_server_LDADD = $(TEST_LDADD)
EXTRA_DIST += bench/ingest.sh bench/fanin.sh bench/sdk_stream.mjs
BENCH_BINS += bench/stream_count
bench_stream_count_LDADD = $(TEST_LDADD)
