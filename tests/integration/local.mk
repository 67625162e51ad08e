# tests/integration/local.mk -- layers together, on real files and sockets.
INTEGRATION_TESTS = tests/integration/store_kill9
check_PROGRAMS += $(INTEGRATION_TESTS)
TESTS += $(INTEGRATION_TESTS)
tests_integration_store_kill9_LDADD = $(TEST_LDADD)
INTEGRATION_SH_TESTS = tests/integration/export_import.sh
TESTS += $(INTEGRATION_SH_TESTS)
EXTRA_DIST += $(INTEGRATION_SH_TESTS)
