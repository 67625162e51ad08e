# tests/integration/local.mk -- layers together over real sockets.
HARNESS_INTEGRATION_TESTS = tests/integration/harness_api.sh
TESTS += $(HARNESS_INTEGRATION_TESTS)
EXTRA_DIST += $(HARNESS_INTEGRATION_TESTS)
