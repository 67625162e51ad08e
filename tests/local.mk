# tests/local.mk -- the test suite (TAP).  Every C test links the same
# library the program ships, so the tests run the objects we install.

TEST_LDADD = $(PH_LIBS)
EXTRA_DIST += tests/tap.h tests/lib.sh

include tests/unit/local.mk
