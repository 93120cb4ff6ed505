/* subset.c - owns TrueType subsetting (see subset.h): reading the glyph
 * outlines through loca/glyf, following composite glyphs, and writing a new
 * sfnt with its table directory, checksums and head.checkSumAdjustment.
 * Every read of the source font is bounds-checked; a damaged font gives an
 * error, never a read outside the buffer. */
#include "font/subset.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "font/sfnt.h"

enum {
	SUB_MAX_GLYPHS = 65535,
	/* composite glyph flags */
	ARG_1_AND_2_ARE_WORDS = 0x0001,
	WE_HAVE_A_SCALE = 0x0008,
	MORE_COMPONENTS = 0x0020,
	WE_HAVE_AN_X_AND_Y_SCALE = 0x0040,
	WE_HAVE_A_TWO_BY_TWO = 0x0080
};

static int sub_is_ttf(const sfnt *s)
{
	uint32_t v = sfnt_u32(s, 0);

	return sfnt_in(s, 0, 12) && (v == 0x00010000 || v == 0x74727565);
}

static void sub_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

/* The PostScript name from 'name' (ID 6; Windows UTF-16BE or Mac Roman),
 * keeping only characters a PDF name and subset tag allow. */
static void sub_ps_name(const sfnt *s, char *out, size_t outlen)
{
	size_t off, len, i, k = 0;
	unsigned count, strings;

	out[0] = 0;
	if (!sfnt_table(s, "name", &off, &len) || len < 6)
		return;
	count = sfnt_u16(s, off + 2);
	strings = sfnt_u16(s, off + 4);
	for (i = 0; i < count && !out[0]; i++) {
		size_t r = off + 6 + i * 12;
		unsigned plat = sfnt_u16(s, r), id = sfnt_u16(s, r + 6);
		size_t slen = sfnt_u16(s, r + 8), soff = sfnt_u16(s, r + 10);
		size_t at = off + strings + soff, j;
		int wide = plat == 3 || plat == 0;

		if (!sfnt_in(s, r, 12) || id != 6 || (plat != 1 && !wide) ||
		    !sfnt_in(s, at, slen))
			continue;
		for (j = wide ? 1 : 0; j < slen && k + 1 < outlen;
		     j += wide ? 2 : 1) {
			unsigned char c = s->p[at + j];

			if (wide && s->p[at + j - 1] != 0)
				continue;
			if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			    (c >= '0' && c <= '9') || c == '-')
				out[k++] = (char)c;
		}
		out[k] = 0;
	}
}

int subset_info_read(const unsigned char *ttf, size_t len, subset_info *out,
		     char *err, size_t errlen)
{
	sfnt s = {ttf, len};
	size_t off, tlen;
	int upem, i;

	memset(out, 0, sizeof *out);
	if (!sub_is_ttf(&s)) {
		sub_err(err, errlen, "not a TrueType font");
		return -1;
	}
	if (!sfnt_table(&s, "head", &off, &tlen) || tlen < 54) {
		sub_err(err, errlen, "missing or truncated 'head' table");
		return -1;
	}
	upem = (int)sfnt_u16(&s, off + 18);
	if (upem < 16 || upem > 16384) {
		sub_err(err, errlen, "bad unitsPerEm in 'head'");
		return -1;
	}
	for (i = 0; i < 4; i++)
		out->bbox[i] = sfnt_s16(&s, off + 36 + (size_t)i * 2) * 1000 /
			       upem;
	out->weight = 400;
	if (sfnt_table(&s, "OS/2", &off, &tlen) && tlen >= 6)
		out->weight = (int)sfnt_u16(&s, off + 4);
	if (sfnt_table(&s, "post", &off, &tlen) && tlen >= 16) {
		out->italic_angle = (int32_t)sfnt_u32(&s, off + 4) / 65536.0;
		out->fixed_pitch = sfnt_u32(&s, off + 12) != 0;
	}
	sub_ps_name(&s, out->ps_name, sizeof out->ps_name);
	if (!out->ps_name[0])
		snprintf(out->ps_name, sizeof out->ps_name, "Font");
	return 0;
}

/* The glyph table as a view, with its loca. */
typedef struct sub_glyphs {
	const sfnt *s;
	size_t glyf, glyf_len, loca, loca_len;
	int long_loca;
	unsigned nglyphs;
} sub_glyphs;

/* Byte range of glyph g in glyf (relative to the table); 0 on a bad
 * loca. An empty glyph has *start == *end. */
static int sub_glyph_range(const sub_glyphs *g, unsigned gid, size_t *start,
			   size_t *end)
{
	if (gid >= g->nglyphs)
		return 0;
	if (g->long_loca) {
		if ((size_t)(gid + 2) * 4 > g->loca_len)
			return 0;
		*start = sfnt_u32(g->s, g->loca + (size_t)gid * 4);
		*end = sfnt_u32(g->s, g->loca + (size_t)gid * 4 + 4);
	} else {
		if ((size_t)(gid + 2) * 2 > g->loca_len)
			return 0;
		*start = (size_t)sfnt_u16(g->s, g->loca + (size_t)gid * 2) * 2;
		*end = (size_t)sfnt_u16(g->s, g->loca + (size_t)gid * 2 + 2) * 2;
	}
	return *start <= *end && *end <= g->glyf_len;
}

/* Walk the components of the composite glyph at glyf[start..end): calls
 * visit for each component's glyph index offset. Returns 0 if the glyph
 * is malformed. */
typedef int (*sub_visit)(void *ctx, size_t index_off);

static int sub_components(const sub_glyphs *g, size_t start, size_t end,
			  sub_visit visit, void *ctx)
{
	size_t p = start + 10;   /* past numberOfContours and the bbox */
	unsigned flags;

	do {
		if (p + 4 > end)
			return 0;
		flags = sfnt_u16(g->s, g->glyf + p);
		if (!visit(ctx, p + 2))
			return 0;
		p += 4 + ((flags & ARG_1_AND_2_ARE_WORDS) ? 4 : 2);
		if (flags & WE_HAVE_A_SCALE)
			p += 2;
		else if (flags & WE_HAVE_AN_X_AND_Y_SCALE)
			p += 4;
		else if (flags & WE_HAVE_A_TWO_BY_TWO)
			p += 8;
		if (p > end)
			return 0;
	} while (flags & MORE_COMPONENTS);
	return 1;
}

/* The glyph list being built: new index -> old, old -> new + 1. */
typedef struct sub_map {
	const sub_glyphs *g;
	uint16_t *order;        /* new -> old */
	size_t n;
	uint16_t *new_of;       /* old -> new + 1, 0 = not included */
} sub_map;

static int sub_add(sub_map *m, unsigned old)
{
	if (old >= m->g->nglyphs)
		return 0;
	if (m->new_of[old])
		return 1;
	if (m->n >= SUB_MAX_GLYPHS)
		return 0;
	m->order[m->n++] = (uint16_t)old;
	m->new_of[old] = (uint16_t)m->n;
	return 1;
}

static int sub_visit_add(void *ctx, size_t index_off)
{
	sub_map *m = ctx;

	return sub_add(m, sfnt_u16(m->g->s, m->g->glyf + index_off));
}

typedef struct sub_rewrite {
	sub_map *m;
	unsigned char *dst;     /* copy of the glyph */
	size_t base;            /* its start in the source glyf */
} sub_rewrite;

static int sub_visit_rewrite(void *ctx, size_t index_off)
{
	sub_rewrite *r = ctx;
	unsigned old = sfnt_u16(r->m->g->s, r->m->g->glyf + index_off);
	unsigned nw = r->m->new_of[old] - 1u;

	r->dst[index_off - r->base] = (unsigned char)(nw >> 8);
	r->dst[index_off - r->base + 1] = (unsigned char)nw;
	return 1;
}

static void put16(buf *b, unsigned v)
{
	char c[2] = {(char)(v >> 8), (char)v};

	buf_put(b, c, 2);
}

static void put32(buf *b, uint32_t v)
{
	char c[4] = {(char)(v >> 24), (char)(v >> 16), (char)(v >> 8),
		     (char)v};

	buf_put(b, c, 4);
}

static void set16(unsigned char *p, unsigned v)
{
	p[0] = (unsigned char)(v >> 8);
	p[1] = (unsigned char)v;
}

static void set32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static uint32_t sub_checksum(const unsigned char *p, size_t n)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i < n; i += 4) {
		uint32_t v = 0;
		size_t k;

		for (k = 0; k < 4; k++)
			v = v << 8 | (i + k < n ? p[i + k] : 0);
		sum += v;
	}
	return sum;
}

/* One output table. */
typedef struct sub_table_out {
	char tag[5];
	buf data;
} sub_table_out;

static void sub_copy_table(const sfnt *s, sub_table_out *t, const char *tag)
{
	size_t off, len;

	memcpy(t->tag, tag, 5);
	if (sfnt_table(s, tag, &off, &len))
		buf_put(&t->data, (const char *)s->p + off, len);
}

unsigned char *subset_build(const unsigned char *ttf, size_t len,
			    const uint16_t *gids, size_t n, size_t *out_len,
			    char *err, size_t errlen)
{
	sfnt s = {ttf, len};
	sub_glyphs g = {0};
	sub_map m = {0};
	/* Tags sorted, as the table directory must be. */
	enum { T_OS2, T_CVT, T_FPGM, T_GLYF, T_HEAD, T_HHEA, T_HMTX, T_LOCA,
	       T_MAXP, T_POST, T_PREP, T_COUNT };
	static const char *const tags[T_COUNT] = {
		"OS/2", "cvt ", "fpgm", "glyf", "head", "hhea", "hmtx",
		"loca", "maxp", "post", "prep"
	};
	sub_table_out t[T_COUNT];
	size_t off, tlen, hmtx, hmtx_len, i, ntab = 0, head_at = 0;
	unsigned nhm;
	buf out = {0};
	unsigned char *result = NULL;
	const char *msg = NULL;

	memset(t, 0, sizeof t);
	g.s = &s;
	if (!sub_is_ttf(&s)) {
		sub_err(err, errlen, "not a TrueType font");
		return NULL;
	}
	if (!sfnt_table(&s, "head", &off, &tlen) || tlen < 54)
		msg = "missing or truncated 'head' table";
	else if ((g.long_loca = sfnt_s16(&s, off + 50)) > 1 || g.long_loca < 0)
		msg = "bad indexToLocFormat in 'head'";
	else if (!sfnt_table(&s, "maxp", &off, &tlen) || tlen < 6)
		msg = "missing or truncated 'maxp' table";
	else if ((g.nglyphs = sfnt_u16(&s, off + 4)) == 0)
		msg = "font has no glyphs";
	else if (!sfnt_table(&s, "glyf", &g.glyf, &g.glyf_len) ||
		 !sfnt_table(&s, "loca", &g.loca, &g.loca_len))
		msg = "no 'glyf'/'loca' tables (not a TrueType-outline font)";
	else if (!sfnt_table(&s, "hhea", &off, &tlen) || tlen < 36)
		msg = "missing or truncated 'hhea' table";
	else if ((nhm = sfnt_u16(&s, off + 34)) == 0 || nhm > g.nglyphs)
		msg = "bad numberOfHMetrics in 'hhea'";
	else if (!sfnt_table(&s, "hmtx", &hmtx, &hmtx_len) ||
		 hmtx_len < (size_t)nhm * 4 + (g.nglyphs - nhm) * 2)
		msg = "missing or truncated 'hmtx' table";
	if (msg) {
		sub_err(err, errlen, msg);
		return NULL;
	}

	m.g = &g;
	m.order = malloc(SUB_MAX_GLYPHS * sizeof *m.order);
	m.new_of = calloc(g.nglyphs, sizeof *m.new_of);
	if (!m.order || !m.new_of) {
		msg = "out of memory";
		goto done;
	}
	if (!sub_add(&m, 0)) {
		msg = "bad glyph list";
		goto done;
	}
	for (i = 0; i < n; i++)
		if (!sub_add(&m, gids[i])) {
			msg = "glyph index out of range";
			goto done;
		}
	/* Close over composites; m.n grows as components are found. */
	for (i = 0; i < m.n; i++) {
		size_t a, b;

		if (!sub_glyph_range(&g, m.order[i], &a, &b)) {
			msg = "bad 'loca' entry";
			goto done;
		}
		if (b - a >= 10 && sfnt_s16(&s, g.glyf + a) < 0 &&
		    !sub_components(&g, a, b, sub_visit_add, &m)) {
			msg = "malformed composite glyph";
			goto done;
		}
	}

	/* glyf and loca (long offsets, each glyph padded to 4 bytes). */
	for (i = 0; i < T_COUNT; i++)
		memcpy(t[i].tag, tags[i], 5);
	for (i = 0; i < m.n; i++) {
		size_t a, b;

		put32(&t[T_LOCA].data, (uint32_t)t[T_GLYF].data.len);
		sub_glyph_range(&g, m.order[i], &a, &b);
		if (b > a) {
			size_t at = t[T_GLYF].data.len;

			buf_put(&t[T_GLYF].data, (const char *)s.p + g.glyf + a,
				b - a);
			if (b - a >= 10 && sfnt_s16(&s, g.glyf + a) < 0) {
				sub_rewrite r = {&m,
					(unsigned char *)t[T_GLYF].data.data + at,
					a};
				sub_components(&g, a, b, sub_visit_rewrite, &r);
			}
			while (t[T_GLYF].data.len % 4)
				buf_put(&t[T_GLYF].data, "", 1);
		}
	}
	put32(&t[T_LOCA].data, (uint32_t)t[T_GLYF].data.len);

	/* hmtx: a full metric for every glyph. */
	for (i = 0; i < m.n; i++) {
		unsigned old = m.order[i];
		unsigned adv = sfnt_u16(&s, hmtx + (size_t)(old < nhm ? old :
						   nhm - 1) * 4);
		unsigned lsb = old < nhm ?
			sfnt_u16(&s, hmtx + (size_t)old * 4 + 2) :
			sfnt_u16(&s, hmtx + (size_t)nhm * 4 +
				(size_t)(old - nhm) * 2);

		put16(&t[T_HMTX].data, adv);
		put16(&t[T_HMTX].data, lsb);
	}

	sub_copy_table(&s, &t[T_OS2], "OS/2");
	sub_copy_table(&s, &t[T_CVT], "cvt ");
	sub_copy_table(&s, &t[T_FPGM], "fpgm");
	sub_copy_table(&s, &t[T_PREP], "prep");
	sub_copy_table(&s, &t[T_HEAD], "head");
	set32((unsigned char *)t[T_HEAD].data.data + 8, 0);  /* adjusted below */
	set16((unsigned char *)t[T_HEAD].data.data + 50, 1); /* long loca */
	sub_copy_table(&s, &t[T_HHEA], "hhea");
	set16((unsigned char *)t[T_HHEA].data.data + 34, (unsigned)m.n);
	sub_copy_table(&s, &t[T_MAXP], "maxp");
	set16((unsigned char *)t[T_MAXP].data.data + 4, (unsigned)m.n);
	/* post format 3: the 32-byte header, no glyph names. */
	if (sfnt_table(&s, "post", &off, &tlen) && tlen >= 32) {
		buf_put(&t[T_POST].data, (const char *)s.p + off, 32);
		set32((unsigned char *)t[T_POST].data.data, 0x00030000);
	}

	/* The sfnt: header, directory, tables at 4-byte boundaries. */
	for (i = 0; i < T_COUNT; i++)
		if (t[i].data.len)
			ntab++;
	{
		unsigned sr = 1, sel = 0;
		size_t at = 12 + ntab * 16;

		while (sr * 2 <= ntab) {
			sr *= 2;
			sel++;
		}
		put32(&out, 0x00010000);
		put16(&out, (unsigned)ntab);
		put16(&out, sr * 16);
		put16(&out, sel);
		put16(&out, (unsigned)(ntab * 16 - sr * 16));
		for (i = 0; i < T_COUNT; i++) {
			size_t l = t[i].data.len;

			if (!l)
				continue;
			buf_put(&out, t[i].tag, 4);
			put32(&out, sub_checksum((unsigned char *)t[i].data.data,
						 l));
			put32(&out, (uint32_t)at);
			put32(&out, (uint32_t)l);
			if (i == T_HEAD)
				head_at = at;
			at += (l + 3) & ~(size_t)3;
		}
		for (i = 0; i < T_COUNT; i++) {
			if (!t[i].data.len)
				continue;
			buf_put(&out, t[i].data.data, t[i].data.len);
			while (out.len % 4)
				buf_put(&out, "", 1);
		}
	}
	set32((unsigned char *)out.data + head_at + 8,
	      0xB1B0AFBAu - sub_checksum((unsigned char *)out.data, out.len));
	result = (unsigned char *)out.data;
	*out_len = out.len;
	out.data = NULL;
done:
	if (msg)
		sub_err(err, errlen, msg);
	for (i = 0; i < T_COUNT; i++)
		buf_free(&t[i].data);
	buf_free(&out);
	free(m.order);
	free(m.new_of);
	return result;
}
