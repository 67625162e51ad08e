# tests/conformance/local.mk -- the official SDK against "pilothouse serve".
CONFORMANCE_TESTS = tests/conformance/sdk.sh
TESTS += $(CONFORMANCE_TESTS)
EXTRA_DIST += $(CONFORMANCE_TESTS) tests/conformance/sdk.mjs \
	tests/conformance/scenarios/sdk-conformance.json
