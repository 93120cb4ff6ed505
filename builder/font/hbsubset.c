/* hbsubset.c - owns the hb-subset input, plan and output for embedding
 * (see hbsubset.h): which tables go, the flags, and reading back the old to
 * new glyph mapping; and the EPUB's text subsets. */
#include "font/hbsubset.h"

#include <hb.h>
#include <hb-subset.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Tables a PDF CIDFontType2 never reads, dropped on top of hb-subset's
 * own list (which already drops Graphite, AAT, DSIG, bitmap tables ...). */
static const char *const hbsubset_drop[] = {
	"cmap", "name", "GSUB", "GPOS", "GDEF", "BASE", "JSTF", "MATH",
	"kern", "hdmx", "VDMX", "LTSH", "STAT", "meta", "vhea", "vmtx", "VORG",
};

static void hbsubset_err(char *err, size_t errlen, const char *msg)
{
	if (err && errlen)
		snprintf(err, errlen, "%s", msg);
}

/* The input: the glyphs, the tables to drop, the flags. NULL on no
 * memory or a glyph id out of range (msg set). */
static hb_subset_input_t *hbsubset_input(const face *f, const uint32_t *gids,
					 size_t n, const char **msg)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	hb_set_t *glyphs, *drop;
	size_t i;

	*msg = "out of memory";
	if (!in)
		return NULL;
	glyphs = hb_subset_input_glyph_set(in);
	drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
	hb_set_add(glyphs, 0);
	for (i = 0; i < n; i++) {
		if (gids[i] >= face_glyph_count(f)) {
			*msg = "glyph id out of range";
			hb_subset_input_destroy(in);
			return NULL;
		}
		hb_set_add(glyphs, gids[i]);
	}
	for (i = 0; i < sizeof hbsubset_drop / sizeof *hbsubset_drop; i++)
		hb_set_add(drop, hb_tag_from_string(hbsubset_drop[i], -1));
	hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
	if (!hb_set_allocation_successful(glyphs) ||
	    !hb_set_allocation_successful(drop)) {
		hb_subset_input_destroy(in);
		return NULL;
	}
	*msg = NULL;
	return in;
}

/* The subset plan's face as malloc'd bytes; NULL with *msg set. */
static unsigned char *hbsubset_run(const face *f, hb_subset_input_t *in,
				   size_t *out_len, const char **msg)
{
	hb_face_t *src = hb_font_get_face(face_hb_font(f));
	hb_face_t *sub = hb_subset_or_fail(src, in);
	hb_blob_t *blob = NULL;
	unsigned char *out = NULL;
	unsigned int len = 0;

	*msg = "hb-subset cannot subset this font";
	if (!sub)
		return NULL;
	blob = hb_face_reference_blob(sub);
	const char *data = hb_blob_get_data(blob, &len);
	if (len) {
		*msg = "out of memory";
		out = malloc(len);
		if (out) {
			memcpy(out, data, len);
			*out_len = len;
			*msg = NULL;
		}
	}
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	return out;
}

unsigned char *hbsubset_text(const face *f, const uint32_t *cps, size_t n,
			     size_t *out_len, char *err, size_t errlen)
{
	hb_subset_input_t *in = hb_subset_input_create_or_fail();
	const char *msg = "out of memory";
	unsigned char *out = NULL;

	if (in) {
		hb_set_t *u = hb_subset_input_unicode_set(in);
		for (size_t i = 0; i < n; i++)
			hb_set_add(u, cps[i]);
		hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NOTDEF_OUTLINE);
		if (hb_set_allocation_successful(u))
			out = hbsubset_run(f, in, out_len, &msg);
		hb_subset_input_destroy(in);
	}
	if (!out)
		hbsubset_err(err, errlen, msg);
	return out;
}

unsigned char *hbsubset_build(const face *f, const uint32_t *gids, size_t n,
			      uint32_t *new_gids, size_t *out_len, char *err,
			      size_t errlen)
{
	hb_face_t *src = hb_font_get_face(face_hb_font(f));
	hb_subset_plan_t *plan = NULL;
	hb_face_t *sub = NULL;
	hb_blob_t *blob = NULL;
	unsigned char *out = NULL;
	const char *msg;
	unsigned int len = 0;
	hb_subset_input_t *in = hbsubset_input(f, gids, n, &msg);

	if (!in)
		goto done;
	msg = "hb-subset cannot subset this font";
	plan = hb_subset_plan_create_or_fail(src, in);
	if (!plan)
		goto done;
	if (new_gids) {
		const hb_map_t *map = hb_subset_plan_old_to_new_glyph_mapping(plan);

		for (size_t i = 0; i < n; i++) {
			hb_codepoint_t g = hb_map_get(map, gids[i]);

			if (g == HB_MAP_VALUE_INVALID)
				goto done;
			new_gids[i] = g;
		}
	}
	sub = hb_subset_plan_execute_or_fail(plan);
	if (!sub)
		goto done;
	blob = hb_face_reference_blob(sub);
	const char *data = hb_blob_get_data(blob, &len);
	if (!len)
		goto done;
	msg = "out of memory";
	out = malloc(len);
	if (!out)
		goto done;
	memcpy(out, data, len);
	*out_len = len;
	msg = NULL;
done:
	if (msg)
		hbsubset_err(err, errlen, msg);
	hb_blob_destroy(blob);
	hb_face_destroy(sub);
	hb_subset_plan_destroy(plan);
	hb_subset_input_destroy(in);
	return out;
}
