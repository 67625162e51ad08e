/* ISC licence: see COPYING.  Tests for base/buf: ceilings and growth. */

#include "config.h"

#include "base/buf.h"
#include "tap.h"

int
main(void)
{
	struct buf	 b;
	char		*s;
	size_t		 len;

	buf_init(&b, 8);
	is_str(buf_cstr(&b), "", "an empty buffer reads as \"\"");
	ok(buf_append(&b, "abcd", 4) == 0, "append within the ceiling");
	ok(buf_append(&b, "efgh", 4) == 0, "append up to the ceiling");
	ok(buf_append(&b, "i", 1) == -1, "append past the ceiling fails");
	is_int(b.len, 8, "a failed append leaves the length alone");
	is_str(buf_cstr(&b), "abcdefgh", "contents are NUL-terminated");
	buf_consume(&b, 3);
	is_str(buf_cstr(&b), "defgh", "consume drops the front");
	ok(buf_printf(&b, "%d", 123) == 0, "printf within the ceiling");
	ok(buf_printf(&b, "%d", 4567) == -1, "printf past the ceiling fails");
	is_str(buf_cstr(&b), "defgh123", "failed printf appends nothing");
	buf_truncate(&b, 2);
	is_str(buf_cstr(&b), "de", "truncate");
	s = buf_steal(&b, &len);
	is_str(s, "de", "steal returns the contents");
	is_int(len, 2, "steal returns the length");
	ok(b.data == NULL && b.len == 0, "steal empties the buffer");
	free(s);

	buf_init(&b, BUF_UNBOUNDED);
	for (int i = 0; i < 10000; i++)
		if (buf_putc(&b, 'x') != 0)
			break;
	is_int(b.len, 10000, "growth by one byte at a time");
	buf_release(&b, 4096);
	ok(b.data == NULL, "release frees a large allocation");
	ok(buf_puts(&b, "y") == 0 && b.size <= 4096, "small again after release");
	buf_release(&b, 4096);
	ok(b.data != NULL && b.len == 0, "release keeps a small allocation");
	buf_clear(&b);
	return done_testing();
}
