/* test_utf8.c - the one UTF-8 codec (builder/base/utf8.c): decoding,
 * malformed input, encoding, stepping back, counting. */
#include <string.h>

#include "base/utf8.h"
#include "unit.h"

TEST(decode)
{
	size_t used;
	CHECK(utf8_decode("A", 1, &used) == 'A' && used == 1);
	CHECK(utf8_decode("\xC3\xA9", 2, &used) == 0xE9 && used == 2);
	CHECK(utf8_decode("\xE2\x80\x99", 3, &used) == 0x2019 && used == 3);
	CHECK(utf8_decode("\xF0\x9F\x98\x80", 4, &used) == 0x1F600 && used == 4);
}

TEST(malformed)
{
	size_t used;
	CHECK(utf8_decode("\xE2\x80", 2, &used) == 0xFFFD && used == 1);
	CHECK(utf8_decode("\xC0\xAF", 2, &used) == 0xFFFD && used == 1);
	CHECK(utf8_decode("\xED\xA0\x80", 3, &used) == 0xFFFD && used == 1);
	CHECK(utf8_decode("\xF4\x90\x80\x80", 4, &used) == 0xFFFD && used == 1);
	CHECK(utf8_decode("\xFF", 1, &used) == 0xFFFD && used == 1);
	CHECK(utf8_decode("", 0, &used) == 0xFFFD && used == 0);
	CHECK(utf8_valid("caf\xC3\xA9 \xEF\xBF\xBD", 9));
	CHECK(!utf8_valid("caf\xC3", 4));
	CHECK(!utf8_valid("\xED\xA0\x80", 3));
}

TEST(encode_round_trip)
{
	static const unsigned cps[] = {0x41, 0xE9, 0x7FF, 0x800, 0x2019,
				       0xFFFD, 0x10000, 0x1F600, 0x10FFFF};
	for (size_t i = 0; i < sizeof cps / sizeof *cps; i++) {
		char b[4];
		size_t n = utf8_encode(cps[i], b), used;
		CHECK(utf8_decode(b, n, &used) == cps[i] && used == n);
	}
}

/* UTF-16 units: one below U+10000, a surrogate pair above. */
TEST(utf16)
{
	uint16_t u[2];
	CHECK(utf16_encode(0x41, u) == 1 && u[0] == 0x41);
	CHECK(utf16_encode(0x2013, u) == 1 && u[0] == 0x2013);
	CHECK(utf16_encode(0xFFFF, u) == 1 && u[0] == 0xFFFF);
	CHECK(utf16_encode(0x10000, u) == 2 && u[0] == 0xD800 && u[1] == 0xDC00);
	CHECK(utf16_encode(0x1F476, u) == 2 && u[0] == 0xD83D && u[1] == 0xDC76);
	CHECK(utf16_encode(0x10FFFF, u) == 2 && u[0] == 0xDBFF && u[1] == 0xDFFF);
}

TEST(prev_and_count)
{
	const char *s = "a\xC3\xA9\xE2\x80\x99\xF0\x9F\x98\x80";
	size_t len = strlen(s);
	CHECK(utf8_prev(s, len) == 6);
	CHECK(utf8_prev(s, 6) == 3);
	CHECK(utf8_prev(s, 3) == 1);
	CHECK(utf8_prev(s, 1) == 0);
	CHECK(utf8_prev(s, 0) == 0);
	CHECK(utf8_count(s, len) == 4);
	/* stray continuation bytes count one each */
	CHECK(utf8_count("\x80\x80x", 3) == 3);
	CHECK(utf8_prev("\x80\x80", 2) == 1);
}

int main(void)
{
	RUN(decode);
	RUN(malformed);
	RUN(encode_round_trip);
	RUN(utf16);
	RUN(prev_and_count);
	CHECK_EXIT();
}
