/* fuzz_layout.c - libFuzzer target: bytes that load and check clean are
 * typeset with the A5 style or the A4 handout's (which sets the title
 * block and standfirst above the text, where the A5 has a cover page),
 * fonts and hyphenation kept in one res between inputs, freed once at
 * exit, and written as a PDF, plain, imposed or PDF/X; or the A5 cover
 * page is laid out alone and drawn small, as the EPUB's cover job does
 * (a band of rows at a time: the PNG must equal one drawn whole).
 * The input's last byte picks. PDFs go to a temporary directory removed
 * at exit. Run from the repository root. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/arena.h"
#include "doc/check.h"
#include "base/diag.h"
#include "typeset/layout.h"
#include "source/load.h"
#include "render/pdf/pdf.h"
#include "render/raster/raster.h"
#include "typeset/res.h"
#include "typeset/style.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char tmpdir[] = "/tmp/chapbook-fuzz-XXXXXX";
static res *R;   /* fonts and patterns, kept between inputs */
static char pdf_path[sizeof tmpdir + 16];

static void release(void)
{
	res_free(R);
	unlink(pdf_path);
	rmdir(tmpdir);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static arena style_arena;
	static style *a5, *handout;
	if (!a5) {
		diag_list sd;
		memset(&sd, 0, sizeof sd);
		a5 = style_load("styles/a5.style", "fonts", &style_arena, &sd);
		handout = style_load("styles/a4-handout.style", "fonts",
				     &style_arena, &sd);
		R = res_new();
		if (!a5 || !handout || !R || !mkdtemp(tmpdir))
			abort();   /* the repository's style must load */
		snprintf(pdf_path, sizeof pdf_path, "%s/f.pdf", tmpdir);
		diag_free(&sd);
		atexit(release);
	}
	arena a;
	diag_list d;
	memset(&a, 0, sizeof a);
	memset(&d, 0, sizeof d);
	doc *doc = load_booklet_memory((const char *)data, size, "fuzz.xml", &a, &d);
	int pick = size ? data[size - 1] : 0;
	const style *st = pick & 4 ? handout : a5;
	int ok = doc && check_document(doc, &d) == 0 && d.errors == 0;
	if (ok && (pick & 12) == 8) {
		lo_doc *lo = layout_cover(doc, a5, R, &a, &d);
		unsigned char *png = NULL;
		size_t len = 0;
		if (lo && raster_page_png(lo, 0, 120, &png, &len, &d) == 0) {
			/* drawn a band of rows at a time, the same bytes as
			 * on one whole canvas */
			raster_canvas *c = raster_new(lo->width, lo->height,
						      120, (paint){1, 1, 1}, &d);
			unsigned char *whole = NULL;
			size_t wlen = 0;
			if (c && raster_draw_page(c, lo, 0, &d) == 0 &&
			    raster_encode_png(c, &whole, &wlen, &d) == 0 &&
			    (wlen != len || memcmp(whole, png, len)))
				__builtin_trap();
			free(whole);
			raster_free(c);
		}
		free(png);
	} else if (ok) {
		lo_doc *lo = layout_booklet(doc, st, R, &a, &d);
		if (lo && lo->npages) {
			pdf_options po;
			pdf_options_from_style(st, &po);
			po.impose = !(pick & 4) && (pick & 1);
			if (pick & 2)
				pdf_options_print(&po);   /* PDF/X-4 */
			po.epoch = 1700000000LL;
			po.creator = "chapbook fuzz";
			(void)pdf_write(doc, lo, R, &po, pdf_path, &d);
		}
	}
	diag_free(&d);
	arena_free(&a);
	return 0;
}
