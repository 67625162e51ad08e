/* ISC licence: see COPYING.  Tests for wire/api_budget: sliding windows. */

#include "config.h"

#include "tap.h"
#include "wire/api_budget.h"

int
main(void)
{
	struct api_budget	b;
	int			n;

	/* 3 per 100 ms. */
	api_budget_init(&b, 3, 100);
	is_int(api_budget_take(&b, 1000), 0, "1st at 1000");
	is_int(api_budget_take(&b, 1010), 0, "2nd at 1010");
	is_int(api_budget_take(&b, 1020), 0, "3rd at 1020");
	is_int(api_budget_take(&b, 1030), 70, "4th waits until 1100");
	is_int(api_budget_take(&b, 1099), 1, "still 1 ms at 1099");
	is_int(api_budget_take(&b, 1100), 0, "4th at 1100");
	is_int(api_budget_take(&b, 1100), 10, "5th waits for 1010's slot");
	is_int(api_budget_take(&b, 1500), 0, "after a quiet spell...");
	is_int(api_budget_take(&b, 1500), 0, "...a burst up to the limit");
	is_int(api_budget_take(&b, 1500), 0, "(3)");
	is_int(api_budget_take(&b, 1500), 100, "and no more");
	api_budget_clear(&b);

	/* A burst of 1,000 against 600 a minute: exactly 600 go at once. */
	api_budget_init(&b, 600, 60000);
	n = 0;
	for (int i = 0; i < 1000; i++)
		if (api_budget_take(&b, 5) == 0)
			n++;
	is_int(n, 600, "600 of a 1,000 burst start at once");
	is_int(api_budget_take(&b, 5), 60000, "the 601st waits a minute");
	is_int(api_budget_take(&b, 60005), 0, "and then goes");
	api_budget_clear(&b);

	/* Limit 0: unlimited. */
	api_budget_init(&b, 0, 60000);
	n = 0;
	for (int i = 0; i < 100000; i++)
		if (api_budget_take(&b, 0) == 0)
			n++;
	is_int(n, 100000, "no limit");
	api_budget_clear(&b);
	return done_testing();
}
