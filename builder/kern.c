/* kern.c - owns reading pair kerning from GPOS (see kern.h): the script
 * and feature lists to find the 'kern' lookups, PairPos subtables (format
 * 1: pair sets; format 2: class pairs) with their coverage and class
 * definitions, and a memo of answers. As OpenType applies them: the first
 * subtable of a lookup that matches decides it, lookups add up. Every read
 * is bounds-checked; a damaged table reads as zero. */
#include "kern.h"

#include <stdlib.h>
#include <string.h>

enum { KERN_MAX_SUBTABLES = 512 };

typedef struct kern_sub {
	size_t off;                /* the PairPos subtable */
	size_t lookup;             /* index of its lookup, for "first wins" */
} kern_sub;

struct kern_table {
	const unsigned char *p;
	size_t len;
	kern_sub *subs;
	size_t nsubs;
	/* memo: key (left << 16 | right) + 1, value */
	uint32_t *mkey;
	int16_t *mval;
	size_t mcap, mn;
};

static unsigned k16(const kern_table *k, size_t off)
{
	if (off > k->len || k->len - off < 2)
		return 0;
	return (unsigned)(k->p[off] << 8 | k->p[off + 1]);
}

static uint32_t k32(const kern_table *k, size_t off)
{
	return (uint32_t)k16(k, off) << 16 | k16(k, off + 2);
}

/* Coverage index of glyph g, or -1. */
static long kern_coverage(const kern_table *k, size_t off, unsigned g)
{
	unsigned fmt = k16(k, off), n = k16(k, off + 2);
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (fmt == 1) {
			unsigned v = k16(k, off + 4 + mid * 2);
			if (g == v)
				return (long)mid;
			if (g < v)
				hi = mid;
			else
				lo = mid + 1;
		} else if (fmt == 2) {
			size_t r = off + 4 + mid * 6;
			unsigned s = k16(k, r), e = k16(k, r + 2);
			if (g < s)
				hi = mid;
			else if (g > e)
				lo = mid + 1;
			else
				return (long)(k16(k, r + 4) + (g - s));
		} else {
			return -1;
		}
	}
	return -1;
}

static unsigned kern_class(const kern_table *k, size_t off, unsigned g)
{
	unsigned fmt = k16(k, off);

	if (fmt == 1) {
		unsigned start = k16(k, off + 2), n = k16(k, off + 4);
		return g >= start && g - start < n ?
			k16(k, off + 6 + (size_t)(g - start) * 2) : 0;
	}
	if (fmt == 2) {
		size_t lo = 0, hi = k16(k, off + 2);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2, r = off + 4 + mid * 6;
			unsigned s = k16(k, r), e = k16(k, r + 2);
			if (g < s)
				hi = mid;
			else if (g > e)
				lo = mid + 1;
			else
				return k16(k, r + 4);
		}
	}
	return 0;
}

static unsigned kern_bits(unsigned v)
{
	unsigned n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* XAdvance of a value record of format fmt at off (0 if absent). */
static int kern_xadvance(const kern_table *k, size_t off, unsigned fmt)
{
	if (!(fmt & 0x0004))
		return 0;
	return (int16_t)k16(k, off + 2 * kern_bits(fmt & 0x0003));
}

/* Apply subtable s to the pair: 1 and *v if it matches, else 0. */
static int kern_sub_pair(const kern_table *k, size_t s, unsigned l,
			 unsigned r, int *v)
{
	unsigned fmt = k16(k, s), vf1 = k16(k, s + 4), vf2 = k16(k, s + 6);
	size_t sz1 = 2 * kern_bits(vf1 & 0xFF), sz2 = 2 * kern_bits(vf2 & 0xFF);
	long cov = kern_coverage(k, s + k16(k, s + 2), l);

	if (cov < 0)
		return 0;
	if (fmt == 1) {
		if ((unsigned long)cov >= k16(k, s + 8))
			return 0;
		size_t set = s + k16(k, s + 10 + (size_t)cov * 2);
		size_t rec = 2 + sz1 + sz2, lo = 0, hi = k16(k, set);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2, at = set + 2 + mid * rec;
			unsigned g = k16(k, at);
			if (r == g) {
				*v = kern_xadvance(k, at + 2, vf1) +
				     kern_xadvance(k, at + 2 + sz1, vf2);
				return 1;
			}
			if (r < g)
				hi = mid;
			else
				lo = mid + 1;
		}
		return 0;
	}
	if (fmt == 2) {
		unsigned c1 = kern_class(k, s + k16(k, s + 8), l);
		unsigned c2 = kern_class(k, s + k16(k, s + 10), r);
		unsigned n1 = k16(k, s + 12), n2 = k16(k, s + 14);
		if (c1 >= n1 || c2 >= n2)
			return 0;
		size_t at = s + 16 + ((size_t)c1 * n2 + c2) * (sz1 + sz2);
		*v = kern_xadvance(k, at, vf1) + kern_xadvance(k, at + sz1, vf2);
		return 1;
	}
	return 0;
}

/* The 'kern' feature's lookup indices for the Latin (else default)
 * script's default language system; count in *n (at most max). */
static size_t kern_lookups(const kern_table *k, size_t gpos, unsigned *out,
			   size_t max)
{
	size_t scripts = gpos + k16(k, gpos + 4);
	size_t features = gpos + k16(k, gpos + 6);
	size_t langsys = 0, n = 0;
	unsigned i, ns = k16(k, scripts);

	for (i = 0; i < ns; i++) {
		size_t rec = scripts + 2 + (size_t)i * 6;
		if (rec + 6 > k->len)
			break;
		size_t script = scripts + k16(k, rec + 4);
		unsigned def = k16(k, script);
		if (!def)
			continue;
		if (!memcmp(k->p + rec, "latn", 4)) {
			langsys = script + def;
			break;
		}
		if (!memcmp(k->p + rec, "DFLT", 4))
			langsys = script + def;
	}
	if (!langsys)
		return 0;
	unsigned nf = k16(k, langsys + 4), nfeat = k16(k, features);
	for (i = 0; i < nf; i++) {
		unsigned fi = k16(k, langsys + 6 + (size_t)i * 2);
		size_t rec = features + 2 + (size_t)fi * 6;
		if (fi >= nfeat || rec + 6 > k->len ||
		    memcmp(k->p + rec, "kern", 4))
			continue;
		size_t feat = features + k16(k, rec + 4);
		unsigned nl = k16(k, feat + 2);
		for (unsigned j = 0; j < nl && n < max; j++)
			out[n++] = k16(k, feat + 4 + (size_t)j * 2);
	}
	return n;
}

/* Find a table in the sfnt directory. */
static int kern_find(const kern_table *k, const char *tag, size_t *off)
{
	unsigned n = k16(k, 4);

	for (unsigned i = 0; i < n; i++) {
		size_t e = 12 + (size_t)i * 16;
		if (e + 16 > k->len)
			return 0;
		if (!memcmp(k->p + e, tag, 4)) {
			uint32_t o = k32(k, e + 8), l = k32(k, e + 12);
			if (o > k->len || l > k->len - o)
				return 0;
			*off = o;
			return 1;
		}
	}
	return 0;
}

kern_table *kern_load(const unsigned char *ttf, size_t len)
{
	kern_table *k = calloc(1, sizeof *k);
	unsigned lookups[64];
	size_t gpos, n, i;

	if (!k)
		return NULL;
	k->p = ttf;
	k->len = len;
	if (len < 12 || !kern_find(k, "GPOS", &gpos) || k16(k, gpos) != 1)
		goto none;
	n = kern_lookups(k, gpos, lookups, sizeof lookups / sizeof *lookups);
	if (!n)
		goto none;
	k->subs = malloc(KERN_MAX_SUBTABLES * sizeof *k->subs);
	if (!k->subs)
		goto none;
	size_t list = gpos + k16(k, gpos + 8);
	unsigned nlook = k16(k, list);
	for (i = 0; i < n; i++) {
		if (lookups[i] >= nlook)
			continue;
		size_t lk = list + k16(k, list + 2 + (size_t)lookups[i] * 2);
		unsigned type = k16(k, lk), nsub = k16(k, lk + 4);
		for (unsigned j = 0; j < nsub; j++) {
			size_t st = lk + k16(k, lk + 6 + (size_t)j * 2);
			unsigned t = type;
			if (t == 9 && k16(k, st) == 1) {   /* Extension */
				t = k16(k, st + 2);
				st += k32(k, st + 4);
			}
			if (t != 2 || st >= len ||
			    k->nsubs == KERN_MAX_SUBTABLES)
				continue;
			k->subs[k->nsubs].off = st;
			k->subs[k->nsubs].lookup = i;
			k->nsubs++;
		}
	}
	if (!k->nsubs)
		goto none;
	return k;
none:
	kern_free(k);
	return NULL;
}

void kern_free(kern_table *k)
{
	if (!k)
		return;
	free(k->subs);
	free(k->mkey);
	free(k->mval);
	free(k);
}

static int kern_compute(const kern_table *k, unsigned l, unsigned r)
{
	int total = 0;
	size_t done = (size_t)-1;   /* lookup already decided */

	for (size_t i = 0; i < k->nsubs; i++) {
		int v;
		if (k->subs[i].lookup == done)
			continue;
		if (kern_sub_pair(k, k->subs[i].off, l, r, &v)) {
			total += v;
			done = k->subs[i].lookup;
		}
	}
	return total;
}

int kern_pair(kern_table *k, uint16_t left, uint16_t right)
{
	uint32_t key = ((uint32_t)left << 16 | right) + 1;
	size_t i;

	if (!k)
		return 0;
	if (!key)   /* 0xFFFF,0xFFFF: not memoised */
		return kern_compute(k, left, right);
	if (2 * (k->mn + 1) > k->mcap) {
		size_t cap = k->mcap ? k->mcap * 2 : 4096;
		uint32_t *nk = calloc(cap, sizeof *nk);
		int16_t *nv = malloc(cap * sizeof *nv);
		if (!nk || !nv) {
			free(nk);
			free(nv);
			return kern_compute(k, left, right);
		}
		for (i = 0; i < k->mcap; i++) {
			if (!k->mkey[i])
				continue;
			size_t j = (k->mkey[i] * 2654435761u) & (cap - 1);
			while (nk[j])
				j = (j + 1) & (cap - 1);
			nk[j] = k->mkey[i];
			nv[j] = k->mval[i];
		}
		free(k->mkey);
		free(k->mval);
		k->mkey = nk;
		k->mval = nv;
		k->mcap = cap;
	}
	i = (key * 2654435761u) & (k->mcap - 1);
	while (k->mkey[i] && k->mkey[i] != key)
		i = (i + 1) & (k->mcap - 1);
	if (!k->mkey[i]) {
		int v = kern_compute(k, left, right);
		k->mkey[i] = key;
		k->mval[i] = (int16_t)(v < -32768 ? -32768 : v > 32767 ? 32767 : v);
		k->mn++;
	}
	return k->mval[i];
}
