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

# make bench-hands: the sandbox's cost (bench/sandbox.sh, needs hyperfine
# and jq) and the file tools on a 100 KB file (bench/tools_bench).
BENCH_BINS += bench/tools_bench
bench_tools_bench_LDADD = $(TEST_LDADD)
EXTRA_DIST += bench/sandbox.sh
bench-hands: pilothouse$(EXEEXT) bench/tools_bench$(EXEEXT)
	PILOTHOUSE=./pilothouse $(SHELL) $(srcdir)/bench/sandbox.sh
	bench/tools_bench
.PHONY: bench-hands
# The brains: cost per streamed token (bench/brain_token) and, with
# bench/brain.sh, end to end against the stand-in model server.
BENCH_BRAIN_BINS = bench/brain_token bench/brain_first_delta
bench_brain_token_LDADD = $(TEST_LDADD)
bench_brain_first_delta_LDADD = $(TEST_LDADD)
check_PROGRAMS += $(BENCH_BRAIN_BINS)
EXTRA_DIST += bench/brain.sh
# The console: indexing, keystroke -> frame, fleet scrolling, bytes.
BENCH_BINS += bench/console_bench
bench_console_bench_SOURCES = bench/console_bench.c bench/bench_gen.c \
	bench/bench_gen.h bench/bench_ui.c bench/bench_ui.h
bench_console_bench_LDADD = $(TEST_LDADD) -lutil
# Replay: the first frame and seeks on a 1M-event session.
BENCH_BINS += bench/replay_bench
bench_replay_bench_SOURCES = bench/replay_bench.c bench/bench_gen.c \
	bench/bench_gen.h bench/bench_ui.c bench/bench_ui.h
bench_replay_bench_LDADD = $(TEST_LDADD)
BENCH_BINS += bench/sse_server
bench_sse_server_SOURCES = bench/sse_server.c bench/bench_gen.c \
	bench/bench_gen.h
bench_sse_server_LDADD = $(TEST_LDADD)
EXTRA_DIST += bench/ingest.sh bench/fanin.sh bench/sdk_stream.mjs
BENCH_BINS += bench/stream_count
bench_stream_count_LDADD = $(TEST_LDADD)
# The reducer folded over a generated 1M-event log (bench/model_fold).
BENCH_BINS += bench/model_fold
bench_model_fold_SOURCES = bench/model_fold.c bench/bench_gen.c \
	bench/bench_gen.h
bench_model_fold_LDADD = $(TEST_LDADD)
# The post-mortem: export to JSONL and the Markdown report on a 1M-event
# session (bench/postmortem.sh fills the cache with postmortem_fill).
BENCH_BINS += bench/postmortem_fill
bench_postmortem_fill_SOURCES = bench/postmortem_fill.c bench/bench_gen.c \
	bench/bench_gen.h
bench_postmortem_fill_LDADD = $(TEST_LDADD)
EXTRA_DIST += bench/postmortem.sh
EXTRA_DIST += bench/harness.sh
