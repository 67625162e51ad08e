/*
 * fuzz.h -- the libFuzzer entry point every target defines, shared by
 * the real fuzzers (--enable-fuzzing) and the replay driver that runs
 * each corpus in make check.  A target reports a broken invariant by
 * calling fuzz_fail(), which aborts so both drivers see a crash.
 */
#ifndef PILOTHOUSE_FUZZ_H
#define PILOTHOUSE_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define fuzz_fail(...) do {						\
	fprintf(stderr, "fuzz invariant broken at %s:%d: ", __FILE__,	\
	    __LINE__);							\
	fprintf(stderr, __VA_ARGS__);					\
	fputc('\n', stderr);						\
	abort();							\
} while (0)

#endif
