/* test_impose.c - saddle-stitch order and padding (builder/impose.c). */
#include "unit.h"
#include "render/pdf/impose.h"

/* The padded sequence as a string: digits for pages, '_' for blanks. */
static void seq_str(int npages, int back, char *out)
{
	int seq[64], n = impose_pad(npages, back, seq), i;

	for (i = 0; i < n; i++)
		out[i] = seq[i] < 0 ? '_' : (char)('0' + seq[i]);
	out[n] = 0;
}

/* Every side of the imposition as "L|R " with 1-based page numbers. */
static void order_str(int n, char *out)
{
	int side, len = 0;

	for (side = 0; side < impose_sides(n); side++)
		len += sprintf(out + len, "%d|%d ", impose_slot(n, side, 0) + 1,
			       impose_slot(n, side, 1) + 1);
	out[len] = 0;
}

TEST(pad_counts)
{
	CHECK(impose_padded_count(0) == 0);
	CHECK(impose_padded_count(1) == 4);
	CHECK(impose_padded_count(4) == 4);
	CHECK(impose_padded_count(5) == 8);
	CHECK(impose_padded_count(8) == 8);
	CHECK(impose_padded_count(9) == 12);
}

TEST(pad_back_cover)
{
	char s[64];

	seq_str(1, 1, s); CHECK_STR(s, "0___");
	seq_str(1, 0, s); CHECK_STR(s, "0___");
	seq_str(4, 1, s); CHECK_STR(s, "0123");
	seq_str(5, 1, s); CHECK_STR(s, "0123___4");
	seq_str(5, 0, s); CHECK_STR(s, "01234___");
	seq_str(8, 1, s); CHECK_STR(s, "01234567");
	seq_str(9, 1, s); CHECK_STR(s, "01234567___8");
	seq_str(9, 0, s); CHECK_STR(s, "012345678___");
	seq_str(2, 1, s); CHECK_STR(s, "0__1");
}

TEST(order)
{
	char s[256];

	order_str(4, s); CHECK_STR(s, "4|1 2|3 ");
	order_str(8, s); CHECK_STR(s, "8|1 2|7 6|3 4|5 ");
	order_str(12, s);
	CHECK_STR(s, "12|1 2|11 10|3 4|9 8|5 6|7 ");
}

TEST(formula_and_coverage)
{
	int n, side, pos;

	for (n = 4; n <= 64; n += 4) {
		int seen[64] = {0};

		CHECK(impose_sides(n) == n / 2);
		for (side = 0; side < n / 2; side++) {
			int k = side / 2 + 1;
			int front = side % 2 == 0;

			CHECK(impose_slot(n, side, 0) + 1 ==
			      (front ? n - 2 * k + 2 : 2 * k));
			CHECK(impose_slot(n, side, 1) + 1 ==
			      (front ? 2 * k - 1 : n - 2 * k + 1));
			for (pos = 0; pos < 2; pos++)
				seen[impose_slot(n, side, pos)]++;
		}
		for (pos = 0; pos < n; pos++)
			CHECK(seen[pos] == 1);
	}
}

TEST(out_of_range)
{
	CHECK(impose_slot(0, 0, 0) == -1);
	CHECK(impose_slot(5, 0, 0) == -1);
	CHECK(impose_slot(4, 2, 0) == -1);
	CHECK(impose_slot(4, 0, 2) == -1);
	CHECK(impose_slot(4, -1, 0) == -1);
	CHECK(impose_sides(6) == 0);
}

int main(void)
{
	RUN(pad_counts);
	RUN(pad_back_cover);
	RUN(order);
	RUN(formula_and_coverage);
	RUN(out_of_range);
	CHECK_EXIT();
}
