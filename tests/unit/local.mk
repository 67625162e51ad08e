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

# The ui layer.
UI_UNIT_TESTS = \
	tests/unit/backend_text_test tests/unit/canvas_test \
	tests/unit/draw_test tests/unit/keymap_test tests/unit/layout_test \
	tests/unit/theme_test tests/unit/width_test
check_PROGRAMS += $(UI_UNIT_TESTS)
TESTS += $(UI_UNIT_TESTS)
tests_unit_backend_text_test_LDADD = $(TEST_LDADD)
tests_unit_canvas_test_LDADD = $(TEST_LDADD)
tests_unit_draw_test_LDADD = $(TEST_LDADD)
tests_unit_keymap_test_LDADD = $(TEST_LDADD)
tests_unit_layout_test_LDADD = $(TEST_LDADD)
tests_unit_theme_test_LDADD = $(TEST_LDADD)
tests_unit_width_test_LDADD = $(TEST_LDADD)

# doc/KEYS.md is generated from the keymap table; keymap_test checks it.
keys: tests/unit/keymap_test$(EXEEXT)
	tests/unit/keymap_test$(EXEEXT) --write $(srcdir)/doc/KEYS.md
.PHONY: keys
EXTRA_DIST += doc/KEYS.md
