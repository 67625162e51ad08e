# tests/unit/local.mk -- one <module>_test.c per module.
BASE_UNIT_TESTS = \
	tests/unit/buf_test tests/unit/clock_test tests/unit/ini_test \
	tests/unit/loop_test tests/unit/sanitize_test tests/unit/str_test \
	tests/unit/utf8_test
check_PROGRAMS += $(BASE_UNIT_TESTS)
TESTS += $(BASE_UNIT_TESTS)
tests_unit_buf_test_LDADD = $(TEST_LDADD)
tests_unit_clock_test_LDADD = $(TEST_LDADD)
tests_unit_ini_test_LDADD = $(TEST_LDADD)
tests_unit_loop_test_LDADD = $(TEST_LDADD)
tests_unit_str_test_LDADD = $(TEST_LDADD)
tests_unit_utf8_test_LDADD = $(TEST_LDADD)
tests_unit_sanitize_test_LDADD = $(TEST_LDADD)

STORE_UNIT_TESTS = tests/unit/db_test tests/unit/store_test
check_PROGRAMS += $(STORE_UNIT_TESTS)
TESTS += $(STORE_UNIT_TESTS)
tests_unit_db_test_LDADD = $(TEST_LDADD)
tests_unit_store_test_LDADD = $(TEST_LDADD)

WIRE_UNIT_TESTS = tests/unit/sse_parser_test tests/unit/json_scan_test \
	tests/unit/api_event_test
check_PROGRAMS += $(WIRE_UNIT_TESTS)
TESTS += $(WIRE_UNIT_TESTS)
tests_unit_json_scan_test_LDADD = $(TEST_LDADD)
tests_unit_api_event_test_LDADD = $(TEST_LDADD)
tests_unit_sse_parser_test_LDADD = $(TEST_LDADD)

# The ui layer (its own fragment).
include tests/unit/ui.mk
CLIENT_UNIT_TESTS = tests/unit/api_budget_test tests/unit/api_error_test \
	tests/unit/api_page_test tests/unit/api_retry_test \
	tests/unit/api_url_test tests/unit/conf_test tests/unit/seen_test
check_PROGRAMS += $(CLIENT_UNIT_TESTS)
TESTS += $(CLIENT_UNIT_TESTS)
tests_unit_api_budget_test_LDADD = $(TEST_LDADD)
tests_unit_api_error_test_LDADD = $(TEST_LDADD)
tests_unit_api_page_test_LDADD = $(TEST_LDADD)
tests_unit_api_retry_test_LDADD = $(TEST_LDADD)
tests_unit_api_url_test_LDADD = $(TEST_LDADD)
tests_unit_conf_test_LDADD = $(TEST_LDADD)
tests_unit_seen_test_LDADD = $(TEST_LDADD)

MODEL_UNIT_TESTS = tests/unit/model_test
check_PROGRAMS += $(MODEL_UNIT_TESTS)
TESTS += $(MODEL_UNIT_TESTS)
tests_unit_model_test_LDADD = $(TEST_LDADD)

# The harness's hands: path confinement, glob patterns, the tools; the
# stream fan-out.
HARNESS_UNIT_TESTS = \
	tests/unit/globpat_test tests/unit/tool_test tests/unit/wspath_test \
	tests/unit/hub_test
check_PROGRAMS += $(HARNESS_UNIT_TESTS)
TESTS += $(HARNESS_UNIT_TESTS)
tests_unit_globpat_test_LDADD = $(TEST_LDADD)
tests_unit_tool_test_LDADD = $(TEST_LDADD)
tests_unit_wspath_test_LDADD = $(TEST_LDADD)
tests_unit_hub_test_LDADD = $(TEST_LDADD)
BRAIN_UNIT_TESTS = tests/unit/brain_stream_test tests/unit/brain_request_test \
	tests/unit/brain_config_test
check_PROGRAMS += $(BRAIN_UNIT_TESTS)
TESTS += $(BRAIN_UNIT_TESTS)
tests_unit_brain_stream_test_LDADD = $(TEST_LDADD)
tests_unit_brain_request_test_LDADD = $(TEST_LDADD)
tests_unit_brain_config_test_LDADD = $(TEST_LDADD)
