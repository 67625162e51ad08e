# tests/integration/local.mk -- layers together, on real files and sockets.
INTEGRATION_TESTS = tests/integration/store_kill9 \
	tests/integration/report_columns_test
check_PROGRAMS += $(INTEGRATION_TESTS)
TESTS += $(INTEGRATION_TESTS)
tests_integration_store_kill9_LDADD = $(TEST_LDADD)
tests_integration_report_columns_test_LDADD = $(TEST_LDADD)
INTEGRATION_SH_TESTS = tests/integration/export_import.sh
TESTS += $(INTEGRATION_SH_TESTS)
EXTRA_DIST += $(INTEGRATION_SH_TESTS)

# The sandbox battery runs the real bubblewrap.
check_PROGRAMS += tests/integration/sandbox_escape_test \
	tests/integration/sandbox_helper
TESTS += tests/integration/sandbox_escape_test
tests_integration_sandbox_escape_test_LDADD = $(TEST_LDADD)
# The helper runs inside the sandbox under small limits: no sanitizers.
tests_integration_sandbox_helper_CFLAGS = -std=c11 $(WARN_CFLAGS)
tests_integration_sandbox_helper_LDFLAGS =

# The toolset against Anthropic's reference implementation (Node 22 + SDK).
TESTS += tests/integration/toolset_diff.sh
EXTRA_DIST += tests/integration/toolset_diff.sh \
	tests/integration/toolset_diff.mjs

# The operator's view: pilothouse sandbox and pilothouse tool.
TESTS += tests/integration/sandbox_cli.sh
EXTRA_DIST += tests/integration/sandbox_cli.sh
# The fault-injection server and the programs that drive the
# API client and the stream manager against it.
check_PROGRAMS += tests/integration/fault_server
tests_integration_fault_server_LDADD = $(TEST_LDADD)
CLIENT_INTEGRATION_TESTS = tests/integration/api_client_test \
	tests/integration/api_endpoints_test tests/integration/stream_test
check_PROGRAMS += $(CLIENT_INTEGRATION_TESTS)
TESTS += $(CLIENT_INTEGRATION_TESTS)
tests_integration_api_client_test_SOURCES = \
	tests/integration/api_client_test.c tests/integration/fault.h
tests_integration_api_client_test_LDADD = $(TEST_LDADD)
tests_integration_api_endpoints_test_LDADD = $(TEST_LDADD)
tests_integration_stream_test_SOURCES = \
	tests/integration/stream_test.c tests/integration/fault.h
tests_integration_stream_test_LDADD = $(TEST_LDADD)
CLI_TESTS = tests/integration/cli_config.sh tests/integration/cli_harness.sh \
	tests/integration/cli_steer.sh tests/integration/cli_tail.sh \
	tests/integration/cli_wait.sh tests/integration/cli_export.sh \
	tests/integration/cli_cache.sh tests/integration/cli_export_harness.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) tests/integration/fault.sh
# The local harness over real sockets.
HARNESS_INTEGRATION_TESTS = tests/integration/harness_api.sh \
	tests/integration/harness_listen.sh \
	tests/integration/harness_demo.sh tests/integration/harness_flows.sh \
	tests/integration/http2.sh
TESTS += $(HARNESS_INTEGRATION_TESTS)
check_PROGRAMS += tests/integration/harness_streams
tests_integration_harness_streams_LDADD = $(TEST_LDADD)
EXTRA_DIST += $(HARNESS_INTEGRATION_TESTS) tests/integration/harness_lib.sh

# The brains against stand-in model servers replaying recorded streams.
check_PROGRAMS += tests/integration/brain_standin tests/integration/brain_test
tests_integration_brain_test_LDADD = $(TEST_LDADD)
BRAIN_INTEGRATION_TESTS = tests/integration/brain_test \
	tests/integration/brain_serve.sh tests/integration/brain_sdk.sh
TESTS += $(BRAIN_INTEGRATION_TESTS)
EXTRA_DIST += tests/integration/brain_serve.sh tests/integration/brain_sdk.sh \
	tests/integration/brain_sdk.mjs tests/brain_trace.h tests/standin.h \
	tests/data/brains

# The post-mortem on the generated realistic session.
TESTS += tests/integration/postmortem.sh
EXTRA_DIST += tests/integration/postmortem.sh

# Replay: golden screens and the live view at the same event.
TESTS += tests/integration/replay.sh
EXTRA_DIST += tests/integration/replay.sh tests/data/replay

# pilothouse(1) agrees with the program (commands, options, environment).
TESTS += tests/integration/manpage.sh
EXTRA_DIST += tests/integration/manpage.sh
