/* png.c - owns the PNG writer (see png.h): the chunks, a filter per row
 * and the zlib stream, deflated here. A page drawn 1600 px wide is 10.9 MB
 * of rows, and a general-purpose compressor reads every byte of them
 * looking for matches (libdeflate's fastest level: 13 instructions a byte,
 * 143 M for the EPUB's cover). What a drawn page holds is simpler:
 *   - a row equal to the row above (margins, colour fields) is filtered
 *     Up, all zeros, and coded as one run without being read again (the
 *     comparison with the row above is all it costs);
 *   - any other row is filtered Sub, Up or None, whichever has the
 *     smallest sum of magnitudes (PNG's own heuristic), and coded as
 *     literals and runs of one byte: deflate matches at distance 1, which
 *     is zlib's Z_RLE strategy, made for PNG data;
 *   - the symbols are gathered into blocks, each with Huffman codes built
 *     for it (length-limited, complete, as zlib's inflate requires). */
#include "render/raster/png.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libdeflate.h>

#include "base/arena.h"
#include "base/mem.h"

enum {
	/* a block ends after this many symbols: codes fitted to a few rows
	 * make the drawn cover 7% smaller than one code for 64K symbols */
	PNG_BLOCK_SYMS = 1 << 12,
	PNG_MAX_BITS = 15,         /* longest literal/length or distance code */
	PNG_MAX_CL_BITS = 7,       /* longest code-length code */
	PNG_NLITLEN = 286,
	PNG_NDIST = 30,
	PNG_NCL = 19,
	PNG_EOB = 256,
	PNG_MIN_RUN = 3,
	PNG_MAX_RUN = 258,
	PNG_ADLER_MOD = 65521,
};

/* A symbol of a block: a literal byte, or PNG_RUN | n, a run of n (3 to
 * 258) copies of the byte before (a match at distance 1). */
#define PNG_RUN 0x10000u

/* Length codes 257..285: the first length of each and its extra bits. */
static const uint16_t len_base[29] = {
	3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51,
	59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {
	0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4,
	4, 5, 5, 5, 5, 0};
/* The order in which code-length code lengths are stored. */
static const uint8_t cl_order[PNG_NCL] = {
	16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};

/* The zlib stream being written. */
typedef struct png_z {
	unsigned char *out;        /* the stream so far */
	size_t len, cap;
	uint64_t acc;              /* bits not yet in out, first bit lowest */
	int nacc;
	uint32_t *sym;             /* the block being gathered */
	size_t nsym, capsym;
	uint32_t lfreq[PNG_NLITLEN], dfreq[PNG_NDIST];
	int last;                  /* the last byte coded, -1 before any */
	size_t run;                /* copies of it not yet coded */
	uint32_t adler;            /* of the bytes so far */
	uint8_t lcode[PNG_MAX_RUN + 1];   /* run length -> length code - 257 */
} png_z;

/* ---- bits ----------------------------------------------------------------- */

static void z_room(png_z *z, size_t more)
{
	if (z->cap - z->len >= more)
		return;
	size_t cap = z->cap ? z->cap : 1 << 16;
	while (cap - z->len < more)
		cap *= 2;
	z->out = xrealloc(z->out, cap);
	z->cap = cap;
}

/* n (at most 32) bits of v, lowest first; room is made by the caller. */
static inline void z_bits(png_z *z, uint32_t v, int n)
{
	z->acc |= (uint64_t)v << z->nacc;
	z->nacc += n;
	if (z->nacc >= 32) {
		unsigned char *p = z->out + z->len;
		p[0] = (unsigned char)z->acc;
		p[1] = (unsigned char)(z->acc >> 8);
		p[2] = (unsigned char)(z->acc >> 16);
		p[3] = (unsigned char)(z->acc >> 24);
		z->len += 4;
		z->acc >>= 32;
		z->nacc -= 32;
	}
}

/* The bits left, padded with zeros to a whole byte. */
static void z_align(png_z *z)
{
	z_room(z, 8);
	while (z->nacc > 0) {
		z->out[z->len++] = (unsigned char)z->acc;
		z->acc >>= 8;
		z->nacc -= 8;
	}
	z->acc = 0;
	z->nacc = 0;
}

/* ---- Huffman codes ------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* Code lengths len[0..n) for frequencies freq[0..n), none longer than
 * limit, the code complete (Kraft's sum exactly 1) when two or more
 * symbols occur. Huffman's lengths, then leaves too deep are lifted to
 * limit and the sum repaired: the least frequent codes lengthened, then
 * any room left given to the most frequent. Ties go by symbol, so the
 * lengths are the same on every run. */
static void huff_lengths(const uint32_t *freq, int n, int limit, uint8_t *len)
{
	uint64_t key[PNG_NLITLEN], w[2 * PNG_NLITLEN];
	int parent[2 * PNG_NLITLEN], depth[2 * PNG_NLITLEN], sym[PNG_NLITLEN];
	int m = 0;

	memset(len, 0, (size_t)n);
	for (int i = 0; i < n; i++)
		if (freq[i])
			key[m++] = (uint64_t)freq[i] << 16 | (unsigned)i;
	if (m == 0)
		return;
	if (m == 1) {
		len[key[0] & 0xFFFF] = 1;
		return;
	}
	qsort(key, (size_t)m, sizeof *key, cmp_u64);
	for (int i = 0; i < m; i++) {
		sym[i] = (int)(key[i] & 0xFFFF);
		w[i] = key[i] >> 16;
	}
	/* two queues: leaves in order, inner nodes in the order made */
	int leaf = 0, inner = m, next = m;
	for (int k = 0; k < m - 1; k++) {
		int pick[2];
		for (int j = 0; j < 2; j++) {
			if (leaf < m && (inner >= next || w[leaf] <= w[inner]))
				pick[j] = leaf++;
			else
				pick[j] = inner++;
		}
		w[next] = w[pick[0]] + w[pick[1]];
		parent[pick[0]] = parent[pick[1]] = next;
		next++;
	}
	depth[next - 1] = 0;
	for (int i = next - 2; i >= 0; i--)
		depth[i] = depth[parent[i]] + 1;
	const int64_t full = (int64_t)1 << limit;
	int64_t kraft = 0;
	int L[PNG_NLITLEN];
	for (int i = 0; i < m; i++) {
		L[i] = depth[i] > limit ? limit : depth[i];
		kraft += (int64_t)1 << (limit - L[i]);
	}
	while (kraft > full)
		for (int i = 0; i < m && kraft > full; i++)
			if (L[i] < limit) {
				kraft -= (int64_t)1 << (limit - L[i] - 1);
				L[i]++;
			}
	for (int changed = 1; kraft < full && changed;) {
		changed = 0;
		for (int i = m - 1; i >= 0; i--)
			if (L[i] > 1 && kraft + ((int64_t)1 << (limit - L[i])) <= full) {
				kraft += (int64_t)1 << (limit - L[i]);
				L[i]--;
				changed = 1;
			}
	}
	for (int i = 0; i < m; i++)
		len[sym[i]] = (uint8_t)L[i];
}

/* Canonical codes for lengths len[0..n), bit-reversed (deflate sends a
 * code's first bit lowest). */
static void huff_codes(const uint8_t *len, int n, uint16_t *code)
{
	unsigned count[PNG_MAX_BITS + 1] = {0}, next[PNG_MAX_BITS + 1];
	for (int i = 0; i < n; i++)
		count[len[i]]++;
	count[0] = 0;
	unsigned c = 0;
	for (int b = 1; b <= PNG_MAX_BITS; b++) {
		c = (c + count[b - 1]) << 1;
		next[b] = c;
	}
	for (int i = 0; i < n; i++) {
		code[i] = 0;
		if (!len[i])
			continue;
		unsigned v = next[len[i]]++, r = 0;
		for (int b = 0; b < len[i]; b++, v >>= 1)
			r = r << 1 | (v & 1);
		code[i] = (uint16_t)r;
	}
}

/* At least two of freq[0..n) non-zero, so that the code built is
 * complete (a lone code of one bit is not, and inflate may refuse it). */
static void two_symbols(uint32_t *freq, int n)
{
	int used = 0;
	for (int i = 0; i < n && used < 2; i++)
		used += freq[i] != 0;
	for (int i = 0; i < n && used < 2; i++)
		if (!freq[i]) {
			freq[i] = 1;
			used++;
		}
}

/* ---- blocks -------------------------------------------------------------- */

/* The code lengths of both codes, run-length coded with the code-length
 * alphabet (16: repeat the last 3-6 times, 17: 3-10 zeros, 18: 11-138
 * zeros) into cl[] as symbol | extra << 8; returns how many. */
static int cl_symbols(const uint8_t *lens, int n, uint16_t *cl, uint32_t *clfreq)
{
	int k = 0;
	for (int i = 0; i < n;) {
		int v = lens[i], r = 1;
		while (i + r < n && lens[i + r] == v)
			r++;
		i += r;
		if (v == 0) {
			while (r >= 11) {
				int t = r > 138 ? 138 : r;
				cl[k++] = (uint16_t)(18 | (t - 11) << 8);
				clfreq[18]++;
				r -= t;
			}
			if (r >= 3) {
				cl[k++] = (uint16_t)(17 | (r - 3) << 8);
				clfreq[17]++;
				r = 0;
			}
		} else {
			cl[k++] = (uint16_t)v;
			clfreq[v]++;
			r--;
			while (r >= 3) {
				int t = r > 6 ? 6 : r;
				cl[k++] = (uint16_t)(16 | (t - 3) << 8);
				clfreq[16]++;
				r -= t;
			}
		}
		for (; r > 0; r--) {
			cl[k++] = (uint16_t)v;
			clfreq[v]++;
		}
	}
	return k;
}

/* The block header of a dynamic block with these code lengths. */
static void block_header(png_z *z, int final, const uint8_t *llen, int hlit,
			 const uint8_t *dlen, int hdist)
{
	uint8_t lens[PNG_NLITLEN + PNG_NDIST], cllen[PNG_NCL];
	uint16_t cl[PNG_NLITLEN + PNG_NDIST], clcode[PNG_NCL];
	uint32_t clfreq[PNG_NCL] = {0};
	memcpy(lens, llen, (size_t)hlit);
	memcpy(lens + hlit, dlen, (size_t)hdist);
	int ncl = cl_symbols(lens, hlit + hdist, cl, clfreq);
	two_symbols(clfreq, PNG_NCL);
	huff_lengths(clfreq, PNG_NCL, PNG_MAX_CL_BITS, cllen);
	huff_codes(cllen, PNG_NCL, clcode);
	int hclen = PNG_NCL;
	while (hclen > 4 && !cllen[cl_order[hclen - 1]])
		hclen--;
	z_bits(z, (unsigned)final, 1);
	z_bits(z, 2, 2);                    /* dynamic Huffman codes */
	z_bits(z, (unsigned)(hlit - 257), 5);
	z_bits(z, (unsigned)(hdist - 1), 5);
	z_bits(z, (unsigned)(hclen - 4), 4);
	for (int i = 0; i < hclen; i++)
		z_bits(z, cllen[cl_order[i]], 3);
	static const uint8_t extra[3] = {2, 3, 7};
	for (int i = 0; i < ncl; i++) {
		int s = cl[i] & 0xFF;
		z_bits(z, clcode[s], cllen[s]);
		if (s >= 16)
			z_bits(z, (unsigned)(cl[i] >> 8), extra[s - 16]);
	}
}

/* Write the gathered symbols as one block (the last when final). */
static void block_write(png_z *z, int final)
{
	uint8_t llen[PNG_NLITLEN], dlen[PNG_NDIST];
	uint16_t lcode[PNG_NLITLEN], dcode[PNG_NDIST];
	z->lfreq[PNG_EOB]++;
	two_symbols(z->lfreq, PNG_NLITLEN);
	two_symbols(z->dfreq, PNG_NDIST);
	huff_lengths(z->lfreq, PNG_NLITLEN, PNG_MAX_BITS, llen);
	huff_lengths(z->dfreq, PNG_NDIST, PNG_MAX_BITS, dlen);
	huff_codes(llen, PNG_NLITLEN, lcode);
	huff_codes(dlen, PNG_NDIST, dcode);
	int hlit = PNG_NLITLEN, hdist = PNG_NDIST;
	while (hlit > 257 && !llen[hlit - 1])
		hlit--;
	while (hdist > 1 && !dlen[hdist - 1])
		hdist--;
	/* at most 48 bits a symbol, and the header */
	z_room(z, z->nsym * 6 + 1024);
	block_header(z, final, llen, hlit, dlen, hdist);
	for (size_t i = 0; i < z->nsym; i++) {
		uint32_t s = z->sym[i];
		if (!(s & PNG_RUN)) {
			z_bits(z, lcode[s], llen[s]);
			continue;
		}
		unsigned n = s & 0x1FF, k = z->lcode[n];
		z_bits(z, lcode[257 + k], llen[257 + k]);
		if (len_extra[k])
			z_bits(z, n - len_base[k], len_extra[k]);
		z_bits(z, dcode[0], dlen[0]);   /* distance 1: no extra bits */
	}
	z_bits(z, lcode[PNG_EOB], llen[PNG_EOB]);
	z->nsym = 0;
	memset(z->lfreq, 0, sizeof z->lfreq);
	memset(z->dfreq, 0, sizeof z->dfreq);
}

/* ---- symbols ------------------------------------------------------------- */

static inline void sym_put(png_z *z, uint32_t s)
{
	if (z->nsym == z->capsym) {
		z->capsym = z->capsym ? 2 * z->capsym : PNG_BLOCK_SYMS + 1024;
		z->sym = xrealloc(z->sym, z->capsym * sizeof *z->sym);
	}
	z->sym[z->nsym++] = s;
}

static inline void sym_literal(png_z *z, int b)
{
	sym_put(z, (uint32_t)b);
	z->lfreq[b]++;
}

/* The pending copies of the last byte as runs (and literals for one or
 * two left over). */
static void run_flush(png_z *z)
{
	size_t r = z->run;
	while (r >= PNG_MIN_RUN) {
		size_t n = r <= PNG_MAX_RUN ? r
			   : r - PNG_MAX_RUN < PNG_MIN_RUN ? r - PNG_MIN_RUN
			   : PNG_MAX_RUN;
		sym_put(z, PNG_RUN | (uint32_t)n);
		z->lfreq[257 + z->lcode[n]]++;
		z->dfreq[0]++;
		r -= n;
	}
	for (; r > 0; r--)
		sym_literal(z, z->last);
	z->run = 0;
}

/* n copies of byte b. */
static inline void put_same(png_z *z, int b, size_t n)
{
	if (n == 0)
		return;
	if (b != z->last) {
		run_flush(z);
		sym_literal(z, b);
		z->last = b;
		n--;
	}
	z->run += n;
}

/* Eight bytes at p, as one number (first byte lowest). */
static inline uint64_t load8(const unsigned char *p)
{
	uint64_t v;
	memcpy(&v, p, 8);
	return v;
}

static inline void store8(unsigned char *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

#define ONES 0x0101010101010101ull
#define HIGH 0x8080808080808080ull

/* Eight byte-wise differences a - b (mod 256), with no borrow between
 * bytes. */
static inline uint64_t sub8(uint64_t a, uint64_t b)
{
	return ((a | HIGH) - (b & ~HIGH)) ^ ((a ^ ~b) & HIGH);
}

/* How many bytes from p[0] on, up to end, equal b. */
static size_t same_bytes(const unsigned char *p, const unsigned char *end,
			 unsigned char b)
{
	const unsigned char *q = p;
	uint64_t bb = b * ONES;
	while (end - q >= 8) {
		uint64_t x = load8(q) ^ bb;
		if (x) {
			/* little-endian: the first differing byte is lowest */
			uint64_t lowest = x & (~x + 1);
			int k = 0;
			while (lowest > 0xFF) {
				lowest >>= 8;
				k++;
			}
			return (size_t)(q - p) + (size_t)k;
		}
		q += 8;
	}
	while (q < end && *q == b)
		q++;
	return (size_t)(q - p);
}

/* Bytes p[0..n): literals, and runs of a repeated byte. */
static void put_bytes(png_z *z, const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n;) {
		size_t k = same_bytes(p + i, p + n, p[i]);
		put_same(z, p[i], k);
		i += k;
	}
}

/* ---- rows ---------------------------------------------------------------- */

static inline unsigned mag(unsigned char d)
{
	return d < 128 ? d : 256u - d;
}

/* One byte in this many is read to choose a row's filter: the sums of a
 * sample choose as well as the whole row's (measured on drawn covers: the
 * same size within 0.5%) at a fifth of the cost. */
enum { PNG_SAMPLE = 29 };

/* f[0..n) = a[0..n) - b[0..n), byte by byte. */
static void diff_bytes(unsigned char *f, const unsigned char *a,
		       const unsigned char *b, size_t n)
{
	size_t i = 0;
	for (; i + 8 <= n; i += 8)
		store8(f + i, sub8(load8(a + i), load8(b + i)));
	for (; i < n; i++)
		f[i] = (unsigned char)(a[i] - b[i]);
}

/* Row filtered into f[0..n] (filter type first): Sub, Up or None, the one
 * with the smallest sum of magnitudes over a sample (ties in that order;
 * the first row has no Up). */
static void filter_row(const unsigned char *row, const unsigned char *up,
		       size_t n, unsigned char *f)
{
	unsigned long none = 0, sub = 0, upsum = up ? 0 : ~0ul;
	for (size_t i = 3; i < n; i += PNG_SAMPLE) {
		none += mag(row[i]);
		sub += mag((unsigned char)(row[i] - row[i - 3]));
		if (up)
			upsum += mag((unsigned char)(row[i] - up[i]));
	}
	if (sub <= upsum && sub <= none) {
		f[0] = 1;
		memcpy(f + 1, row, n < 3 ? n : 3);
		if (n > 3)
			diff_bytes(f + 4, row + 3, row, n - 3);
	} else if (upsum <= none) {
		f[0] = 2;
		diff_bytes(f + 1, row, up, n);
	} else {
		f[0] = 0;
		memcpy(f + 1, row, n);
	}
}

/* The Adler-32 of one byte b followed by n zeros. */
static uint32_t adler_byte_zeros(uint32_t adler, unsigned b, size_t n)
{
	uint64_t s1 = adler & 0xFFFF, s2 = adler >> 16;
	s1 = (s1 + b) % PNG_ADLER_MOD;
	s2 = (s2 + s1) % PNG_ADLER_MOD;
	s2 = (s2 + s1 * (n % PNG_ADLER_MOD)) % PNG_ADLER_MOD;
	return (uint32_t)(s2 << 16 | s1);
}

/* The zlib stream of the filtered rows of rgb. */
static void deflate_rows(png_z *z, const unsigned char *rgb, int w, int h)
{
	size_t n = (size_t)w * 3;
	unsigned char *f = xmalloc(n + 1);
	for (int k = 0; k <= PNG_MAX_RUN; k++) {
		int c = 0;
		while (c < 28 && len_base[c + 1] <= k)
			c++;
		z->lcode[k] = (uint8_t)c;
	}
	z->last = -1;
	z->adler = 1;
	z_room(z, 2);
	z->out[z->len++] = 0x78;            /* deflate, 32 KiB window */
	z->out[z->len++] = 0x01;            /* fastest; check bits */
	for (int y = 0; y < h; y++) {
		const unsigned char *row = rgb + (size_t)y * n;
		const unsigned char *up = y ? row - n : NULL;
		if (up && !memcmp(row, up, n)) {
			put_same(z, 2, 1);
			put_same(z, 0, n);
			z->adler = adler_byte_zeros(z->adler, 2, n);
		} else {
			filter_row(row, up, n, f);
			put_bytes(z, f, n + 1);
			z->adler = libdeflate_adler32(z->adler, f, n + 1);
		}
		if (z->nsym >= PNG_BLOCK_SYMS)
			block_write(z, 0);
	}
	run_flush(z);
	block_write(z, 1);
	z_align(z);
	z_room(z, 4);
	for (int k = 3; k >= 0; k--)
		z->out[z->len++] = (unsigned char)(z->adler >> (8 * k));
	free(f);
	free(z->sym);
}

/* ---- chunks -------------------------------------------------------------- */

static void put32(buf *b, uint32_t v)
{
	char q[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8), (char)v};
	buf_put(b, q, 4);
}

/* One chunk: length, type, data, CRC of type and data. */
static void chunk(buf *b, const char *type, const void *data, size_t n)
{
	put32(b, (uint32_t)n);
	size_t at = b->len;
	buf_put(b, type, 4);
	if (n)
		buf_put(b, data, n);
	put32(b, libdeflate_crc32(0, b->data + at, n + 4));
}

static void be32(unsigned char *p, uint32_t v)
{
	for (int k = 0; k < 4; k++)
		p[k] = (unsigned char)(v >> (24 - 8 * k));
}

void png_encode_rgb(const unsigned char *rgb, int w, int h,
		    unsigned long ppm_x, unsigned long ppm_y,
		    unsigned char **png, size_t *len)
{
	png_z z = {0};
	deflate_rows(&z, rgb, w, h);
	buf b = {0};
	buf_put(&b, "\x89PNG\r\n\x1a\n", 8);
	unsigned char ihdr[13] = {0};
	be32(ihdr, (uint32_t)w);
	be32(ihdr + 4, (uint32_t)h);
	ihdr[8] = 8;            /* bits per sample */
	ihdr[9] = 2;            /* RGB */
	chunk(&b, "IHDR", ihdr, sizeof ihdr);
	const unsigned char srgb = 0;   /* perceptual */
	chunk(&b, "sRGB", &srgb, 1);
	/* gAMA and cHRM for decoders without sRGB, as libpng writes them */
	static const unsigned char gama[4] = {0, 0, 0xB1, 0x8F};
	chunk(&b, "gAMA", gama, 4);
	static const uint32_t chrm_v[8] = {31270, 32900, 64000, 33000,
					   30000, 60000, 15000, 6000};
	unsigned char chrm[32];
	for (int k = 0; k < 8; k++)
		be32(chrm + 4 * k, chrm_v[k]);
	chunk(&b, "cHRM", chrm, sizeof chrm);
	if (ppm_x && ppm_y) {
		unsigned char phys[9];
		be32(phys, (uint32_t)ppm_x);
		be32(phys + 4, (uint32_t)ppm_y);
		phys[8] = 1;            /* metre */
		chunk(&b, "pHYs", phys, sizeof phys);
	}
	chunk(&b, "IDAT", z.out, z.len);
	chunk(&b, "IEND", NULL, 0);
	free(z.out);
	*png = (unsigned char *)b.data;
	*len = b.len;
}
