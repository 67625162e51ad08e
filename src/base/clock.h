/*
 * clock.h -- monotonic and wall clocks in microseconds, and RFC 3339
 * timestamps as the API writes them ("2026-11-19T14:02:11.694913Z").
 */
#ifndef PILOTHOUSE_CLOCK_H
#define PILOTHOUSE_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "base/compiler.h"

#define CLOCK_RFC3339_LEN	32	/* buffer size for clock_format */

int64_t	 clock_mono_us(void);
int64_t	 clock_real_us(void);
/* Format us since the epoch with 0, 3 or 6 fraction digits, UTC "Z". */
void	 clock_format(int64_t, int, char *, size_t);
/* Parse RFC 3339 (Z or +hh:mm, optional fraction); -1 on junk. */
int	 clock_parse(const char *, size_t, int64_t *) AD_WARN_UNUSED;

#endif
