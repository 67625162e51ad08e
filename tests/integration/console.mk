# tests/integration/console.mk -- the console's views on the headless
# backend, from recorded sessions (golden screens).
check_PROGRAMS += tests/integration/console_test
TESTS += tests/integration/console_test
tests_integration_console_test_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/data/console

# Rewrite the console's golden screens after a deliberate change.
golden: tests/integration/console_test$(EXEEXT)
	PH_GOLDEN_UPDATE=1 top_srcdir=$(abs_top_srcdir) \
	    tests/integration/console_test$(EXEEXT)
.PHONY: golden

# The console's host over a real cache, and "pilothouse snapshot".
check_PROGRAMS += tests/integration/console_host_test
TESTS += tests/integration/console_host_test tests/integration/snapshot.sh
tests_integration_console_host_test_LDADD = $(TEST_LDADD)
EXTRA_DIST += tests/integration/snapshot.sh
