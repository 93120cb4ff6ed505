/* font.c - owns TrueType parsing for metrics: head, hhea, maxp, hmtx, cmap
 * (formats 4 and 12) and OS/2 (read through sfnt.h), and UTF-8 decoding.
 * Every read is bounds-checked; a hostile file gives NULL and a message.
 * Widths are truncated to 1/1000 em, as the PDF's W arrays state them. */
#include "font/font.h"

#include "base/file.h"
#include "base/utf8.h"
#include "font/kern.h"
#include "font/sfnt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

enum { FONT_MAX_FILE = 64 * 1024 * 1024 };

typedef struct font_group {      /* a cmap format 12 group above the BMP */
	uint32_t start, end, glyph;
} font_group;

struct font_face {
	char *path;
	int units_per_em;
	int ascent, descent, cap_height;  /* 1/1000 em */
	uint32_t nglyphs;
	int32_t *glyph_width;      /* per glyph, 1/1000 em (an advance of
				      65535 units at 16 per em is 4 million) */
	int notdef_width;
	uint16_t bmp[65536];       /* code point -> glyph (0 = missing) */
	font_group *groups;        /* sorted, for code points >= 0x10000 */
	size_t ngroups;
	unsigned char *data;       /* the file, for subsetting */
	size_t len;
	int mapped;                /* data is mmap'd (else malloc'd) */
	kern_table *kern;          /* GPOS pair kerning, NULL for none; its
				      memo is the one thing measuring
				      changes, so a face is used by one
				      thread at a time */
};

static uint32_t font_glyph(const font_face *f, uint32_t cp);

/* Map a glyph id to a BMP slot unless it is out of range. */
static void font_set(font_face *f, uint32_t cp, uint32_t gid)
{
	if (cp < 65536 && gid < f->nglyphs)
		f->bmp[cp] = (uint16_t)gid;
}

/* cmap format 4 subtable at off. Work is bounded by 65536 + segments even
 * for overlapping segments. Returns 1 if usable. */
static int font_cmap4(font_face *f, const sfnt *s, size_t off)
{
	size_t len = sfnt_u16(s, off + 2);
	if (len < 14 || !sfnt_in(s, off, len))
		return 0;
	sfnt t = {s->p + off, len};
	size_t segs = sfnt_u16(&t, 6) / 2;
	if (!sfnt_in(&t, 14, segs * 8 + 2))
		return 0;
	size_t ends = 14, starts = 16 + segs * 2, deltas = starts + segs * 2,
	       ranges = deltas + segs * 2;
	uint32_t next = 0;  /* lowest code point not yet covered */
	for (size_t i = 0; i < segs; i++) {
		uint32_t end = sfnt_u16(&t, ends + i * 2);
		uint32_t start = sfnt_u16(&t, starts + i * 2);
		uint16_t delta = sfnt_u16(&t, deltas + i * 2);
		size_t ro_at = ranges + i * 2;
		uint16_t ro = sfnt_u16(&t, ro_at);
		if (start < next)
			start = next;
		if (end < start)
			continue;
		for (uint32_t c = start; c <= end; c++) {
			uint32_t g;
			if (ro == 0) {
				g = (c + delta) & 0xFFFF;
			} else {
				size_t at = ro_at + ro + 2 * (size_t)(c - sfnt_u16(&t, starts + i * 2));
				if (!sfnt_in(&t, at, 2))
					break;
				g = sfnt_u16(&t, at);
				if (g)
					g = (g + delta) & 0xFFFF;
			}
			if (c != 0xFFFF || g)
				font_set(f, c, g);
		}
		next = end + 1;
	}
	return 1;
}

static int font_group_cmp(const void *a, const void *b)
{
	const font_group *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* cmap format 12 subtable at off. Returns 1 if usable, -1 on no memory. */
static int font_cmap12(font_face *f, const sfnt *s, size_t off)
{
	size_t len = sfnt_u32(s, off + 4);
	if (len < 16 || !sfnt_in(s, off, len))
		return 0;
	sfnt t = {s->p + off, len};
	size_t n = sfnt_u32(&t, 12);
	if (!sfnt_in(&t, 16, n * 12) || n > len / 12)
		return 0;
	size_t nbig = 0;
	for (size_t i = 0; i < n; i++)
		if (sfnt_u32(&t, 16 + i * 12 + 4) >= 0x10000)
			nbig++;
	if (nbig) {
		f->groups = malloc(nbig * sizeof *f->groups);
		if (!f->groups)
			return -1;
	}
	uint32_t next = 0;
	for (size_t i = 0; i < n; i++) {
		size_t g = 16 + i * 12;
		uint32_t start = sfnt_u32(&t, g), end = sfnt_u32(&t, g + 4);
		uint32_t glyph = sfnt_u32(&t, g + 8);
		if (end < start || end > 0x10FFFF)
			continue;
		if (end >= 0x10000) {
			font_group *gr = &f->groups[f->ngroups++];
			gr->start = start < 0x10000 ? 0x10000 : start;
			gr->end = end;
			gr->glyph = glyph + (gr->start - start);
		}
		uint32_t from = start < next ? next : start;
		for (uint32_t c = from; c <= end && c < 0x10000; c++)
			font_set(f, c, glyph + (c - start));
		if (end + 1 > next)
			next = end + 1;
	}
	if (f->ngroups > 1)
		qsort(f->groups, f->ngroups, sizeof *f->groups, font_group_cmp);
	return 1;
}

/* Choose and read a Unicode cmap: (3,10) format 12, then (3,1) format 4,
 * then the Unicode platform. Returns 1, 0 (none usable) or -1 (no memory). */
static int font_cmap(font_face *f, const sfnt *s)
{
	size_t off, len;
	if (!sfnt_table(s, "cmap", &off, &len))
		return 0;
	sfnt t = {s->p + off, len};
	size_t n = sfnt_u16(&t, 2);
	if (!sfnt_in(&t, 4, n * 8))
		return 0;
	static const struct { uint16_t plat, enc, fmt; } pref[] = {
		{3, 10, 12}, {3, 1, 4}, {0, 4, 12}, {0, 6, 12}, {0, 3, 4},
		{0, 2, 4}, {0, 1, 4}, {0, 0, 4},
	};
	for (size_t k = 0; k < sizeof pref / sizeof pref[0]; k++) {
		for (size_t i = 0; i < n; i++) {
			size_t r = 4 + i * 8;
			if (sfnt_u16(&t, r) != pref[k].plat ||
			    sfnt_u16(&t, r + 2) != pref[k].enc)
				continue;
			size_t sub = sfnt_u32(&t, r + 4);
			if (!sfnt_in(&t, sub, 4) || sfnt_u16(&t, sub) != pref[k].fmt)
				continue;
			int ok = pref[k].fmt == 12 ? font_cmap12(f, &t, sub)
						   : font_cmap4(f, &t, sub);
			if (ok)
				return ok;
		}
	}
	return 0;
}

/* Read the whole file (bounded). Returns malloc'd bytes or NULL. */
static unsigned char *font_read_file(const char *path, size_t *len,
				     int *mapped, char *err, size_t errlen)
{
	/* Mapped, so only the tables used are read (a 750 KB face is mostly
	 * outlines and layout tables the PDF never embeds). */
	file_bytes f;
	file_status s = file_map(path, FONT_MAX_FILE, &f);
	if (s != FILE_OK) {
		char why[64];
		snprintf(err, errlen, "cannot read font %s: %s", path,
			 file_status_text(s, &f, FONT_MAX_FILE, why, sizeof why));
		return NULL;
	}
	*len = f.len;
	*mapped = f.mapped;   /* the caller unmaps or frees it */
	return f.data;
}

/* Every table the directory lists lies inside the file: a file cut short
 * (a failed download) otherwise loads with tables silently missing. NULL,
 * or a message naming the first table that does not. */
static const char *font_check_tables(const sfnt *s, char *msg, size_t len)
{
	size_t n = sfnt_u16(s, 4);
	if (!sfnt_in(s, 12, n * 16))
		return "the table directory runs past the end of the file "
		       "(is the file cut short?)";
	for (size_t i = 0; i < n; i++) {
		size_t rec = 12 + i * 16;
		size_t off = sfnt_u32(s, rec + 8), tlen = sfnt_u32(s, rec + 12);
		if (sfnt_in(s, off, tlen))
			continue;
		char tag[5];
		for (int k = 0; k < 4; k++) {
			unsigned char c = s->p[rec + k];
			tag[k] = c >= 0x20 && c < 0x7F ? (char)c : '?';
		}
		tag[4] = 0;
		snprintf(msg, len, "table '%s' runs past the end of the file "
			 "(is the file cut short?)", tag);
		return msg;
	}
	return NULL;
}

/* Parse the tables; returns NULL with err set. */
static const char *font_parse(font_face *f, const sfnt *s, char *msg,
			      size_t msglen)
{
	uint32_t ver = sfnt_u32(s, 0);
	if (!sfnt_in(s, 0, 12))
		return "not a TrueType font (file too short)";
	if (ver != 0x00010000 && ver != 0x74727565 /* 'true' */) {
		if (ver == 0x4F54544F)
			return "CFF-based OpenType (.otf) is not supported; use "
			       "a TrueType font";
		return "not a TrueType font";
	}
	const char *bad = font_check_tables(s, msg, msglen);
	if (bad)
		return bad;
	size_t off, len;
	if (!sfnt_table(s, "head", &off, &len) || len < 54)
		return "missing or truncated 'head' table";
	f->units_per_em = sfnt_u16(s, off + 18);
	if (f->units_per_em < 16 || f->units_per_em > 16384)
		return "bad unitsPerEm in 'head'";
	int upem = f->units_per_em;
	if (!sfnt_table(s, "maxp", &off, &len) || len < 6)
		return "missing or truncated 'maxp' table";
	f->nglyphs = sfnt_u16(s, off + 4);
	if (f->nglyphs == 0)
		return "font has no glyphs";
	if (!sfnt_table(s, "hhea", &off, &len) || len < 36)
		return "missing or truncated 'hhea' table";
	f->ascent = sfnt_s16(s, off + 4) * 1000 / upem;
	f->descent = sfnt_s16(s, off + 6) * 1000 / upem;
	size_t nhm = sfnt_u16(s, off + 34);
	if (nhm == 0 || nhm > f->nglyphs)
		return "bad numberOfHMetrics in 'hhea'";
	if (!sfnt_table(s, "hmtx", &off, &len) || len < nhm * 4)
		return "missing or truncated 'hmtx' table";
	f->glyph_width = malloc(f->nglyphs * sizeof *f->glyph_width);
	if (!f->glyph_width)
		return "out of memory";
	for (size_t g = 0; g < f->nglyphs; g++) {
		unsigned adv = sfnt_u16(s, off + (g < nhm ? g : nhm - 1) * 4);
		f->glyph_width[g] = (int32_t)(adv * 1000u / (unsigned)upem);
	}
	f->notdef_width = f->glyph_width[0];
	f->cap_height = f->ascent * 7 / 10;
	if (sfnt_table(s, "OS/2", &off, &len) && len >= 90 &&
	    sfnt_u16(s, off) >= 2 && sfnt_s16(s, off + 88) > 0)
		f->cap_height = sfnt_s16(s, off + 88) * 1000 / upem;
	int c = font_cmap(f, s);
	if (c < 0)
		return "out of memory";
	if (c == 0)
		return "no usable Unicode 'cmap' subtable (format 4 or 12)";
	return NULL;
}

/* A face over data (taken: freed or unmapped with the face, or here on
 * failure). */
static font_face *font_from_data(const char *path, unsigned char *data,
				 size_t len, int mapped, char *err,
				 size_t errlen)
{
	font_face *f = calloc(1, sizeof *f);
	const char *msg = "out of memory";
	char buf[128];
	if (f) {
		sfnt s = {data, len};
		f->path = malloc(strlen(path) + 1);
		msg = f->path ? font_parse(f, &s, buf, sizeof buf)
			      : "out of memory";
		if (f->path)
			strcpy(f->path, path);
	}
	if (f) {
		f->data = data;
		f->len = len;
		f->mapped = mapped;
	} else if (mapped) {
		munmap(data, len);
	} else {
		free(data);
	}
	if (msg) {
		snprintf(err, errlen, "%s: %s", path, msg);
		font_free(f);
		return NULL;
	}
	f->kern = kern_load(f->data, f->len);
	return f;
}

font_face *font_load(const char *path, char *err, size_t errlen)
{
	char dummy[1];
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof dummy;
	}
	err[0] = '\0';
	size_t len = 0;
	int mapped = 0;
	unsigned char *data = font_read_file(path, &len, &mapped, err, errlen);
	if (!data)
		return NULL;
	return font_from_data(path, data, len, mapped, err, errlen);
}

font_face *font_load_memory(const void *data, size_t len, const char *name,
			    char *err, size_t errlen)
{
	char dummy[1];
	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof dummy;
	}
	err[0] = '\0';
	if (len > FONT_MAX_FILE) {
		snprintf(err, errlen, "font %s is too large", name);
		return NULL;
	}
	unsigned char *copy = malloc(len ? len : 1);
	if (!copy) {
		snprintf(err, errlen, "out of memory reading font %s", name);
		return NULL;
	}
	memcpy(copy, data, len);
	return font_from_data(name, copy, len, 0, err, errlen);
}

void font_free(font_face *f)
{
	if (!f)
		return;
	free(f->path);
	free(f->glyph_width);
	free(f->groups);
	kern_free(f->kern);
	if (f->mapped)
		munmap(f->data, f->len);
	else
		free(f->data);
	free(f);
}

const unsigned char *font_data(const font_face *f, size_t *len)
{
	*len = f->len;
	return f->data;
}

uint32_t font_glyph_id(const font_face *f, uint32_t cp)
{
	return font_glyph(f, cp);
}

int font_glyph_advance(const font_face *f, uint32_t gid)
{
	return gid < f->nglyphs ? f->glyph_width[gid] : f->notdef_width;
}

/* Glyph for a code point, 0 if the font lacks it. */
static uint32_t font_glyph(const font_face *f, uint32_t cp)
{
	if (cp < 65536)
		return f->bmp[cp];
	size_t lo = 0, hi = f->ngroups;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const font_group *g = &f->groups[mid];
		if (cp < g->start)
			hi = mid;
		else if (cp > g->end)
			lo = mid + 1;
		else {
			uint32_t gid = g->glyph + (cp - g->start);
			return gid < f->nglyphs ? gid : 0;
		}
	}
	return 0;
}

int font_advance(const font_face *f, uint32_t cp)
{
	return f->glyph_width[font_glyph(f, cp)];
}

int font_has_glyph(const font_face *f, uint32_t cp)
{
	return font_glyph(f, cp) != 0;
}

double font_kern_glyphs(const font_face *f, uint32_t left, uint32_t right)
{
	if (!f->kern || left > 0xFFFF || right > 0xFFFF)
		return 0;
	return kern_pair(f->kern, (uint16_t)left, (uint16_t)right) * 1000.0 /
	       f->units_per_em;
}

double font_kern(const font_face *f, uint32_t left, uint32_t right)
{
	return f->kern ? font_kern_glyphs(f, font_glyph(f, left),
					  font_glyph(f, right)) : 0;
}

double font_width(const font_face *f, const char *s, size_t len, double size)
{
	long total = 0;
	double kern = 0;
	uint32_t prev = 0;   /* glyph before, 0 at the start */
	size_t i = 0;
	while (i < len) {
		unsigned char c = (unsigned char)s[i];
		uint32_t g;
		if (c < 0x80) {
			g = f->bmp[c];
			i++;
		} else {
			size_t used;
			uint32_t cp = utf8_decode(s + i, len - i, &used);
			g = font_glyph(f, cp);
			i += used;
		}
		total += f->glyph_width[g];
		if (prev && g && f->kern)
			kern += font_kern_glyphs(f, prev, g);
		prev = g;
	}
	return ((double)total + kern) * size / 1000.0;
}

int font_ascent(const font_face *f)
{
	return f->ascent;
}

int font_descent(const font_face *f)
{
	return f->descent;
}

int font_cap_height(const font_face *f)
{
	return f->cap_height;
}

const char *font_path(const font_face *f)
{
	return f->path;
}
