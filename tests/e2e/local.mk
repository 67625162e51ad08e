# tests/e2e/local.mk -- the real binary (or the ui probe) in a real
# terminal: tmux with a private socket at fixed sizes.
check_PROGRAMS += tests/e2e/ui_probe
tests_e2e_ui_probe_LDADD = $(TEST_LDADD)

E2E_TESTS = tests/e2e/backend_test.sh tests/e2e/console_test.sh \
	tests/e2e/preview_test.sh \
	tests/e2e/replay_test.sh
TESTS += $(E2E_TESTS)
EXTRA_DIST += $(E2E_TESTS) tests/e2e/lib-tmux.sh tests/data/console/e2e
