/* test_pdf.c - the PDF renderer (builder/pdf.c) on a hand-built layout:
 * plain and imposed output checked with the real tools (qpdf --check,
 * pdffonts, pdftotext, pdfinfo, qpdf --json). Skips the tool checks (and
 * says so) when Charis SIL is not installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"
#include "base/arena.h"
#include "base/diag.h"
#include "doc/doc.h"
#include "typeset/layout.h"
#include "render/pdf/pdf.h"
#include "typeset/res.h"
#include "font/shape.h"

#define A5_W 419.53
#define A5_H 595.28

static char tmpdir[] = "/tmp/chapbook-test-pdf-XXXXXX";
static res *R;   /* the faces every PDF of the run draws with */
static arena shaped_mem;   /* the glyphs write_ok gives runs built by text */
static const char *font_paths[2];
static char font_store[2][512];

/* Prefer the repo's copies, else the system's. */
static int find_fonts(void)
{
	static const char *const dirs[] = {
		"fonts", "../fonts", "/usr/share/fonts/truetype/charis"
	};
	static const char *const names[] = {
		"CharisSIL-Regular.ttf", "CharisSIL-Italic.ttf"
	};
	size_t d, i;

	for (d = 0; d < sizeof dirs / sizeof *dirs; d++) {
		for (i = 0; i < 2; i++) {
			snprintf(font_store[i], sizeof font_store[i], "%s/%s",
				 dirs[d], names[i]);
			if (access(font_store[i], R_OK) != 0)
				break;
			font_paths[i] = font_store[i];
		}
		if (i == 2)
			return 1;
	}
	return 0;
}

/* Run a shell command; its stdout and stderr into malloc'd strings.
 * Returns the exit status. */
static int run(const char *cmd, char **out, char **err)
{
	char full[2048], path_o[600], path_e[600];
	int rc;
	char **dst[2];
	const char *src[2];
	int i;

	snprintf(path_o, sizeof path_o, "%s/cmd.out", tmpdir);
	snprintf(path_e, sizeof path_e, "%s/cmd.err", tmpdir);
	snprintf(full, sizeof full, "%s >%s 2>%s", cmd, path_o, path_e);
	rc = system(full);
	dst[0] = out;
	dst[1] = err;
	src[0] = path_o;
	src[1] = path_e;
	for (i = 0; i < 2; i++) {
		FILE *f = fopen(src[i], "rb");
		size_t n = 0;
		char *s = malloc(1 << 20);

		if (f && s) {
			n = fread(s, 1, (1 << 20) - 1, f);
		}
		if (f)
			fclose(f);
		if (s)
			s[n] = 0;
		if (dst[i])
			*dst[i] = s;
		else
			free(s);
	}
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *s;
	long n;

	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	s = malloc((size_t)n + 1);
	if (s && fread(s, 1, (size_t)n, f) != (size_t)n) {
		free(s);
		s = NULL;
	}
	fclose(f);
	if (s) {
		s[n] = 0;
		*len = (size_t)n;
	}
	return s;
}

/* A five-page booklet layout: cover, contents (roman), two body pages,
 * back cover. Page i carries the marker "PAGEi+1" at the same baseline,
 * so imposed sheets show their order left to right. */
static void build_layout(arena *a, lo_doc *lo)
{
	static const lo_page_kind kinds[5] = {
		LO_COVER, LO_FRONT, LO_BODY, LO_BODY, LO_BACK
	};
	int i;

	memset(lo, 0, sizeof *lo);
	lo->width = A5_W;
	lo->height = A5_H;
	lo->fonts = font_paths;
	lo->nfonts = 2;
	lo->npages = 5;
	lo->pages = arena_alloc(a, 5 * sizeof *lo->pages);
	for (i = 0; i < 5; i++) {
		lo_page *p = &lo->pages[i];
		lo_run *r;

		p->kind = kinds[i];
		p->runs = r = arena_alloc(a, 3 * sizeof *r);
		p->nruns = 3;
		r[0].font = 0;
		r[0].size = 12;
		r[0].x = 60;
		r[0].y = 500;
		r[0].text = arena_printf(a, "PAGE%d", i + 1);
		r[1].font = i % 2;
		r[1].size = 10;
		r[1].x = 60;
		r[1].y = 400;
		r[1].color.r = 0.5;
		r[1].text = "It’s “quoted” – dash — café";
		r[2].font = 0;
		r[2].size = 9;
		r[2].x = 60;
		r[2].y = 80;
		r[2].text = "";
		p->rules = arena_alloc(a, sizeof *p->rules);
		p->nrules = 1;
		p->rules[0].x0 = 60;
		p->rules[0].x1 = 360;
		p->rules[0].y0 = p->rules[0].y1 = 390;
		p->rules[0].width = 0.5;
	}
	/* A URI link and an internal link on page 3 (index 2). */
	/* More than 100 isolated code points: several bfchar blocks. */
	{
		char *t = arena_alloc(a, 4 * 200), *q = t;
		unsigned c;

		for (c = 0x100; c < 0x250; c += 2) {
			*q++ = (char)(0xC0 | c >> 6);
			*q++ = (char)(0x80 | (c & 0x3F));
		}
		lo->pages[4].runs[2].text = t;
		lo->pages[4].runs[2].x = 10;
		lo->pages[4].runs[2].size = 2;
	}
	lo->pages[2].links = arena_alloc(a, 2 * sizeof(lo_link));
	lo->pages[2].nlinks = 2;
	lo->pages[2].links[0] = (lo_link){ .x0 = 60, .y0 = 395, .x1 = 200,
		.y1 = 410, .uri = "https://example.org/café page",
		.dest_page = -1 };
	lo->pages[2].links[1] = (lo_link){ .x0 = 60, .y0 = 495, .x1 = 120,
		.y1 = 512, .dest_page = 3, .dest_y = 520 };
	lo->noutline = 3;
	lo->outline = arena_alloc(a, 3 * sizeof *lo->outline);
	lo->outline[0] = (lo_outline){ 1, "Part “one”", 2, 520 };
	lo->outline[1] = (lo_outline){ 2, "Section – café", 3, 520 };
	lo->outline[2] = (lo_outline){ 1, "Back", 4, 595 };
	lo->nlabels = 3;
	lo->labels = arena_alloc(a, 3 * sizeof *lo->labels);
	lo->labels[0] = (lo_label_range){ 0, 0, 1 };
	lo->labels[1] = (lo_label_range){ 1, 'r', 1 };
	lo->labels[2] = (lo_label_range){ 2, 'D', 1 };
}

static void build_doc(arena *a, doc *d)
{
	memset(d, 0, sizeof *d);
	d->arena = a;
	d->meta.title = "Bonding with your baby – a guide";
	d->meta.nauthors = 2;
	d->meta.authors = arena_alloc(a, 2 * sizeof(doc_name));
	d->meta.authors[0] = (doc_name){ "Pawlby", "Susan", NULL, "Dr", {0} };
	d->meta.authors[1] = (doc_name){ "Findlay", "Lucy", NULL, "Dr", {0} };
}

static const pdf_options plain_opts = {
	.epoch = 1700000000LL, .creator = "chapbook 0.1"
};

/* Common checks: qpdf clean, all fonts embedded and subset with
 * ToUnicode, text extracts without warnings. Returns pdftotext's text. */
static char *check_pdf(const char *path)
{
	char cmd[1024], *out, *err;
	char *line;
	int rc, fonts = 0;

	snprintf(cmd, sizeof cmd, "qpdf --check '%s'", path);
	rc = run(cmd, &out, &err);
	CHECK(rc == 0);
	CHECK(strstr(out, "No syntax or stream encoding errors") != NULL);
	CHECK(err[0] == 0);
	free(out);
	free(err);

	snprintf(cmd, sizeof cmd, "pdffonts '%s'", path);
	rc = run(cmd, &out, &err);
	CHECK(rc == 0);
	CHECK(err[0] == 0);
	line = strtok(out, "\n");
	while (line) {
		if (strncmp(line, "name", 4) != 0 &&
		    strncmp(line, "----", 4) != 0) {
			fonts++;
			CHECK(strstr(line, "CID TrueType      Identity-H       "
					   "yes yes yes") != NULL);
		}
		line = strtok(NULL, "\n");
	}
	CHECK(fonts >= 1);
	free(out);
	free(err);

	snprintf(cmd, sizeof cmd, "pdftotext -layout '%s' -", path);
	rc = run(cmd, &out, &err);
	CHECK(rc == 0);
	CHECK_STR(err, "");
	free(err);
	return out;
}

/* The glyphs of every run built here by text alone: its text shaped in
 * its font, as the typesetter would (the PDF writer never shapes). Runs
 * whose font cannot be loaded are left without. */
static void shape_runs(arena *a, lo_doc *lo)
{
	shape_opts so = {1, 1, "en-GB", NULL};
	for (size_t i = 0; i < lo->npages; i++)
		for (size_t k = 0; k < lo->pages[i].nruns; k++) {
			lo_run *r = &lo->pages[i].runs[k];
			char err[256];
			if (r->glyphs)
				continue;   /* shaped by the test itself */
			face *f = r->text && r->font >= 0 &&
				  (size_t)r->font < lo->nfonts ?
				  res_font(R, lo->fonts[r->font], err, sizeof err) : NULL;
			const shape_run *s = f ? shape_text(res_shaper(R), f,
				r->text, strlen(r->text), &so) : NULL;
			if (!s)
				continue;
			lo_glyph *g = arena_alloc(a, (s->n + 1) * sizeof *g);
			for (size_t j = 0; j < s->n; j++) {
				g[j].cluster = s->glyphs[j].cluster;
				g[j].gid = (uint16_t)s->glyphs[j].gid;
				g[j].kind = r->text[g[j].cluster] == ' ' ?
					    LO_GLYPH_SPACE : LO_GLYPH_TEXT;
				g[j].advance = (int16_t)s->glyphs[j].x_advance;
			}
			r->glyphs = g;
			r->nglyphs = s->n;
			r->upem = face_units_per_em(f);
			r->hscale = 1;
			r->width = (double)s->width * r->size / r->upem;
		}
}

static int write_ok(const doc *d, lo_doc *lo, const pdf_options *o,
		    const char *path)
{
	diag_list dl = {0};
	shape_runs(&shaped_mem, lo);
	int rc = pdf_write(d, lo, R, o, path, &dl);

	if (rc != 0 || dl.errors || dl.warnings)
		diag_print(&dl, stdout);
	rc = rc == 0 && dl.errors == 0 && dl.warnings == 0;
	diag_free(&dl);
	return rc;
}

TEST(plain_pages)
{
	arena a = {0};
	lo_doc lo;
	doc d;
	char path[600], cmd[1024], *text, *out, *err;

	build_layout(&a, &lo);
	build_doc(&a, &d);
	snprintf(path, sizeof path, "%s/plain.pdf", tmpdir);
	CHECK(write_ok(&d, &lo, &plain_opts, path));
	text = check_pdf(path);
	CHECK(strstr(text, "PAGE1") && strstr(text, "PAGE5"));
	CHECK(strstr(text, "It’s “quoted” – dash — café") != NULL);
	CHECK(strstr(text, lo.pages[4].runs[2].text) != NULL);
	free(text);

	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(strstr(out, "Pages:           5") != NULL);
	CHECK(strstr(out, "419.53 x 595.28 pts") != NULL);
	CHECK(strstr(out, "Title:           Bonding with your baby – a guide"));
	CHECK(strstr(out, "Author:          Dr Susan Pawlby and Dr Lucy Findlay"));
	CHECK(strstr(out, "Creator:         chapbook 0.1") != NULL);
	CHECK(strstr(out, "CreationDate:    Tue Nov 14 22:13:20 2023 UTC") ||
	      strstr(out, "2023-11-14T22:13:20"));
	CHECK(err[0] == 0);
	free(out);
	free(err);

	/* Links, outline and labels, read back by qpdf. */
	snprintf(cmd, sizeof cmd, "qpdf --json --json-key=pagelabels "
		 "--json-key=outlines --json-key=pages '%s'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(strstr(out, "\"title\": \"Part “one”\"") != NULL);
	CHECK(strstr(out, "\"title\": \"Section – café\"") != NULL);
	CHECK(strstr(out, "\"/S\": \"/r\"") != NULL);
	CHECK(strstr(out, "\"/S\": \"/D\"") != NULL);
	CHECK(strstr(out, "\"label\": null") == NULL);
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable "
		 "'%s' - | grep -a -c -e '/URI (https://example.org/caf%%C3%%A9%%20page)' "
		 "-e '/Subtype /Link'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(atoi(out) == 3);
	free(out);
	free(err);
	arena_free(&a);
}

TEST(deterministic)
{
	arena a = {0};
	lo_doc lo;
	doc d;
	char p1[600], p2[600];
	char *b1, *b2;
	size_t n1 = 0, n2 = 0;

	build_layout(&a, &lo);
	build_doc(&a, &d);
	snprintf(p1, sizeof p1, "%s/det1.pdf", tmpdir);
	snprintf(p2, sizeof p2, "%s/det2.pdf", tmpdir);
	CHECK(write_ok(&d, &lo, &plain_opts, p1));
	CHECK(write_ok(&d, &lo, &plain_opts, p2));
	b1 = slurp(p1, &n1);
	b2 = slurp(p2, &n2);
	CHECK(b1 && b2 && n1 == n2 && memcmp(b1, b2, n1) == 0);
	CHECK(b1 && strstr(b1, "/ID") == NULL);
	free(b1);
	free(b2);
	{
		pdf_options o = plain_opts;

		o.impose = 1;
		o.crop_marks = 1;
		o.test_sheet = 1;
		o.creep = 0.3;
		CHECK(write_ok(&d, &lo, &o, p1));
		CHECK(write_ok(&d, &lo, &o, p2));
		b1 = slurp(p1, &n1);
		b2 = slurp(p2, &n2);
		CHECK(b1 && b2 && n1 == n2 && memcmp(b1, b2, n1) == 0);
		free(b1);
		free(b2);
	}
	arena_free(&a);
}

TEST(bleed_and_marks)
{
	arena a = {0};
	lo_doc lo;
	pdf_options o = plain_opts;
	char path[600], cmd[1024], *text, *out, *err;

	build_layout(&a, &lo);
	o.bleed = 8.504;
	o.crop_marks = 1;
	snprintf(path, sizeof path, "%s/bleed.pdf", tmpdir);
	CHECK(write_ok(NULL, &lo, &o, path));
	text = check_pdf(path);
	CHECK(strstr(text, "café") != NULL);
	free(text);
	snprintf(cmd, sizeof cmd, "pdfinfo -box '%s'", path);
	CHECK(run(cmd, &out, &err) == 0);
	/* 419.53 + 2 * (8.504 + 18) */
	CHECK(strstr(out, "472.538 x 648.288 pts") != NULL);
	CHECK(strstr(out, "TrimBox:            26.50    26.50   446.03   621.78")
	      != NULL);
	CHECK(strstr(out, "BleedBox:           18.00    18.00   454.54   630.29")
	      != NULL);
	free(out);
	free(err);
	arena_free(&a);
}

/* Text of one imposed sheet side, layout mode. */
static char *side_text(const char *path, int side)
{
	char cmd[1024], *out, *err;

	snprintf(cmd, sizeof cmd, "pdftotext -layout -f %d -l %d '%s' -",
		 side, side, path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK_STR(err, "");
	free(err);
	return out;
}

/* a appears before b in s, and nothing else PAGE-like but those. */
static int in_order(const char *s, const char *a, const char *b)
{
	const char *pa = a ? strstr(s, a) : NULL;
	const char *pb = b ? strstr(s, b) : NULL;
	int count = 0;
	const char *p = s;

	while ((p = strstr(p, "PAGE")) != NULL) {
		count++;
		p += 4;
	}
	if (count != (a != NULL) + (b != NULL))
		return 0;
	if (a && !pa)
		return 0;
	if (b && !pb)
		return 0;
	return !(a && b) || pa < pb;
}

TEST(imposed_a4)
{
	arena a = {0};
	lo_doc lo;
	doc d;
	pdf_options o = plain_opts;
	char path[600], cmd[1024], *text, *out, *err, *s;

	build_layout(&a, &lo);
	build_doc(&a, &d);
	o.impose = 1;
	o.sheet_w = PDF_A4_LANDSCAPE_W;
	o.sheet_h = PDF_A4_LANDSCAPE_H;
	o.crop_marks = 1;
	o.creep = 0.5;
	snprintf(path, sizeof path, "%s/booklet-a4.pdf", tmpdir);
	CHECK(write_ok(&d, &lo, &o, path));
	text = check_pdf(path);
	CHECK(strstr(text, "It’s “quoted” – dash — café") != NULL);
	free(text);
	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(strstr(out, "Pages:           4") != NULL);
	CHECK(strstr(out, "841.89 x 595.28 pts") != NULL);
	free(out);
	free(err);
	/* 5 pages pad to 8 with the blanks before the back cover:
	 * 8|1 2|7 6|3 4|5 -> PAGE5|PAGE1, PAGE2|-, -|PAGE3, PAGE4|-. */
	s = side_text(path, 1);
	CHECK(in_order(s, "PAGE5", "PAGE1"));
	CHECK(strstr(s, "sheet") == NULL);
	free(s);
	s = side_text(path, 2);
	CHECK(in_order(s, "PAGE2", NULL));
	free(s);
	s = side_text(path, 3);
	CHECK(in_order(s, "PAGE3", NULL));
	free(s);
	s = side_text(path, 4);
	CHECK(in_order(s, "PAGE4", NULL));
	free(s);
	/* Page 3 (right half of side 3) sits right of the fold. */
	snprintf(cmd, sizeof cmd, "pdftotext -bbox -f 3 -l 3 '%s' - | "
		 "grep '>PAGE3<'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(strstr(out, "xMin=\"480.") != NULL); /* 420.945 + 60 - 0.5 */
	free(out);
	free(err);
	/* The links land on the sheets: URI, internal, and the outline. */
	snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable "
		 "'%s' - | grep -a -c '/Subtype /Link'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(atoi(out) == 2);
	free(out);
	free(err);
	arena_free(&a);
}

/* The test sheet: sheet 1 only, front and back, labelled, with the
 * printing instruction on the front; no warnings for links whose target
 * is not on it. */
TEST(test_sheet_only_sheet_one)
{
	arena a = {0};
	lo_doc lo;
	doc d;
	pdf_options o = plain_opts;
	char path[600], cmd[1024], *text, *out, *err, *s;

	build_layout(&a, &lo);
	build_doc(&a, &d);
	o.impose = 1;
	o.crop_marks = 1;
	o.test_sheet = 1;
	snprintf(path, sizeof path, "%s/test-sheet.pdf", tmpdir);
	CHECK(write_ok(&d, &lo, &o, path));
	text = check_pdf(path);
	free(text);
	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(strstr(out, "Pages:           2") != NULL);
	free(out);
	free(err);
	s = side_text(path, 1);
	CHECK(in_order(s, "PAGE5", "PAGE1"));
	CHECK(strstr(s, "sheet 1 front") != NULL);
	CHECK(strstr(s, "flip on short edge") != NULL);
	free(s);
	s = side_text(path, 2);
	CHECK(in_order(s, "PAGE2", NULL));
	CHECK(strstr(s, "sheet 1 back") != NULL);
	CHECK(strstr(s, "sheet 2") == NULL);
	free(s);
	arena_free(&a);
}

/* An n-page layout: cover, body pages, and a back cover (n >= 2); page i
 * (1-based) carries "PAGEi". */
static void build_n(arena *a, lo_doc *lo, int n)
{
	int i;

	memset(lo, 0, sizeof *lo);
	lo->width = A5_W;
	lo->height = A5_H;
	lo->fonts = font_paths;
	lo->nfonts = 2;
	lo->npages = (size_t)n;
	lo->pages = arena_alloc(a, (size_t)n * sizeof *lo->pages);
	for (i = 0; i < n; i++) {
		lo_page *p = &lo->pages[i];

		memset(p, 0, sizeof *p);
		p->kind = i == 0 ? LO_COVER : i == n - 1 ? LO_BACK : LO_BODY;
		p->runs = arena_alloc(a, sizeof *p->runs);
		memset(p->runs, 0, sizeof *p->runs);
		p->nruns = 1;
		p->runs[0].size = 12;
		p->runs[0].x = 60;
		p->runs[0].y = 300;
		p->runs[0].text = arena_printf(a, "PAGE%d", i + 1);
	}
}

/* The text of one half (0 left, 1 right) of an imposed side, from the PDF
 * itself: "PAGEi" or "" for a blank. */
static void half_text(const char *path, int side, int half, char *buf,
		      size_t len)
{
	char cmd[1024], *out, *err, *p, *q;

	snprintf(cmd, sizeof cmd, "pdftotext -f %d -l %d -x %d -y 0 -W %d "
		 "-H %d '%s' -", side, side, half ? 421 : 0, 420, 596, path);
	CHECK(run(cmd, &out, &err) == 0);
	free(err);
	for (p = out; *p && (*p == ' ' || *p == '\n' || *p == '\f'); p++)
		;
	for (q = p; *q && *q != ' ' && *q != '\n' && *q != '\f'; q++)
		;
	*q = 0;
	snprintf(buf, len, "%s", p);
	free(out);
}

/* For n pages padded to N (blanks before the back cover), sheet k's front
 * holds N-2k+2 | 2k-1 and its back 2k | N-2k+1, read from the PDF. */
TEST(imposed_order_from_pdf)
{
	static const int counts[] = { 1, 4, 5, 8, 9 };
	size_t c;

	for (c = 0; c < sizeof counts / sizeof *counts; c++) {
		arena a = {0};
		lo_doc lo;
		pdf_options o = plain_opts;
		int n = counts[c], N = (n + 3) / 4 * 4, k, h;
		int body = n >= 2 ? n - 1 : n;
		char path[600], cmd[1024], want[32], got[64], *out, *err;

		build_n(&a, &lo, n);
		o.impose = 1;
		snprintf(path, sizeof path, "%s/order-%d.pdf", tmpdir, n);
		CHECK(write_ok(NULL, &lo, &o, path));
		free(check_pdf(path));
		snprintf(cmd, sizeof cmd, "pdfinfo '%s' | grep '^Pages:'",
			 path);
		CHECK(run(cmd, &out, &err) == 0);
		CHECK(atoi(out + 6) == N / 2);
		free(out);
		free(err);
		for (k = 1; k <= N / 4; k++) {
			int pos[4];

			pos[0] = N - 2 * k + 2;   /* front left */
			pos[1] = 2 * k - 1;       /* front right */
			pos[2] = 2 * k;           /* back left */
			pos[3] = N - 2 * k + 1;   /* back right */
			for (h = 0; h < 4; h++) {
				int p = pos[h], page;

				page = p <= body ? p :
				       n >= 2 && p == N ? n : 0;
				if (page)
					snprintf(want, sizeof want, "PAGE%d",
						 page);
				else
					want[0] = 0;
				half_text(path, 2 * (k - 1) + h / 2 + 1,
					  h % 2, got, sizeof got);
				if (strcmp(got, want) != 0)
					printf("  n=%d sheet %d %s %s: got "
					       "'%s' want '%s'\n", n, k,
					       h < 2 ? "front" : "back",
					       h % 2 ? "right" : "left", got,
					       want);
				CHECK_STR(got, want);
			}
		}
		arena_free(&a);
	}
}

TEST(imposed_letter)
{
	arena a = {0};
	lo_doc lo;
	pdf_options o = plain_opts;
	char path[600], cmd[1024], *text, *out, *err, *s;

	build_layout(&a, &lo);
	lo.npages = 4;           /* exactly one sheet, no padding */
	lo.pages[3].kind = LO_BACK;
	o.impose = 1;
	o.sheet_w = PDF_LETTER_LANDSCAPE_W;
	o.sheet_h = PDF_LETTER_LANDSCAPE_H;
	o.crop_marks = 1;
	o.test_sheet = 1;
	lo.noutline = 2;
	snprintf(path, sizeof path, "%s/booklet-letter.pdf", tmpdir);
	CHECK(write_ok(NULL, &lo, &o, path));
	text = check_pdf(path);
	free(text);
	snprintf(cmd, sizeof cmd, "pdfinfo '%s'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(strstr(out, "Pages:           2") != NULL);
	CHECK(strstr(out, "792 x 612 pts") != NULL);
	free(out);
	free(err);
	s = side_text(path, 1);
	CHECK(in_order(s, "PAGE4", "PAGE1"));
	free(s);
	s = side_text(path, 2);
	CHECK(in_order(s, "PAGE2", "PAGE3"));
	free(s);
	arena_free(&a);
}

/* A character the font lacks is drawn as .notdef and still extracts as
 * itself; the PDF writer says nothing (the typesetter reports it once, at
 * its place in the booklet: test_layout). Characters above the BMP find
 * their CID again when repeated. */
TEST(missing_glyph_drawn_as_notdef)
{
	arena a = {0};
	lo_doc lo;
	diag_list dl = {0};
	char path[600], *text;

	build_layout(&a, &lo);
	lo.pages[0].runs[1].text = "一 and 一 again 😀😀";
	lo.pages[1].runs[2].text = "一 😀 🙂 😀";
	snprintf(path, sizeof path, "%s/missing.pdf", tmpdir);
	shape_runs(&a, &lo);
	CHECK(pdf_write(NULL, &lo, R, &plain_opts, path, &dl) == 0);
	CHECK(dl.errors == 0 && dl.warnings == 0);
	diag_free(&dl);
	text = check_pdf(path);
	CHECK(strstr(text, "一 and 一 again 😀😀") != NULL);
	CHECK(strstr(text, "😀🙂😀") || strstr(text, "😀 🙂 😀"));
	free(text);
	arena_free(&a);
}

/* One face drawing 40,000 distinct characters: the W array had to be one
 * libharu array, which holds at most 32,767 elements. */
TEST(many_distinct_characters_in_one_font)
{
	arena a = {0};
	lo_doc lo;
	diag_list dl = {0};
	char path[600], cmd[1024], *out, *err;
	enum { N = 40000, PER = 100 };
	lo_run *runs = arena_alloc(&a, (N / PER) * sizeof *runs);
	unsigned c = 0x3400;   /* up to U+D03F, below the surrogates */
	int k, i;

	build_layout(&a, &lo);
	/* 400 lines of 100 characters in 1pt type, all on page 4 */
	for (k = 0; k < N / PER; k++) {
		char *t = arena_alloc(&a, 3 * PER + 1), *q = t;

		for (i = 0; i < PER; i++, c++) {
			*q++ = (char)(0xE0 | c >> 12);
			*q++ = (char)(0x80 | (c >> 6 & 0x3F));
			*q++ = (char)(0x80 | (c & 0x3F));
		}
		runs[k].size = 1;
		runs[k].x = 20;
		runs[k].y = 580 - 1.4 * k;
		runs[k].text = t;
	}
	lo.pages[3].runs = runs;
	lo.pages[3].nruns = N / PER;
	snprintf(path, sizeof path, "%s/many.pdf", tmpdir);
	shape_runs(&a, &lo);
	CHECK(pdf_write(NULL, &lo, R, &plain_opts, path, &dl) == 0);
	CHECK(dl.errors == 0);
	if (dl.errors)
		diag_print(&dl, stdout);
	diag_free(&dl);
	snprintf(cmd, sizeof cmd, "qpdf --check '%s'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(strstr(out, "No syntax or stream encoding errors") != NULL);
	free(out);
	free(err);
	/* the last character extracts as itself (its width and ToUnicode
	 * entry are there) */
	snprintf(cmd, sizeof cmd, "pdftotext -f 4 -l 4 '%s' - | "
		 "grep -c \"$(printf '\\355\\200\\277')\"", path);
	CHECK(run(cmd, &out, &err) == 0 && atoi(out) == 1);
	free(out);
	free(err);
	arena_free(&a);
}

/* The cover: a fill into the bleed, a picture cut to its frame (a 3:1
 * picture in a square frame: 1 x 1 of its 3 x 1 pixels embedded), and a
 * link run drawn in the layout's print colour only for print. (How the
 * fill looks is test_raster's default_cover_matches_pdf.) */
TEST(fills_pictures_and_print_colour)
{
	arena a = {0};
	lo_doc lo;
	doc d;
	char path[600], cmd[1200], *out = NULL, *err = NULL;
	/* a 3 x 1 PNG: red, green, blue (filter bytes 0) */
	static const unsigned char png[] = {
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
		0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x02, 0x00, 0x00, 0x00, 0x94, 0x82, 0x83, 0xe3, 0x00, 0x00, 0x00,
		0x0e, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0xf8, 0xcf, 0xc0, 0xc0,
		0x00, 0xc6, 0x00, 0x0e, 0xfb, 0x02, 0xfe, 0x09, 0x1c, 0x16, 0x34, 0x00,
		0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
	};
	build_layout(&a, &lo);
	build_doc(&a, &d);
	lo_page *p = &lo.pages[0];
	lo.bleed = 8.5;
	lo.print_link_color = (paint){ 0, 0, 0 };
	p->fills = arena_alloc(&a, sizeof *p->fills);
	p->nfills = 1;
	p->fills[0] = (lo_fill){ -8.5, 300, A5_W + 8.5, A5_H + 8.5, { 0.5, 0.1, 0.3 } };
	p->images = arena_alloc(&a, sizeof *p->images);
	p->nimages = 1;
	p->images[0] = (lo_image){ 100, 320, 200, 420, png, sizeof png, "stripes", NULL, 0, 0 };
	p->runs[1].link = 1;
	p->runs[1].color = (paint){ 0, 0, 1 };
	snprintf(path, sizeof path, "%s/cover.pdf", tmpdir);
	CHECK(write_ok(&d, &lo, &plain_opts, path));
	snprintf(cmd, sizeof cmd, "pdfimages -list '%s'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(out && strstr(out, "image       1     1  rgb     3   8") != NULL);
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "mutool draw -F stext -o - '%s' 1", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(out && strstr(out, "color=\"#0000ff\"") != NULL);   /* screen */
	free(out);
	free(err);
	pdf_options po = plain_opts;
	po.print = 1;
	snprintf(path, sizeof path, "%s/cover-print.pdf", tmpdir);
	CHECK(write_ok(&d, &lo, &po, path));
	snprintf(cmd, sizeof cmd, "mutool draw -F stext -o - '%s' 1", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(out && !strstr(out, "color=\"#0000ff\"") &&
	      strstr(out, "color=\"#000000\""));
	free(out);
	free(err);
	arena_free(&a);
}

TEST(bad_font_is_error)
{
	arena a = {0};
	lo_doc lo;
	diag_list dl = {0};
	char path[600];
	const char *bad[2] = { "/nonexistent/font.ttf", NULL };
	struct stat st;

	build_layout(&a, &lo);
	bad[1] = font_paths[1];
	lo.fonts = bad;
	snprintf(path, sizeof path, "%s/bad.pdf", tmpdir);
	CHECK(pdf_write(NULL, &lo, R, &plain_opts, path, &dl) == -1);
	CHECK(dl.errors == 1);
	CHECK(dl.n == 1 && dl.items[0].file &&
	      strcmp(dl.items[0].file, "/nonexistent/font.ttf") == 0);
	CHECK(stat(path, &st) != 0);
	diag_free(&dl);

	/* An unwritable target: an error naming it, nothing written. */
	lo.fonts = font_paths;
	snprintf(path, sizeof path, "%s/no/such/dir/x.pdf", tmpdir);
	CHECK(pdf_write(NULL, &lo, R, &plain_opts, path, &dl) == -1);
	CHECK(dl.errors >= 1);
	CHECK(dl.n >= 1 && dl.items[0].file &&
	      strcmp(dl.items[0].file, path) == 0);
	diag_free(&dl);

	/* A file that is not a font: libharu's error, reported, no file. */
	lo.fonts = bad;
	snprintf(path, sizeof path, "%s/bad.pdf", tmpdir);
	bad[0] = "/etc/hostname";
	CHECK(pdf_write(NULL, &lo, R, &plain_opts, path, &dl) == -1);
	CHECK(dl.errors == 1);
	CHECK(stat(path, &st) != 0);
	diag_free(&dl);
	arena_free(&a);
}

/* A run shaped from text (soft hyphen or U+2010 standing for the last
 * character of `shaped`, which must be a hyphen, when `as` is given:
 * the glyph of an added hyphen, or of a real one ending a line), with
 * its justification; into r (arena memory), width as drawn. */
static void shaped_run(arena *a, lo_run *r, const char *shaped,
		       const char *as, int kind, double space, double hscale)
{
	shape_opts so = {1, 1, "en-GB", NULL};
	char err[256];
	face *f = res_font(R, font_paths[0], err, sizeof err);
	const shape_run *s = f ? shape_text(res_shaper(R), f, shaped,
					    strlen(shaped), &so) : NULL;
	if (!s)
		return;
	lo_glyph *g = arena_alloc(a, (s->n + 1) * sizeof *g);
	double w = 0;
	for (size_t j = 0; j < s->n; j++) {
		g[j].cluster = s->glyphs[j].cluster;
		g[j].gid = (uint16_t)s->glyphs[j].gid;
		g[j].kind = shaped[g[j].cluster] == ' ' ? LO_GLYPH_SPACE :
			    LO_GLYPH_TEXT;
		g[j].advance = (int16_t)s->glyphs[j].x_advance;
		w += hscale * g[j].advance * r->size / face_units_per_em(f);
		if (g[j].kind == LO_GLYPH_SPACE)
			w += space;
	}
	if (as)
		g[s->n - 1].kind = (uint32_t)kind;
	r->text = as ? as : shaped;
	r->glyphs = g;
	r->nglyphs = s->n;
	r->upem = face_units_per_em(f);
	r->hscale = hscale;
	r->space_adjust = space;
	r->width = w;
}

/* The characters MuPDF reads from page 1 of path, in content order: x of
 * each glyph's left edge and its first character (a ligature's further
 * letters, which MuPDF gives no width, are left out). Returns the count. */
static size_t mupdf_chars(const char *path, double *x, char (*c)[8],
			  size_t max)
{
	char cmd[1024], *out, *err, *q;
	size_t n = 0;

	snprintf(cmd, sizeof cmd, "mutool draw -q -F stext -O inhibit-spaces "
		 "-o - '%s' 1", path);
	if (run(cmd, &out, &err) != 0) {
		free(out);
		free(err);
		return 0;
	}
	for (q = strstr(out, "<char "); q && n < max; q = strstr(q + 1, "<char ")) {
		double x0, y0, x1;
		const char *cs = strstr(q, " c=\"");
		if (sscanf(q, "<char quad=\"%lf %lf %lf", &x0, &y0, &x1) != 3 || !cs)
			continue;
		if (x1 - x0 < 1e-3)
			continue;   /* a ligature's further letter */
		cs += 4;
		size_t k = 0;
		while (cs[k] && cs[k] != '"' && k < 7) {
			c[n][k] = cs[k];
			k++;
		}
		c[n][k] = 0;
		x[n++] = x0;
	}
	free(out);
	free(err);
	return n;
}

/* The text layer and the glyphs' places: each glyph lands where the
 * layout put it (kerning, word-space adjustments, horizontal scaling, a
 * run joined to the one before on its line); the "ffi" and "fi"
 * ligatures extract as their letters, word spaces as spaces, an added
 * hyphen as U+00AD, a real one ending a line as U+2010; the ToUnicode
 * map says so. */
TEST(glyphs_and_text_layer)
{
	arena a = {0};
	lo_doc lo;
	char path[600], cmd[1024], *out, *err;
	static double x[256];
	static char c[256][8];

	build_layout(&a, &lo);
	lo_page *p = &lo.pages[0];
	lo_run *r = arena_alloc(&a, 5 * sizeof *r);
	for (int i = 0; i < 5; i++) {
		r[i].size = 10;
		r[i].x = 60;
	}
	r[0].y = r[1].y = 300;
	r[2].y = 280;
	r[3].y = 260;
	r[4].y = 240;
	shaped_run(&a, &r[0], "office fine", NULL, 0, 1.5, 1);
	shaped_run(&a, &r[1], "next", NULL, 0, 0, 1);
	r[1].x = r[0].x + r[0].width + 7;     /* joins r[0]'s TJ array */
	shaped_run(&a, &r[2], "scaled words here", NULL, 0, -0.3, 1.02);
	shaped_run(&a, &r[3], "isol-", "isol\xC2\xAD", LO_GLYPH_HYPHEN, 0, 0.98);
	shaped_run(&a, &r[4], "baby-", "baby\xE2\x80\x90", LO_GLYPH_TEXT, 0, 1);
	p->runs = r;
	p->nruns = 5;
	snprintf(path, sizeof path, "%s/glyphs.pdf", tmpdir);
	CHECK(write_ok(NULL, &lo, &plain_opts, path));

	/* every glyph where the layout's pen puts it */
	size_t n = mupdf_chars(path, x, c, 256), k = 0, bad = 0;
	for (int i = 0; i < 5; i++) {
		double pen = r[i].x;
		for (size_t g = 0; g < r[i].nglyphs && k < n; g++, k++) {
			/* MuPDF's own space for a gap between runs */
			if (!strcmp(c[k], " ") &&
			    r[i].glyphs[g].kind != LO_GLYPH_SPACE && ++k >= n)
				break;
			if (x[k] < pen - 0.01 || x[k] > pen + 0.01) {
				if (!bad)
					printf("  run %d glyph %zu ('%s') at %.3f, "
					       "want %.3f\n", i, g, c[k], x[k], pen);
				bad++;
			}
			pen += r[i].hscale * r[i].glyphs[g].advance * r[i].size /
			       r[i].upem;
			if (r[i].glyphs[g].kind == LO_GLYPH_SPACE)
				pen += r[i].space_adjust;
		}
	}
	CHECK(bad == 0 && k == n && n == 40);   /* 39 glyphs, a gap */

	/* the text as it extracts */
	snprintf(cmd, sizeof cmd, "pdftotext -f 1 -l 1 '%s' -", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(strstr(out, "office fine next") != NULL);
	CHECK(strstr(out, "\xEF\xAC") == NULL);   /* no U+FB00..FB06 */
	CHECK(strstr(out, "scaled words here") != NULL);
	CHECK(strstr(out, "isol\xC2\xAD") != NULL);
	CHECK(strstr(out, "baby\xE2\x80\x90") != NULL);
	free(out);
	free(err);

	/* the ToUnicode map: the ligature for its three letters, the space,
	 * the soft hyphen and U+2010 each a CID of their own */
	snprintf(cmd, sizeof cmd, "qpdf --qdf --object-streams=disable '%s' - | "
		 "grep -a -o -e '> <006600660069>' -e '> <0020>' "
		 "-e '> <00AD>' -e '> <2010>' -e '> <002D>' | sort -u | wc -l",
		 path);
	CHECK(run(cmd, &out, &err) == 0 && atoi(out) == 4);
	free(out);
	free(err);
	arena_free(&a);
}

/* build_layout's pages with a structure: Document > Sect > P, the P's
 * text on pages 3 and 4 (one paragraph split across a page break) and a
 * Link in it on page 3 with its text; the page markers are furniture. */
static void add_structure(arena *a, lo_doc *lo)
{
	static const lo_stype types[4] = {LO_DOCUMENT, LO_SECT, LO_P, LO_LINK};
	lo_run *r;

	lo->nstructs = 4;
	lo->structs = arena_alloc(a, 4 * sizeof *lo->structs);
	for (int i = 0; i < 4; i++) {
		lo->structs[i].type = types[i];
		lo->structs[i].parent = i - 1;
	}
	lo->pages[2].runs[1].elem = 2;
	lo->pages[3].runs[1].elem = 2;
	lo->pages[2].runs[2].elem = 3;   /* the link's text */
	r = &lo->pages[2].runs[2];
	r->text = "example.org";
	r->x = 60;
	r->y = 395;
	r->size = 10;
	lo->pages[2].links[0].elem = 3;
	lo->pages[2].links[0].title = "example.org";
	lo->pages[2].links[1].elem = 3;
}

/* A tagged PDF: the paragraph split across pages is one P element with
 * its text from both pages, its link inside it, furniture out of the
 * tree; the Matterhorn conditions that apply to so small a file pass. The
 * imposed booklet made from the same layout is untagged. */
TEST(tagged_pages)
{
	arena a = {0};
	lo_doc lo;
	doc d;
	char path[600], cmd[1200], *out, *err;
	static const char *const conds[] = {
		"PASS 01-005", "PASS 06-002", "PASS 07-001", "PASS 11-001",
		"PASS 28-008", "PASS 28-009", "PASS 28-011", "PASS 28-012",
		"PASS struct-markinfo", "PASS struct-root",
		"PASS struct-document", "PASS struct-parenttree",
		"PASS meta-xmp", "PASS meta-version",
	};
	const char *top = getenv("TOP");

	build_layout(&a, &lo);
	add_structure(&a, &lo);
	build_doc(&a, &d);
	d.meta.language = "en-GB";
	snprintf(path, sizeof path, "%s/tagged.pdf", tmpdir);
	CHECK(write_ok(&d, &lo, &plain_opts, path));
	free(check_pdf(path));
	snprintf(cmd, sizeof cmd, "pdfinfo -struct-text '%s'", path);
	CHECK(run(cmd, &out, &err) == 0);
	CHECK(err[0] == 0);
	CHECK(strstr(out, "Document\n  Sect\n    P (block)\n"
		      "      \"It’s “quoted” – dash — café\"\n"
		      "      Link (inline)\n        \"example.org\"\n"));
	CHECK(strstr(out, "PAGE") == NULL);   /* furniture is not read */
	{       /* both pages' text in the one P */
		char *p = strstr(out, "    P (block)");
		char *q = p ? strstr(p + 1, "café") : NULL;
		CHECK(q && strstr(q + 1, "café") && !strstr(p + 1, "    P ("));
	}
	free(out);
	free(err);
	snprintf(cmd, sizeof cmd, "/usr/bin/python3 %s/tests/pdfua_check.py "
		 "'%s'", top ? top : ".", path);
	run(cmd, &out, &err);
	for (size_t i = 0; i < sizeof conds / sizeof *conds; i++)
		if (!strstr(out, conds[i])) {
			printf("  no '%s' in pdfua_check's report\n", conds[i]);
			CHECK(0);
		}
	free(out);
	free(err);
	{
		pdf_options o = plain_opts;
		char *b;
		size_t n;

		o.impose = 1;
		snprintf(path, sizeof path, "%s/tagged-imposed.pdf", tmpdir);
		CHECK(write_ok(&d, &lo, &o, path));
		b = slurp(path, &n);
		CHECK(b && !strstr(b, "/StructTreeRoot") &&
		      !strstr(b, "/Artifact") && strstr(b, "/Lang (en-GB)"));
		free(b);
	}
	arena_free(&a);
}

int main(void)
{
	char cmd[700];

	if (!find_fonts()) {
		printf("SKIP test_pdf: Charis SIL fonts not found\n");
		return 0;
	}
	if (!mkdtemp(tmpdir) || !(R = res_new())) {
		printf("FAIL test_pdf: mkdtemp or res_new\n");
		return 1;
	}
	RUN(plain_pages);
	RUN(deterministic);
	RUN(bleed_and_marks);
	RUN(imposed_a4);
	RUN(imposed_letter);
	RUN(test_sheet_only_sheet_one);
	RUN(imposed_order_from_pdf);
	RUN(missing_glyph_drawn_as_notdef);
	RUN(many_distinct_characters_in_one_font);
	RUN(fills_pictures_and_print_colour);
	RUN(bad_font_is_error);
	RUN(glyphs_and_text_layer);
	RUN(tagged_pages);
	res_free(R);
	arena_free(&shaped_mem);
	if (!getenv("KEEP_PDF_TEST")) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			printf("  could not remove %s\n", tmpdir);
	} else {
		printf("  outputs kept in %s\n", tmpdir);
	}
	CHECK_EXIT();
}
