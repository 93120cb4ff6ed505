/* fonts.c - the print edition's faces in the EPUB (epub-fonts = yes in
 * the A5 style): each face of the A5 layout subset to the characters the
 * book's pages use (hb-subset, keeping the cmap and layout tables a
 * reading system needs), stored in OEBPS/fonts/ as TrueType, with @font-face
 * rules added to the style sheet. Readers who keep the publisher's fonts
 * see the print design; the others are not affected. */
#include <stdlib.h>
#include <string.h>

#include "base/utf8.h"
#include "font/face.h"
#include "font/hbsubset.h"
#include "render/epub/book.h"

/* The faces of a layout, by lo_run.font: regular, italic, bold, bold
 * italic, and the heading face when the style names one. */
static const struct {
	const char *file, *family, *style, *weight;
} epub_faces[] = {
	{ "text-regular.ttf", "chapbook-text", "normal", "normal" },
	{ "text-italic.ttf", "chapbook-text", "italic", "normal" },
	{ "text-bold.ttf", "chapbook-text", "normal", "bold" },
	{ "text-bold-italic.ttf", "chapbook-text", "italic", "bold" },
	{ "heading.ttf", "chapbook-heading", "normal", "bold" },
};
#define EPUB_NFACES (sizeof epub_faces / sizeof epub_faces[0])

static int epub_cp_cmp(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

/* Every character of the XHTML pages written so far, and printable
 * ASCII, sorted and without repeats. *out is malloc'd. */
static size_t epub_text_chars(const epub *st, uint32_t **out)
{
	size_t n = 0, cap = 256;
	uint32_t *v = malloc(cap * sizeof *v);
	for (uint32_t c = 0x20; v && c < 0x7F; c++)
		v[n++] = c;
	for (size_t i = 0; v && i < st->nentries; i++) {
		const epub_entry *e = &st->entries[i];
		size_t nl = strlen(e->name);
		if (nl < 6 || strcmp(e->name + nl - 6, ".xhtml"))
			continue;
		const char *s = e->data;
		for (size_t k = 0, used; k < e->len; k += used) {
			uint32_t cp = utf8_decode(s + k, e->len - k, &used);
			if (cp < 0x80 || !used)
				continue;
			if (n == cap) {
				uint32_t *w = realloc(v, 2 * cap * sizeof *v);
				if (!w) {
					free(v);
					v = NULL;
					break;
				}
				v = w;
				cap *= 2;
			}
			v[n++] = cp;
		}
		if (n > 4096) {      /* keep the array small: fold repeats */
			qsort(v, n, sizeof *v, epub_cp_cmp);
			size_t m = 0;
			for (size_t k = 0; k < n; k++)
				if (!m || v[m - 1] != v[k])
					v[m++] = v[k];
			n = m;
		}
	}
	if (!v)
		return 0;
	qsort(v, n, sizeof *v, epub_cp_cmp);
	size_t m = 0;
	for (size_t k = 0; k < n; k++)
		if (!m || v[m - 1] != v[k])
			v[m++] = v[k];
	*out = v;
	return m;
}

/* The style sheet with the @font-face rules after it. */
static int epub_fonts_css(epub *st, size_t css, const buf *rules)
{
	epub_entry *e = &st->entries[css];
	char *p = malloc(e->len + rules->len + 1);
	if (!p) {
		diag_add(st->diags, DIAG_ERROR, st->d->path, 0, 0, "out of memory");
		return -1;
	}
	memcpy(p, e->data, e->len);
	memcpy(p + e->len, rules->data, rules->len);
	p[e->len + rules->len] = 0;
	free(e->data);
	e->data = p;
	e->len += rules->len;
	return 0;
}

/* One face subset into OEBPS/fonts/, its @font-face rule into rules. */
static int epub_font_face(epub *st, size_t k, const char *path,
			  const uint32_t *cps, size_t n, buf *rules)
{
	char err[300];
	face *f = face_load(path, err, sizeof err);
	size_t len = 0;
	unsigned char *ttf = f ? hbsubset_text(f, cps, n, &len, err, sizeof err)
			       : NULL;
	face_free(f);
	if (!ttf) {
		diag_add(st->diags, DIAG_ERROR, st->d->path, 0, 0,
			 "EPUB fonts: cannot subset %s: %s", path, err);
		return -1;
	}
	const char *name = arena_printf(st->a, EPUB_DIR "fonts/%s",
					epub_faces[k].file);
	if (!epub_entry_room(st, name)) {
		free(ttf);
		return -1;
	}
	st->entries[st->nentries++] = (epub_entry){ name, ttf, len, 0 };
	st->font_files[st->nfonts++] = epub_faces[k].file;
	buf_printf(rules, "@font-face {\n\tfont-family: \"%s\";\n"
		   "\tfont-style: %s;\n\tfont-weight: %s;\n"
		   "\tsrc: url(\"fonts/%s\");\n}\n\n", epub_faces[k].family,
		   epub_faces[k].style, epub_faces[k].weight, epub_faces[k].file);
	return 0;
}

void epub_fonts_plan(epub *st)
{
	const lo_doc *lo = st->opt->print;
	if (!st->opt->embed_fonts || !lo)
		return;
	size_t n = lo->nfonts < EPUB_NFACES ? lo->nfonts : EPUB_NFACES;
	for (size_t k = 0; k < n; k++)
		st->font_paths[k] = arena_strdup(st->a, lo->fonts[k]);
	st->nfont_paths = n;
}

int epub_fonts_make(epub *st, size_t css)
{
	if (!st->opt->embed_fonts || st->nfont_paths < 4)
		return 0;
	uint32_t *cps = NULL;
	size_t n = epub_text_chars(st, &cps);
	buf rules = {0};
	int rc = 0;
	size_t nf = st->nfont_paths;
	buf_puts(&rules, "\n/* The print edition's faces, subset to this book's "
		 "characters (epub-fonts = yes in the A5 style). */\n\n");
	for (size_t k = 0; k < nf && rc == 0; k++)
		rc = epub_font_face(st, k, st->font_paths[k], cps, n, &rules);
	if (rc == 0) {
		buf_printf(&rules, "body {\n\tfont-family: \"chapbook-text\", "
			   "serif;\n}\n\nh1, h2, h3, h4, h5, h6 {\n\t"
			   "font-family: %sserif;\n}\n",
			   nf > 4 ? "\"chapbook-heading\", " : "\"chapbook-text\", ");
		rc = epub_fonts_css(st, css, &rules);
	}
	buf_free(&rules);
	free(cps);
	return rc;
}
