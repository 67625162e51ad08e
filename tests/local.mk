# tests/local.mk -- the test suite (TAP).  Every C test links the same
# library the program ships, so the tests run the objects we install.

TEST_LDADD = $(PH_LIBS)
EXTRA_DIST += tests/tap.h tests/lib.sh tests/fixture.h \
	tests/fixture_events.h

include tests/unit/local.mk
include tests/fuzz/local.mk
include tests/fuzz/draw.mk
include tests/integration/local.mk
include tests/conformance/local.mk
EXTRA_DIST += tests/node/package.json tests/node/package-lock.json \
	tests/node/node22/package.json tests/node/node22/package-lock.json \
	tests/node/ensure-sdk.sh
# Wire-format samples from the reference material, shared by all suites.
EXTRA_DIST += tests/data/fixtures tests/data/session/gen-session.py
# ensure-sdk.sh installs into the build directory; in a separate one (as
# in distcheck) that is ours to remove.  In the source tree the copies
# are the sources themselves, and node_modules is ignored by git.
distclean-local: distclean-node
distclean-node:
	if test "$(abs_builddir)" != "$(abs_srcdir)"; then \
	    rm -rf tests/node/node_modules tests/node/package.json \
	    tests/node/package-lock.json tests/node/.install.lock \
	    tests/node/node22; fi
.PHONY: distclean-node
include tests/e2e/local.mk
include tests/integration/console.mk
