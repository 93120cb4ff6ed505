/* face.c - owns loading a TrueType face into HarfBuzz (hb_blob, hb_face,
 * hb_font) and the checks that refuse what HarfBuzz would silently accept
 * but we could not draw or embed; metrics, glyph lookup, advances and the
 * descriptor facts come from HarfBuzz. The only bytes read here directly
 * (through sfnt.h's bounds-checked reader) are the table directory and the
 * few header fields HarfBuzz hides or replaces with defaults: unitsPerEm,
 * numberOfHMetrics, indexToLocFormat, the advances' range (HarfBuzz 6.0
 * misreads advances of 32768 units and more), the head bbox and
 * isFixedPitch.
 * Also the run-wide face cache. */
#include "font/face.h"

#include <hb.h>
#include <hb-ot.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"
#include "font/sfnt.h"

enum { FACE_MAX_FILE = 64 * 1024 * 1024 };

struct face {
	char *path;
	file_bytes *bytes;         /* owned by the blob: released with it */
	hb_font_t *font;           /* holds the hb_face, which holds the blob */
	int upem;
	uint32_t nglyphs;
	int ascent, descent, cap_height;   /* font units */
	face_info info;
};

/* The blob's destroy callback: the file's bytes go with the last
 * HarfBuzz reference to them. */
static void face_release_bytes(void *p)
{
	file_bytes *b = p;

	file_release(b);
	free(b);
}

static void face_set_err(char *err, size_t errlen, const char *name,
			 const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s: %s", name, msg);
}

/* The message for table record rec lying outside the file, naming the
 * table, into msg[0..96). */
static const char *face_table_message(const sfnt *s, size_t rec, char *msg)
{
	char tag[5];

	for (int k = 0; k < 4; k++) {
		unsigned char c = s->p[rec + (size_t)k];
		tag[k] = c >= 0x20 && c < 0x7F && c != '\'' ? (char)c : '?';
	}
	tag[4] = '\0';
	snprintf(msg, 96, "table '%s' runs past the end of the file "
		 "(the font is cut short)", tag);
	return msg;
}

/* The file's signature, its table directory (every table inside the
 * file) and the tables a drawable TrueType face needs, read through
 * sfnt.h. Returns NULL or a message (perhaps in buf, 96 bytes). */
static const char *face_check_tables(const sfnt *s, char *buf)
{
	static const struct { const char *tag, *msg; } need[] = {
		{"head", "no 'head' table"}, {"hhea", "no 'hhea' table"},
		{"hmtx", "no 'hmtx' table"}, {"maxp", "no 'maxp' table"},
		{"cmap", "no 'cmap' table"},
		{"glyf", "no 'glyf'/'loca' tables (not a TrueType-outline font)"},
		{"loca", "no 'glyf'/'loca' tables (not a TrueType-outline font)"},
	};
	uint32_t ver = sfnt_u32(s, 0);
	size_t n = sfnt_u16(s, 4), off, len, i;

	if (!sfnt_in(s, 0, 12))
		return "not a TrueType font (file too short)";
	if (ver == 0x4F54544F)          /* 'OTTO' */
		return "CFF-based OpenType (.otf) is not supported; use a "
		       "TrueType font";
	if (ver == 0x74746366)          /* 'ttcf' */
		return "font collections (.ttc) are not supported; use a "
		       "single TrueType font";
	if (ver != 0x00010000 && ver != 0x74727565)   /* 'true' */
		return "not a TrueType font";
	if (n == 0 || !sfnt_in(s, 12, n * 16))
		return "truncated table directory";
	for (i = 0; i < n; i++) {
		size_t rec = 12 + i * 16;

		if (!sfnt_in(s, sfnt_u32(s, rec + 8), sfnt_u32(s, rec + 12)))
			return face_table_message(s, rec, buf);
	}
	for (i = 0; i < sizeof need / sizeof need[0]; i++)
		if (!sfnt_table(s, need[i].tag, &off, &len) || len == 0)
			return need[i].msg;
	return NULL;
}

/* The header fields HarfBuzz would replace with defaults, checked. */
static const char *face_check_headers(const sfnt *s, face *f)
{
	size_t head, hlen, hhea, hhlen, maxp, mlen, hmtx, hmlen, loca, llen;
	unsigned nhm, loca_format;

	sfnt_table(s, "head", &head, &hlen);
	sfnt_table(s, "hhea", &hhea, &hhlen);
	sfnt_table(s, "maxp", &maxp, &mlen);
	sfnt_table(s, "hmtx", &hmtx, &hmlen);
	sfnt_table(s, "loca", &loca, &llen);
	if (hlen < 54)
		return "truncated 'head' table";
	f->upem = (int)sfnt_u16(s, head + 18);
	if (f->upem < 16 || f->upem > 16384)
		return "bad unitsPerEm in 'head'";
	loca_format = sfnt_u16(s, head + 50);
	if (loca_format > 1)
		return "bad indexToLocFormat in 'head'";
	if (mlen < 6)
		return "truncated 'maxp' table";
	f->nglyphs = sfnt_u16(s, maxp + 4);
	if (f->nglyphs == 0)
		return "font has no glyphs";
	if (hhlen < 36)
		return "truncated 'hhea' table";
	nhm = sfnt_u16(s, hhea + 34);
	if (nhm == 0 || nhm > f->nglyphs)
		return "bad numberOfHMetrics in 'hhea'";
	if (hmlen < (size_t)nhm * 4)
		return "truncated 'hmtx' table";
	/* HarfBuzz 6.0 reads advances of 32768 units and more as negative
	 * numbers; no real font comes near (Charis SIL: at most 6246). */
	for (unsigned g = 0; g < nhm; g++)
		if (sfnt_u16(s, hmtx + (size_t)g * 4) >= 0x8000)
			return "a glyph advance of 32768 units or more in 'hmtx'";
	if (llen < ((size_t)f->nglyphs + 1) * (loca_format ? 4 : 2))
		return "truncated 'loca' table";
	for (int i = 0; i < 4; i++)
		f->info.bbox[i] = sfnt_s16(s, head + 36 + (size_t)i * 2) *
				  1000 / f->upem;
	size_t post, plen;
	if (sfnt_table(s, "post", &post, &plen) && plen >= 16)
		f->info.fixed_pitch = sfnt_u32(s, post + 12) != 0;
	return NULL;
}

/* The PostScript name through HarfBuzz's name table reader, reduced to
 * the characters a PDF name and subset tag allow. */
static void face_read_ps_name(face *f, hb_face_t *hf)
{
	char raw[256];
	unsigned int len = sizeof raw;
	size_t i, k = 0;

	raw[0] = '\0';
	hb_ot_name_get_utf8(hf, HB_OT_NAME_ID_POSTSCRIPT_NAME,
			    HB_LANGUAGE_INVALID, &len, raw);
	for (i = 0; raw[i] && k + 1 < sizeof f->info.ps_name; i++) {
		char c = raw[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-')
			f->info.ps_name[k++] = c;
	}
	f->info.ps_name[k] = '\0';
	if (!k)
		snprintf(f->info.ps_name, sizeof f->info.ps_name, "Font");
}

/* Metrics and descriptor facts through HarfBuzz; NULL or a message. */
static const char *face_read_metrics(face *f)
{
	hb_face_t *hf = hb_font_get_face(f->font);
	hb_font_extents_t ext;
	hb_position_t cap;
	hb_set_t *cps;
	int empty;

	if (hb_face_get_glyph_count(hf) < f->nglyphs)
		return "damaged 'maxp' table";
	/* a usable cmap: the space mapped says so at once; else one mapping
	 * of any character (collecting them all costs a quarter of a
	 * million instructions a face) */
	hb_codepoint_t space;
	empty = !hb_font_get_nominal_glyph(f->font, 0x20, &space);
	if (empty) {
		cps = hb_set_create();
		hb_face_collect_unicodes(hf, cps);
		empty = hb_set_is_empty(cps);
		hb_set_destroy(cps);
	}
	if (empty)
		return "no usable Unicode 'cmap' subtable";
	hb_font_get_h_extents(f->font, &ext);
	f->ascent = ext.ascender;
	f->descent = ext.descender;
	f->cap_height = f->ascent * 7 / 10;
	if (hb_ot_metrics_get_position(f->font, HB_OT_METRICS_TAG_CAP_HEIGHT,
				       &cap) && cap > 0)
		f->cap_height = cap;
	f->info.italic_angle = hb_style_get_value(f->font,
						  HB_STYLE_TAG_SLANT_ANGLE);
	f->info.weight = (int)hb_style_get_value(f->font, HB_STYLE_TAG_WEIGHT);
	face_read_ps_name(f, hf);
	return NULL;
}

/* A face over bytes (taken: released with the face, or here on failure). */
static face *face_from_bytes(const char *name, file_bytes *bytes, char *err,
			     size_t errlen)
{
	face *f = calloc(1, sizeof *f);
	sfnt s = {bytes->data, bytes->len};
	const char *msg = "out of memory";
	hb_blob_t *blob;
	hb_face_t *hf;

	if (!f || !(f->path = strdup(name))) {
		free(f);
		face_release_bytes(bytes);
		face_set_err(err, errlen, name, msg);
		return NULL;
	}
	char buf[96];
	msg = face_check_tables(&s, buf);
	if (!msg)
		msg = face_check_headers(&s, f);
	if (msg) {
		face_release_bytes(bytes);
		goto fail;
	}
	blob = hb_blob_create((const char *)bytes->data,
			      (unsigned int)bytes->len, HB_MEMORY_MODE_READONLY,
			      bytes, face_release_bytes);
	hf = hb_face_create(blob, 0);
	hb_blob_destroy(blob);
	f->font = hb_font_create(hf);
	hb_face_destroy(hf);
	if (f->font == hb_font_get_empty()) {
		msg = "out of memory";
		goto fail;
	}
	hb_ot_font_set_funcs(f->font);
	hb_font_set_scale(f->font, f->upem, f->upem);
	hb_font_make_immutable(f->font);
	f->bytes = bytes;
	msg = face_read_metrics(f);
	if (msg)
		goto fail;
	return f;
fail:
	face_set_err(err, errlen, name, msg);
	face_free(f);
	return NULL;
}

face *face_load(const char *path, char *err, size_t errlen)
{
	file_bytes *b = malloc(sizeof *b);
	file_status st;
	char buf[128];

	if (err && errlen)
		err[0] = '\0';
	if (!b) {
		face_set_err(err, errlen, path, "out of memory");
		return NULL;
	}
	st = file_map(path, FACE_MAX_FILE, b);
	if (st != FILE_OK) {
		if (err && errlen)
			snprintf(err, errlen, "cannot read font %s: %s", path,
				 file_status_text(st, b, FACE_MAX_FILE, buf,
						  sizeof buf));
		free(b);
		return NULL;
	}
	return face_from_bytes(path, b, err, errlen);
}

face *face_load_memory(const void *data, size_t len, const char *name,
		       char *err, size_t errlen)
{
	file_bytes *b = calloc(1, sizeof *b);

	if (err && errlen)
		err[0] = '\0';
	if (len > FACE_MAX_FILE) {
		free(b);
		face_set_err(err, errlen, name, "font is too large");
		return NULL;
	}
	if (!b || !(b->data = malloc(len ? len : 1))) {
		free(b);
		face_set_err(err, errlen, name, "out of memory");
		return NULL;
	}
	memcpy(b->data, data, len);
	b->len = len;
	return face_from_bytes(name, b, err, errlen);
}

void face_free(face *f)
{
	if (!f)
		return;
	if (f->font)
		hb_font_destroy(f->font);   /* and the face, blob and bytes */
	free(f->path);
	free(f);
}

/* Faces shared by the whole run, by path. */
static struct {
	pthread_mutex_t lock;
	face **faces;
	size_t n, cap;
} face_cache = {PTHREAD_MUTEX_INITIALIZER, NULL, 0, 0};

face *face_open_cached(const char *path, char *err, size_t errlen)
{
	face *f = NULL;
	size_t i;

	pthread_mutex_lock(&face_cache.lock);
	for (i = 0; i < face_cache.n && !f; i++)
		if (!strcmp(face_cache.faces[i]->path, path))
			f = face_cache.faces[i];
	if (!f && face_cache.n == face_cache.cap) {
		size_t cap = face_cache.cap ? face_cache.cap * 2 : 8;
		face **nf = realloc(face_cache.faces, cap * sizeof *nf);

		if (!nf) {
			face_set_err(err, errlen, path, "out of memory");
			pthread_mutex_unlock(&face_cache.lock);
			return NULL;
		}
		face_cache.faces = nf;
		face_cache.cap = cap;
	}
	if (!f && (f = face_load(path, err, errlen)))
		face_cache.faces[face_cache.n++] = f;
	pthread_mutex_unlock(&face_cache.lock);
	return f;
}

void face_cache_release(void)
{
	pthread_mutex_lock(&face_cache.lock);
	for (size_t i = 0; i < face_cache.n; i++)
		face_free(face_cache.faces[i]);
	free(face_cache.faces);
	face_cache.faces = NULL;
	face_cache.n = face_cache.cap = 0;
	pthread_mutex_unlock(&face_cache.lock);
}

const char *face_path(const face *f)
{
	return f->path;
}

const unsigned char *face_data(const face *f, size_t *len)
{
	*len = f->bytes->len;
	return f->bytes->data;
}

int face_units_per_em(const face *f)
{
	return f->upem;
}

uint32_t face_glyph_count(const face *f)
{
	return f->nglyphs;
}

uint32_t face_glyph(const face *f, uint32_t cp)
{
	hb_codepoint_t g = 0;

	if (!hb_font_get_nominal_glyph(f->font, cp, &g) || g >= f->nglyphs)
		return 0;
	return g;
}

int32_t face_advance(const face *f, uint32_t gid)
{
	return hb_font_get_glyph_h_advance(f->font,
					   gid < f->nglyphs ? gid : 0);
}

/* v font units in 1/1000 em, truncated toward zero. */
static int face_1000(const face *f, int64_t v)
{
	return (int)(v * 1000 / f->upem);
}

int face_advance_1000(const face *f, uint32_t gid)
{
	return face_1000(f, face_advance(f, gid));
}

int face_ascent(const face *f)
{
	return f->ascent;
}

int face_descent(const face *f)
{
	return f->descent;
}

int face_cap_height(const face *f)
{
	return f->cap_height;
}

int face_ascent_1000(const face *f)
{
	return face_1000(f, f->ascent);
}

int face_descent_1000(const face *f)
{
	return face_1000(f, f->descent);
}

int face_cap_height_1000(const face *f)
{
	return face_1000(f, f->cap_height);
}

const face_info *face_get_info(const face *f)
{
	return &f->info;
}

struct hb_font_t *face_hb_font(const face *f)
{
	return f->font;
}
