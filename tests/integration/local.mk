# tests/integration/local.mk -- layers together over real sockets.
HARNESS_INTEGRATION_TESTS = tests/integration/harness_api.sh
TESTS += $(HARNESS_INTEGRATION_TESTS)
EXTRA_DIST += $(HARNESS_INTEGRATION_TESTS)

# The brains against stand-in model servers replaying recorded streams.
check_PROGRAMS += tests/integration/brain_standin tests/integration/brain_test
tests_integration_brain_test_LDADD = $(TEST_LDADD)
BRAIN_INTEGRATION_TESTS = tests/integration/brain_test \
	tests/integration/brain_serve.sh
TESTS += $(BRAIN_INTEGRATION_TESTS)
EXTRA_DIST += tests/integration/brain_serve.sh tests/brain_trace.h \
	tests/standin.h tests/data/brains
