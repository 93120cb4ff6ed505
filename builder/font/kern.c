/* kern.c - owns reading pair kerning from GPOS (see kern.h): the script
 * and feature lists to find the 'kern' lookups, PairPos subtables (format
 * 1: pair sets; format 2: class pairs) with their coverage and class
 * definitions, and a memo of answers. As OpenType applies them: the first
 * subtable of a lookup that matches decides it, lookups add up. Every read
 * is bounds-checked; a damaged table reads as zero. */
#include "font/kern.h"
#include "font/sfnt.h"

#include <stdlib.h>
#include <string.h>

enum { KERN_MAX_SUBTABLES = 512 };

typedef struct kern_sub {
	size_t off;                /* the PairPos subtable */
	size_t lookup;             /* index of its lookup, for "first wins" */
} kern_sub;

struct kern_table {
	sfnt s;                    /* the font */
	kern_sub *subs;
	size_t nsubs;
	/* memo: key (left << 16 | right) + 1, value */
	uint32_t *mkey;
	int16_t *mval;
	size_t mcap, mn;
};

/* The RangeRecord (start, end, value) of count records at off holding
 * glyph g: its offset, or 0. Coverage and class definitions share it. */
static size_t kern_range(const kern_table *k, size_t off, size_t count,
			 unsigned g)
{
	size_t lo = 0, hi = count;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, r = off + mid * 6;
		if (g < sfnt_u16(&k->s, r))
			hi = mid;
		else if (g > sfnt_u16(&k->s, r + 2))
			lo = mid + 1;
		else
			return r;
	}
	return 0;
}

/* Coverage index of glyph g, or -1. */
static long kern_coverage(const kern_table *k, size_t off, unsigned g)
{
	unsigned fmt = sfnt_u16(&k->s, off), n = sfnt_u16(&k->s, off + 2);

	if (fmt == 1) {
		size_t lo = 0, hi = n;
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			unsigned v = sfnt_u16(&k->s, off + 4 + mid * 2);
			if (g == v)
				return (long)mid;
			if (g < v)
				hi = mid;
			else
				lo = mid + 1;
		}
	} else if (fmt == 2) {
		size_t r = kern_range(k, off + 4, n, g);
		if (r)
			return (long)(sfnt_u16(&k->s, r + 4) +
				      (g - sfnt_u16(&k->s, r)));
	}
	return -1;
}

static unsigned kern_class(const kern_table *k, size_t off, unsigned g)
{
	unsigned fmt = sfnt_u16(&k->s, off);

	if (fmt == 1) {
		unsigned start = sfnt_u16(&k->s, off + 2);
		unsigned n = sfnt_u16(&k->s, off + 4);
		return g >= start && g - start < n ?
			sfnt_u16(&k->s, off + 6 + (size_t)(g - start) * 2) : 0;
	}
	if (fmt == 2) {
		size_t r = kern_range(k, off + 4, sfnt_u16(&k->s, off + 2), g);
		return r ? sfnt_u16(&k->s, r + 4) : 0;
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
	return (int16_t)sfnt_u16(&k->s, off + 2 * kern_bits(fmt & 0x0003));
}

/* Apply subtable s to the pair: 1 and *v if it matches, else 0. */
static int kern_sub_pair(const kern_table *k, size_t s, unsigned l,
			 unsigned r, int *v)
{
	unsigned fmt = sfnt_u16(&k->s, s);
	unsigned vf1 = sfnt_u16(&k->s, s + 4), vf2 = sfnt_u16(&k->s, s + 6);
	size_t sz1 = 2 * kern_bits(vf1 & 0xFF), sz2 = 2 * kern_bits(vf2 & 0xFF);
	long cov = kern_coverage(k, s + sfnt_u16(&k->s, s + 2), l);

	if (cov < 0)
		return 0;
	if (fmt == 1) {
		if ((unsigned long)cov >= sfnt_u16(&k->s, s + 8))
			return 0;
		size_t set = s + sfnt_u16(&k->s, s + 10 + (size_t)cov * 2);
		size_t rec = 2 + sz1 + sz2, lo = 0, hi = sfnt_u16(&k->s, set);
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2, at = set + 2 + mid * rec;
			unsigned g = sfnt_u16(&k->s, at);
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
		unsigned c1 = kern_class(k, s + sfnt_u16(&k->s, s + 8), l);
		unsigned c2 = kern_class(k, s + sfnt_u16(&k->s, s + 10), r);
		unsigned n1 = sfnt_u16(&k->s, s + 12), n2 = sfnt_u16(&k->s, s + 14);
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
	size_t scripts = gpos + sfnt_u16(&k->s, gpos + 4);
	size_t features = gpos + sfnt_u16(&k->s, gpos + 6);
	size_t langsys = 0, n = 0;
	unsigned i, ns = sfnt_u16(&k->s, scripts);

	for (i = 0; i < ns; i++) {
		size_t rec = scripts + 2 + (size_t)i * 6;
		if (rec + 6 > k->s.len)
			break;
		size_t script = scripts + sfnt_u16(&k->s, rec + 4);
		unsigned def = sfnt_u16(&k->s, script);
		if (!def)
			continue;
		if (!memcmp(k->s.p + rec, "latn", 4)) {
			langsys = script + def;
			break;
		}
		if (!memcmp(k->s.p + rec, "DFLT", 4))
			langsys = script + def;
	}
	if (!langsys)
		return 0;
	unsigned nf = sfnt_u16(&k->s, langsys + 4), nfeat = sfnt_u16(&k->s, features);
	for (i = 0; i < nf; i++) {
		unsigned fi = sfnt_u16(&k->s, langsys + 6 + (size_t)i * 2);
		size_t rec = features + 2 + (size_t)fi * 6;
		if (fi >= nfeat || rec + 6 > k->s.len ||
		    memcmp(k->s.p + rec, "kern", 4))
			continue;
		size_t feat = features + sfnt_u16(&k->s, rec + 4);
		unsigned nl = sfnt_u16(&k->s, feat + 2);
		for (unsigned j = 0; j < nl && n < max; j++)
			out[n++] = sfnt_u16(&k->s, feat + 4 + (size_t)j * 2);
	}
	return n;
}

kern_table *kern_load(const unsigned char *ttf, size_t len)
{
	kern_table *k = calloc(1, sizeof *k);
	unsigned lookups[64];
	size_t gpos, glen, n, i;

	if (!k)
		return NULL;
	k->s.p = ttf;
	k->s.len = len;
	if (!sfnt_table(&k->s, "GPOS", &gpos, &glen) ||
	    sfnt_u16(&k->s, gpos) != 1)
		goto none;
	n = kern_lookups(k, gpos, lookups, sizeof lookups / sizeof *lookups);
	if (!n)
		goto none;
	k->subs = malloc(KERN_MAX_SUBTABLES * sizeof *k->subs);
	if (!k->subs)
		goto none;
	size_t list = gpos + sfnt_u16(&k->s, gpos + 8);
	unsigned nlook = sfnt_u16(&k->s, list);
	for (i = 0; i < n; i++) {
		if (lookups[i] >= nlook)
			continue;
		size_t lk = list + sfnt_u16(&k->s, list + 2 + (size_t)lookups[i] * 2);
		unsigned type = sfnt_u16(&k->s, lk), nsub = sfnt_u16(&k->s, lk + 4);
		for (unsigned j = 0; j < nsub; j++) {
			size_t st = lk + sfnt_u16(&k->s, lk + 6 + (size_t)j * 2);
			unsigned t = type;
			if (t == 9 && sfnt_u16(&k->s, st) == 1) {   /* Extension */
				t = sfnt_u16(&k->s, st + 2);
				st += sfnt_u32(&k->s, st + 4);
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
