# tests/integration/local.mk -- layers together against real servers on
# loopback: the fault-injection server and the programs that drive the
# API client and the stream manager against it.
check_PROGRAMS += tests/integration/fault_server
tests_integration_fault_server_LDADD = $(TEST_LDADD)

INTEGRATION_TESTS = tests/integration/api_client_test \
	tests/integration/api_endpoints_test tests/integration/stream_test \
	tests/integration/store_kill9
check_PROGRAMS += $(INTEGRATION_TESTS)
TESTS += $(INTEGRATION_TESTS)
tests_integration_api_client_test_SOURCES = \
	tests/integration/api_client_test.c tests/integration/fault.h
tests_integration_api_client_test_LDADD = $(TEST_LDADD)
tests_integration_api_endpoints_test_LDADD = $(TEST_LDADD)
tests_integration_stream_test_SOURCES = \
	tests/integration/stream_test.c tests/integration/fault.h
tests_integration_stream_test_LDADD = $(TEST_LDADD)
tests_integration_store_kill9_LDADD = $(TEST_LDADD)

CLI_TESTS = tests/integration/cli_config.sh tests/integration/cli_harness.sh \
	tests/integration/cli_steer.sh tests/integration/cli_tail.sh \
	tests/integration/cli_wait.sh tests/integration/cli_export.sh \
	tests/integration/export_import.sh
TESTS += $(CLI_TESTS)
EXTRA_DIST += $(CLI_TESTS) tests/integration/fault.sh

# The local harness over real sockets.
HARNESS_INTEGRATION_TESTS = tests/integration/harness_api.sh \
	tests/integration/harness_demo.sh tests/integration/harness_flows.sh
TESTS += $(HARNESS_INTEGRATION_TESTS)
EXTRA_DIST += $(HARNESS_INTEGRATION_TESTS) tests/integration/harness_lib.sh
