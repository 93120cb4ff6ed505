/* test_pagez.c - pages compressed on the compressor thread come back in
 * the order given, each the zlib stream of exactly the bytes given (read
 * back with libdeflate's decompressor), while the caller writes the next
 * page into the buffer it got back; stopping with a page in flight frees
 * it. */
#include <libdeflate.h>
#include <stdlib.h>
#include <string.h>

#include "render/pdf/pagez.h"
#include "unit.h"

/* Page k's operators: a few hundred bytes to 60 KB, each page its own. */
static void page_text(buf *b, int k)
{
	for (int i = 0; i < (k % 7 + 1) * 400; i++)
		buf_printf(b, "%d %d Td (p%d) Tj\n", k, i, k * 31 + i);
}

TEST(pages_come_back_in_order_and_whole)
{
	pagez *p = pagez_start(1);
	CHECK(p != NULL);
	if (!p)
		return;
	struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
	buf ops = {0}, want = {0}, prev = {0};
	int ok = 1, order = 1;
	for (int k = 0; k <= 40; k++) {
		unsigned char *z;
		size_t zn;
		int tag;
		/* the page before comes back first, whole */
		int had = pagez_take(p, &z, &zn, &tag);
		if (k > 0) {
			order &= had == 1 && tag == k - 1;
			size_t got = 0;
			char *out = malloc(prev.len + 1);
			ok &= had && zn > 0 && out &&
			      libdeflate_zlib_decompress(d, z, zn, out, prev.len,
							 &got) == LIBDEFLATE_SUCCESS &&
			      got == prev.len && !memcmp(out, prev.data, got);
			free(out);
			free(z);
		} else {
			order &= had == 0;      /* nothing in flight yet */
		}
		if (k == 40)
			break;
		/* what the caller draws into, kept to compare */
		want.len = 0;
		page_text(&want, k);
		page_text(&ops, k);
		pagez_give(p, &ops, k);
		CHECK(ops.len == 0);    /* an emptied buffer back */
		prev.len = 0;
		buf_put(&prev, want.data, want.len);
	}
	CHECK(order);
	CHECK(ok);
	/* a page in flight when stopping is freed (ASan and valgrind tell) */
	page_text(&ops, 3);
	pagez_give(p, &ops, 99);
	pagez_stop(p);
	libdeflate_free_decompressor(d);
	buf_free(&ops);
	buf_free(&want);
	buf_free(&prev);
}

int main(void)
{
	RUN(pages_come_back_in_order_and_whole);
	CHECK_EXIT();
}
