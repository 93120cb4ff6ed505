/* test_buf.c - the growing text buffer (builder/base/arena.c: buf_put,
 * buf_printf): formatted text appended whole, however it compares with
 * the room left, and always NUL-terminated. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "unit.h"

TEST(printf_appends_across_growth)
{
	buf b = {0};
	buf_printf(&b, "%d 0 R", 42);
	CHECK_STR(b.data, "42 0 R");
	CHECK(b.len == 6);
	/* fill up to just below the capacity, then a format that does not
	 * fit the room left: appended whole after the buffer grows */
	size_t cap = b.cap;
	while (b.len + 3 < cap)
		buf_put(&b, "x", 1);
	CHECK(b.cap == cap);
	buf_printf(&b, "[%s]", "longer than three");
	CHECK(b.cap > cap);
	CHECK(b.len == cap - 3 + 19);
	CHECK_STR(b.data + cap - 3, "[longer than three]");
	/* one format larger than the whole buffer */
	char big[10000];
	memset(big, 'y', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	size_t before = b.len;
	buf_printf(&b, "<%s>", big);
	CHECK(b.len == before + sizeof big + 1);
	CHECK(b.data[before] == '<' && b.data[b.len - 1] == '>');
	CHECK(b.data[b.len] == '\0');
	/* an empty format adds nothing and keeps the NUL */
	buf_printf(&b, "%s", "");
	CHECK(b.len == before + sizeof big + 1 && b.data[b.len] == '\0');
	buf_free(&b);
}

TEST(printf_into_empty_buffer)
{
	buf b = {0};
	buf_printf(&b, "%s", "");
	CHECK(b.len == 0 && b.data && b.data[0] == '\0');
	buf_printf(&b, "%lu-%s", 7ul, "a");
	CHECK_STR(b.data, "7-a");
	buf_free(&b);
}

int main(void)
{
	RUN(printf_appends_across_growth);
	RUN(printf_into_empty_buffer);
	CHECK_EXIT();
}
