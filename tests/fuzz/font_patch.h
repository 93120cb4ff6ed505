/* font_patch.h - the input format shared by the font fuzz targets
 * (fuzz_face.c): an input is a font itself (first byte 'F')
 * or a list of patches to a real font - Charis SIL (first byte even) or
 * DejaVu Serif, which has kerning (odd; from Debian fonts-dejavu-core,
 * else Charis) - so mutations reach deep into well-formed tables: each
 * patch is a table number (modulo the font's table count; the directory
 * itself is one more), a 3-byte big-endian offset into that table (modulo
 * its length), a length byte, and that many bytes written there. Run from
 * the repository root. */
#ifndef CHAPBOOK_FONT_PATCH_H
#define CHAPBOOK_FONT_PATCH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned char *fp_base[2];
static size_t fp_base_len[2];
static unsigned char *fp_work;

static unsigned char *fp_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	unsigned char *p = NULL;
	long n;
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) > 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (p = malloc((size_t)n)) &&
	    fread(p, 1, (size_t)n, f) == (size_t)n) {
		*len = (size_t)n;
	} else {
		free(p);
		p = NULL;
	}
	fclose(f);
	return p;
}

static void fp_release(void)
{
	free(fp_base[0]);
	if (fp_base[1] != fp_base[0])
		free(fp_base[1]);
	free(fp_work);
}

/* Read the two base fonts once. */
static void fp_init(void)
{
	if (fp_base[0])
		return;
	fp_base[0] = fp_slurp("fonts/CharisSIL-Regular.ttf", &fp_base_len[0]);
	if (!fp_base[0])
		abort();   /* run from the repository root */
	fp_base[1] = fp_slurp("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
			      &fp_base_len[1]);
	if (!fp_base[1]) {
		fp_base[1] = fp_base[0];
		fp_base_len[1] = fp_base_len[0];
	}
	size_t max = fp_base_len[0] > fp_base_len[1] ? fp_base_len[0] :
						       fp_base_len[1];
	fp_work = malloc(max);
	if (!fp_work)
		abort();
	atexit(fp_release);
}

/* The font an input stands for: the bytes after 'F', or a base font with
 * the input's patches applied (in a buffer reused by the next call). */
static const unsigned char *fp_font(const uint8_t *data, size_t size,
				    size_t *out_len)
{
	fp_init();
	if (size && data[0] == 'F') {
		*out_len = size - 1;
		return data + 1;
	}
	int which = size ? data[0] & 1 : 0;
	const unsigned char *b = fp_base[which];
	size_t len = fp_base_len[which], at = size ? 1 : 0;
	size_t ntables = len >= 12 ? (size_t)(b[4] << 8 | b[5]) : 0;
	memcpy(fp_work, b, len);
	while (at + 5 <= size) {
		size_t t = data[at] % (ntables + 1), start = 0, tlen = 12 + ntables * 16;
		size_t off = (size_t)data[at + 1] << 16 | (size_t)data[at + 2] << 8 |
			     data[at + 3];
		size_t n = data[at + 4];
		at += 5;
		if (t < ntables) {   /* a table (offsets of the unpatched font) */
			const unsigned char *e = b + 12 + t * 16;
			start = (size_t)e[8] << 24 | (size_t)e[9] << 16 |
				(size_t)e[10] << 8 | e[11];
			tlen = (size_t)e[12] << 24 | (size_t)e[13] << 16 |
			       (size_t)e[14] << 8 | e[15];
		}
		if (start >= len || !tlen)
			continue;
		if (tlen > len - start)
			tlen = len - start;
		off = start + off % tlen;
		if (n > size - at)
			n = size - at;
		if (n > len - off)
			n = len - off;
		memcpy(fp_work + off, data + at, n);
		at += n;
	}
	*out_len = len;
	return fp_work;
}

#endif
