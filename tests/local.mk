# tests/local.mk -- the test suite (TAP).  Every C test links the same
# library the program ships, so the tests run the objects we install.

TEST_LDADD = $(PH_LIBS)
EXTRA_DIST += tests/tap.h tests/lib.sh tests/fixture.h

include tests/unit/local.mk
include tests/fuzz/local.mk
include tests/integration/local.mk
EXTRA_DIST += tests/node/package.json tests/node/package-lock.json \
	tests/node/ensure-sdk.sh
# Wire-format samples from the reference material, shared by all suites.
EXTRA_DIST += tests/data/fixtures

# tests/node/ensure-sdk.sh installs the pinned SDK into the build tree;
# distclean removes it (and, out of tree, the package files it copied).
distclean-local:
	-rm -rf $(top_builddir)/tests/node/node_modules \
	    $(top_builddir)/tests/node/.install.lock
	-test "$(abs_top_builddir)" = "$(abs_top_srcdir)" || \
	    rm -f $(top_builddir)/tests/node/package.json \
	    $(top_builddir)/tests/node/package-lock.json
