/* hyph.c - owns hyphenation: normalises a word (strips surrounding
 * punctuation, lowercases ASCII/Latin-1/Latin Extended-A, splits at
 * apostrophes and dashes), asks libhyphen (hnj_hyphen_hyphenate2) for each
 * letter run, maps its per-character answer back to byte offsets in the
 * original word, and caches the result per word. */
#include "hyph.h"
#include "font.h"

#include <hyphen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum {
	HYPH_LMIN = 2,             /* letters before a break, at least */
	HYPH_RMIN = 3,             /* letters after a break, at least */
	HYPH_MIN_LETTERS = 5,
	HYPH_MAX_WORD = 256,       /* longer "words" are not hyphenated */
	HYPH_MAX_PTS = 64,
	HYPH_CACHE_MAX = 1 << 16,  /* entries; the table stops growing here */
};

typedef struct hyph_entry {
	char *word;                /* NULL: empty slot */
	size_t len;
	uint16_t npts;
	uint16_t *pts;
} hyph_entry;

struct hyph {
	HyphenDict *dict;
	hyph_entry *slots;
	size_t nslots, used;
};

hyph *hyph_open(const char *dic_path)
{
	hyph *h = calloc(1, sizeof *h);
	if (!h)
		return NULL;
	h->dict = hnj_hyphen_load(dic_path);
	h->nslots = 1024;
	h->slots = calloc(h->nslots, sizeof *h->slots);
	if (!h->dict || !h->slots) {
		hyph_close(h);
		return NULL;
	}
	return h;
}

void hyph_close(hyph *h)
{
	if (!h)
		return;
	if (h->dict)
		hnj_hyphen_free(h->dict);
	for (size_t i = 0; h->slots && i < h->nslots; i++) {
		free(h->slots[i].word);
		free(h->slots[i].pts);
	}
	free(h->slots);
	free(h);
}

/* Punctuation stripped from either end of a word. */
static int hyph_is_wrap(uint32_t c)
{
	switch (c) {
	case '"': case '\'': case '(': case ')': case '[': case ']':
	case ',': case '.': case ';': case ':': case '!': case '?':
	case 0x2018: case 0x2019: case 0x201C: case 0x201D:
	case 0x00AB: case 0x00BB: case 0x00AD: case '*':
		return 1;
	default:
		return 0;
	}
}

/* Letters are what libhyphen sees; anything else splits the word. */
static int hyph_is_letter(uint32_t c)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return 1;
	if (c < 0xC0 || c == 0xD7 || c == 0xF7)
		return 0;
	if (c >= 0x2000 && c <= 0x2BFF)     /* punctuation, symbols */
		return 0;
	if (c == 0xFFFD || c == 0x2E3A || c == 0x2E3B)
		return 0;
	return 1;
}

/* Lowercase for ASCII, Latin-1 and Latin Extended-A. */
static uint32_t hyph_lower(uint32_t c)
{
	if (c >= 'A' && c <= 'Z')
		return c + 32;
	if (c >= 0xC0 && c <= 0xDE && c != 0xD7)
		return c + 32;
	if ((c >= 0x100 && c <= 0x137) || (c >= 0x14A && c <= 0x177))
		return (c & 1) ? c : c + 1;
	if ((c >= 0x139 && c <= 0x148) || (c >= 0x179 && c <= 0x17E))
		return (c & 1) ? c + 1 : c;
	if (c == 0x178)
		return 0xFF;
	return c;
}

static size_t hyph_encode(uint32_t c, char *out)
{
	if (c < 0x80) {
		out[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		out[0] = (char)(0xC0 | (c >> 6));
		out[1] = (char)(0x80 | (c & 0x3F));
		return 2;
	}
	if (c < 0x10000) {
		out[0] = (char)(0xE0 | (c >> 12));
		out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
		out[2] = (char)(0x80 | (c & 0x3F));
		return 3;
	}
	out[0] = (char)(0xF0 | (c >> 18));
	out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
	out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
	out[3] = (char)(0x80 | (c & 0x3F));
	return 4;
}

/* Hyphenate one run of letters: buf holds nchars lowercased characters in
 * blen bytes, at[i] the original byte offset of character i. Appends the
 * offsets to pts. */
static void hyph_run(hyph *h, const char *buf, size_t blen, const size_t *at,
		     size_t nchars, size_t *pts, size_t *np)
{
	if (nchars < HYPH_LMIN + HYPH_RMIN)
		return;
	char hy[HYPH_MAX_WORD * 4 + 8];
	char **rep = NULL;
	int *pos = NULL, *cut = NULL;
	memset(hy, 0, sizeof hy);
	int bad = hnj_hyphen_hyphenate2(h->dict, buf, (int)blen, hy, NULL, &rep,
					&pos, &cut);
	if (rep) {
		for (size_t i = 0; i < blen; i++)
			free(rep[i]);
		free(rep);
	}
	free(pos);
	free(cut);
	if (bad)
		return;
	/* hy[i] & 1: a break after character i (one entry per character) */
	for (size_t i = HYPH_LMIN - 1; i + HYPH_RMIN < nchars; i++)
		if ((hy[i] & 1) && *np < HYPH_MAX_PTS)
			pts[(*np)++] = at[i + 1];
}

/* The uncached computation. Returns the count of offsets in pts. */
static size_t hyph_compute(hyph *h, const char *word, size_t len, size_t *pts)
{
	size_t np = 0, b = 0, e = len, used;
	/* strip wrapping punctuation */
	while (b < e) {
		uint32_t c = utf8_decode(word + b, e - b, &used);
		if (!hyph_is_wrap(c))
			break;
		b += used;
	}
	while (e > b) {
		size_t k = e - 1;
		while (k > b && ((unsigned char)word[k] & 0xC0) == 0x80)
			k--;
		uint32_t c = utf8_decode(word + k, e - k, &used);
		if (k + used != e || !hyph_is_wrap(c))
			break;
		e = k;
	}
	if (e - b > HYPH_MAX_WORD)
		return 0;
	size_t letters = 0;
	for (size_t i = b; i < e; i += used) {
		uint32_t c = utf8_decode(word + i, e - i, &used);
		if ((c >= '0' && c <= '9') || c == '/' || c == '@')
			return 0;
		letters += hyph_is_letter(c);
	}
	if (letters < HYPH_MIN_LETTERS)
		return 0;
	char buf[HYPH_MAX_WORD * 4 + 8];
	size_t at[HYPH_MAX_WORD + 1];
	size_t blen = 0, nchars = 0;
	for (size_t i = b; i <= e; i += used) {
		uint32_t c = 0;
		used = 1;
		if (i < e)
			c = utf8_decode(word + i, e - i, &used);
		if (i < e && c == 0x00AD)   /* soft hyphen: invisible to patterns */
			continue;
		if (i < e && hyph_is_letter(c)) {
			at[nchars++] = i;
			blen += hyph_encode(hyph_lower(c), buf + blen);
			continue;
		}
		buf[blen] = '\0';
		hyph_run(h, buf, blen, at, nchars, pts, &np);
		blen = nchars = 0;
	}
	return np;
}

static size_t hyph_hash(const char *s, size_t len)
{
	size_t x = 1469598103934665603u;
	for (size_t i = 0; i < len; i++)
		x = (x ^ (unsigned char)s[i]) * 1099511628211u;
	return x;
}

/* Double the table; returns 0 on allocation failure (the table stays). */
static int hyph_grow(hyph *h)
{
	size_t n = h->nslots * 2;
	hyph_entry *s = calloc(n, sizeof *s);
	if (!s)
		return 0;
	for (size_t i = 0; i < h->nslots; i++) {
		if (!h->slots[i].word)
			continue;
		size_t j = hyph_hash(h->slots[i].word, h->slots[i].len) & (n - 1);
		while (s[j].word)
			j = (j + 1) & (n - 1);
		s[j] = h->slots[i];
	}
	free(h->slots);
	h->slots = s;
	h->nslots = n;
	return 1;
}

size_t hyph_points(hyph *h, const char *word, size_t len, size_t *offsets,
		   size_t max)
{
	if (!h || !word || len < HYPH_MIN_LETTERS || len > HYPH_MAX_WORD * 8)
		return 0;
	size_t hash = hyph_hash(word, len), j = hash & (h->nslots - 1);
	for (; h->slots[j].word; j = (j + 1) & (h->nslots - 1)) {
		hyph_entry *e = &h->slots[j];
		if (e->len == len && memcmp(e->word, word, len) == 0) {
			size_t n = e->npts < max ? e->npts : max;
			for (size_t i = 0; i < n; i++)
				offsets[i] = e->pts[i];
			return n;
		}
	}
	size_t pts[HYPH_MAX_PTS];
	size_t np = hyph_compute(h, word, len, pts);
	if (h->used < HYPH_CACHE_MAX) {
		if ((h->used + 1) * 2 > h->nslots && hyph_grow(h))
			for (j = hash & (h->nslots - 1); h->slots[j].word;
			     j = (j + 1) & (h->nslots - 1))
				;
		if ((h->used + 1) * 2 <= h->nslots) {
			hyph_entry *e = &h->slots[j];
			e->word = malloc(len);
			e->pts = malloc((np ? np : 1) * sizeof *e->pts);
			if (e->word && e->pts) {
				memcpy(e->word, word, len);
				e->len = len;
				e->npts = (uint16_t)np;
				for (size_t i = 0; i < np; i++)
					e->pts[i] = (uint16_t)pts[i];
				h->used++;
			} else {
				free(e->word);
				free(e->pts);
				e->word = NULL;
				e->pts = NULL;
			}
		}
	}
	size_t n = np < max ? np : max;
	for (size_t i = 0; i < n; i++)
		offsets[i] = pts[i];
	return n;
}
