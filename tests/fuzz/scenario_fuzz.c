/*
 * ISC licence: see COPYING.  libFuzzer target for harness/scenario: the
 * input is a scenario file (JSON a user or a downloaded demo supplies),
 * loaded and validated from memory.
 */

#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "harness/scenario.h"

#define FUZZ_SCENARIO_PATH	"fuzz/scenario.json"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	struct scenario	*sc;
	char		*cause = NULL;

	if (len > 256 * 1024)
		return 0;
	sc = scenario_load_mem(FUZZ_SCENARIO_PATH, (const char *)data, len,
	    &cause);
	if (sc == NULL) {
		/* Every error names the file it is about. */
		if (cause == NULL || strncmp(cause, FUZZ_SCENARIO_PATH,
		    strlen(FUZZ_SCENARIO_PATH)) != 0)
			fuzz_fail("error does not name the file: %s\n",
			    cause != NULL ? cause : "(none)");
		free(cause);
		return 0;
	}
	if (sc->name == NULL || sc->path == NULL || sc->dir == NULL)
		fuzz_fail("a loaded scenario has no name, path or dir\n");
	scenario_unref(sc);
	return 0;
}
