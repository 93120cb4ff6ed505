/* fuzz_layout.c - libFuzzer target: bytes that load and check clean are
 * typeset with the A5 style (fonts and hyphenation stay in one res between
 * inputs, freed once at exit) and written as a PDF, plain or
 * imposed (the input's last byte picks), into a temporary directory
 * removed at exit. Run from the repository root. */
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
	static style *st;
	if (!st) {
		diag_list sd;
		memset(&sd, 0, sizeof sd);
		st = style_load("styles/a5.style", "fonts", &style_arena, &sd);
		R = res_new();
		if (!st || !R || !mkdtemp(tmpdir))
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
	if (doc && check_document(doc, &d) == 0 && d.errors == 0) {
		lo_doc *lo = layout_booklet(doc, st, R, &a, &d);
		if (lo && lo->npages) {
			pdf_options po;
			pdf_options_from_style(st, &po);
			po.impose = data[size - 1] & 1;
			if (data[size - 1] & 2)
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
