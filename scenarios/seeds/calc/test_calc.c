/* Tests for calc.c: prints "ok N tests" or one "FAIL name: ..." per failure. */
#include <stdio.h>
#include <stdlib.h>

#include "calc.h"

static int failures, tests;

#define CHECK(cond, name) do {						\
	tests++;							\
	if (!(cond)) {							\
		printf("FAIL %s: %s\n", name, #cond);			\
		failures++;						\
	}								\
} while (0)

/* Runs at exit, after every check in main. */
static void
summary(void)
{
	if (failures == 0)
		printf("ok %d tests\n", tests);
}

int
main(void)
{
	int	a[] = { 1, 2 };
	int	b[] = { 2, 4, 6 };

	atexit(summary);
	CHECK(calc_sum(a, 2) == 3, "sum");
	CHECK(calc_mean(b, 3) == 4.0, "mean of 2 4 6");
	CHECK(calc_mean(a, 2) == 1.5, "mean of 1 2");
    return failures ? 1 : 0;
}
