# tests/unit/ui.mk -- unit tests of the ui layer.
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

# The model modules the console brought: diffs and files.
FILES_UNIT_TESTS = tests/unit/diff_test tests/unit/files_test
check_PROGRAMS += $(FILES_UNIT_TESTS)
TESTS += $(FILES_UNIT_TESTS)
tests_unit_diff_test_LDADD = $(TEST_LDADD)
tests_unit_files_test_LDADD = $(TEST_LDADD)

TIMELINE_UNIT_TESTS = tests/unit/timeline_test
check_PROGRAMS += $(TIMELINE_UNIT_TESTS)
TESTS += $(TIMELINE_UNIT_TESTS)
tests_unit_timeline_test_LDADD = $(TEST_LDADD)
