/* test_ocf.c - the EPUB's zip container (builder/render/epub/ocf.c): read
 * back field by field as the zip format defines it (the local headers in
 * order, the central directory pointing at them, its end record), each
 * entry's bytes inflated and checked against its CRC; mimetype stored
 * first with no extra field (EPUB's rule), images stored, text deflated;
 * the date from the epoch; the same entries give the same bytes; and
 * unzip(1) agrees. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libdeflate.h>

#include "unit.h"
#include "base/arena.h"
#include "render/epub/ocf.h"

static unsigned u16(const unsigned char *p)
{
	return p[0] | p[1] << 8;
}

static uint32_t u32(const unsigned char *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* The entry at local header offset `at` of zip z: its method, name and
 * bytes (inflated into out, room for cap). 1 when the header is sound and
 * the bytes match their CRC and size. */
static int read_entry(const unsigned char *z, size_t zlen, size_t at,
		      unsigned *method, char *name, size_t namecap,
		      unsigned char *out, size_t cap, size_t *outlen)
{
	if (at + 30 > zlen || u32(z + at) != 0x04034b50)
		return 0;
	*method = u16(z + at + 8);
	uint32_t crc = u32(z + at + 14), csize = u32(z + at + 18);
	uint32_t usize = u32(z + at + 22);
	unsigned nlen = u16(z + at + 26), elen = u16(z + at + 28);
	if (elen != 0 || nlen >= namecap || at + 30 + nlen + csize > zlen ||
	    usize > cap)
		return 0;
	memcpy(name, z + at + 30, nlen);
	name[nlen] = 0;
	const unsigned char *data = z + at + 30 + nlen;
	if (*method == 0) {
		if (csize != usize)
			return 0;
		memcpy(out, data, usize);
	} else {
		struct libdeflate_decompressor *d = libdeflate_alloc_decompressor();
		size_t got = 0;
		int rc = libdeflate_deflate_decompress(d, data, csize, out, cap,
						       &got);
		libdeflate_free_decompressor(d);
		if (rc != LIBDEFLATE_SUCCESS || got != usize)
			return 0;
	}
	*outlen = usize;
	return libdeflate_crc32(0, out, usize) == crc;
}

TEST(entries_read_back)
{
	char text[6000];
	for (size_t i = 0; i < sizeof text; i++)
		text[i] = "<p>Bonding takes time.</p>\n"[i % 27];
	const unsigned char png[] = "\x89PNG\r\n\x1a\nnot really";
	ocf_entry e[] = {
		{"mimetype", "application/epub+zip", 20, 1},
		{"OEBPS/article.xhtml", text, sizeof text, 0},
		{"OEBPS/cover.png", png, sizeof png - 1, 1},
		{"OEBPS/caf\xc3\xa9.xhtml", "x", 1, 0},
		{"OEBPS/empty.css", "", 0, 0},
	};
	size_t n = sizeof e / sizeof *e;
	buf z = {0};
	char err[200] = "";
	CHECK(ocf_write(e, n, 1577836800LL /* 2020-01-01 */, &z, err,
			sizeof err) == 0);
	const unsigned char *p = (const unsigned char *)z.data;
	/* mimetype: first, stored, no extra field, its name at offset 30 */
	CHECK(z.len > 38 && u32(p) == 0x04034b50 && u16(p + 8) == 0 &&
	      u16(p + 28) == 0 && !memcmp(p + 30, "mimetypeapplication/epub+zip", 28));
	/* the end record: n entries, the directory where it says */
	CHECK(z.len >= 22 && u32(p + z.len - 22) == 0x06054b50);
	size_t cd = u32(p + z.len - 6), cdsize = u32(p + z.len - 10);
	CHECK(u16(p + z.len - 12) == n && cd + cdsize == z.len - 22);
	size_t at = cd;
	for (size_t i = 0; i < n && at + 46 <= z.len; i++) {
		CHECK(u32(p + at) == 0x02014b50);
		/* -rw-r--r--, DOS date 2020-01-01 00:00 */
		CHECK(u32(p + at + 38) == (uint32_t)0100644 << 16);
		CHECK(u16(p + at + 12) == 0 &&
		      u16(p + at + 14) == ((2020 - 1980) << 9 | 1 << 5 | 1));
		/* the UTF-8 flag on the one non-ASCII name only */
		CHECK(!!(u16(p + at + 8) & 0x800) == (i == 3));
		unsigned method = 99;
		char name[100] = "";
		static unsigned char back[8000];
		size_t blen = 0;
		CHECK(read_entry(p, z.len, u32(p + at + 42), &method, name,
				 sizeof name, back, sizeof back, &blen));
		CHECK_STR(name, e[i].name);
		CHECK(blen == e[i].len && !memcmp(back, e[i].data, blen));
		CHECK(method == (i == 1 ? 8u : 0u));  /* text deflated */
		at += 46 + u16(p + at + 28);
	}
	CHECK(at == cd + cdsize);
	/* the same entries, the same bytes */
	buf z2 = {0};
	CHECK(ocf_write(e, n, 1577836800LL, &z2, err, sizeof err) == 0);
	CHECK(z2.len == z.len && !memcmp(z2.data, z.data, z.len));
	/* unzip(1) reads it and finds every CRC right */
	char path[] = "/tmp/chapbook-test-ocf-XXXXXX";
	int fd = mkstemp(path);
	CHECK(fd >= 0 && write(fd, z.data, z.len) == (ssize_t)z.len);
	if (fd >= 0)
		close(fd);
	char cmd[200];
	snprintf(cmd, sizeof cmd, "unzip -tqq %s >/dev/null 2>&1", path);
	CHECK(system(cmd) == 0);
	unlink(path);
	buf_free(&z);
	buf_free(&z2);
}

TEST(dates_before_1980)
{
	ocf_entry e = {"mimetype", "application/epub+zip", 20, 1};
	buf z = {0};
	char err[200];
	CHECK(ocf_write(&e, 1, 0, &z, err, sizeof err) == 0);
	/* DOS dates start in 1980: 1980-01-01 00:00 */
	CHECK(z.len > 14 && u16((unsigned char *)z.data + 10) == 0 &&
	      u16((unsigned char *)z.data + 12) == (1 << 5 | 1));
	buf_free(&z);
}

int main(void)
{
	RUN(entries_read_back);
	RUN(dates_before_1980);
	CHECK_EXIT();
}
