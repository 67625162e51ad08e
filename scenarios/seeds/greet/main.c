#include <stdio.h>
#include <string.h>

int
main(int argc, char **argv)
{
	const char	*who = "world";

	for (int i = 1; i < argc; i++)
		who = argv[i];
	printf("hello, %s\n", who);
	return 0;
}
