/* main.c - the chapbook command line: parses options, calls the loader,
 * the checks and the renderers, prints diagnostics, picks the exit code.
 * Holds no typesetting or format logic. */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/xmlmemory.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/mem.h"
#include "base/outfile.h"
#include "doc/check.h"
#include "doc/doc.h"
#include "render/epub/epub.h"
#include "render/pdf/pdf.h"
#include "source/load.h"
#include "typeset/layout.h"
#include "typeset/res.h"
#include "typeset/style.h"

#define CHAPBOOK_VERSION "0.1.0"

enum { EXIT_OK = 0, EXIT_CONTENT = 1, EXIT_USAGE = 2, EXIT_INTERNAL = 3 };

enum {
	OUT_EPUB = 1, OUT_A5 = 2, OUT_BOOKLET = 4, OUT_HANDOUT = 8,
	OUT_ALL = 15
};

typedef struct options {
	const char *cmd;
	const char *booklet;
	const char *outdir;
	const char *styles;
	const char *fonts;
	unsigned formats;
	int strict;
	int dump_layout;
	/* print options (override the style's) */
	const char *sheet;
	double creep_mm;
	int creep_set;
	int crop_marks, bleed, test_sheet;
} options;

static void usage(FILE *f)
{
	fputs("usage: chapbook check [--strict] [BOOKLET]\n"
	      "       chapbook build [--epub] [--pdf] [--format LIST] [-o DIR] [--strict]\n"
	      "                      [--styles DIR] [--fonts DIR] [--sheet a4|letter]\n"
	      "                      [--creep MM] [--crop-marks] [--bleed] [--test-sheet]\n"
	      "                      [BOOKLET]\n"
	      "       chapbook --version\n"
	      "LIST is a comma-separated subset of: epub, a5, booklet, handout.\n"
	      "BOOKLET defaults to content/booklet.xml; DIR to out.\n",
	      f);
}

static int parse_formats(const char *s, unsigned *out)
{
	char tmp[256];
	if (strlen(s) >= sizeof tmp)
		return -1;
	strcpy(tmp, s);
	for (char *tok = strtok(tmp, ","); tok; tok = strtok(NULL, ",")) {
		if (!strcmp(tok, "epub"))
			*out |= OUT_EPUB;
		else if (!strcmp(tok, "a5") || !strcmp(tok, "pdf"))
			*out |= OUT_A5;
		else if (!strcmp(tok, "booklet"))
			*out |= OUT_BOOKLET;
		else if (!strcmp(tok, "handout"))
			*out |= OUT_HANDOUT;
		else if (!strcmp(tok, "all"))
			*out |= OUT_ALL;
		else
			return -1;
	}
	return 0;
}

static int parse_args(int argc, char **argv, options *o)
{
	if (argc < 2)
		return -1;
	o->cmd = argv[1];
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char *next = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--strict"))
			o->strict = 1;
		else if (!strcmp(a, "--epub"))
			o->formats |= OUT_EPUB;
		else if (!strcmp(a, "--pdf"))
			o->formats |= OUT_A5;
		else if (!strcmp(a, "--format") && next) {
			if (parse_formats(next, &o->formats) != 0) {
				fprintf(stderr, "chapbook: error: unknown format in '%s'\n", next);
				return -1;
			}
			i++;
		} else if (!strcmp(a, "-o") && next)
			o->outdir = argv[++i];
		else if (!strcmp(a, "--styles") && next)
			o->styles = argv[++i];
		else if (!strcmp(a, "--fonts") && next)
			o->fonts = argv[++i];
		else if (!strcmp(a, "--sheet") && next) {
			o->sheet = argv[++i];
			if (strcmp(o->sheet, "a4") && strcmp(o->sheet, "letter")) {
				fprintf(stderr, "chapbook: error: --sheet takes a4 or letter\n");
				return -1;
			}
		} else if (!strcmp(a, "--creep") && next) {
			char *end;
			o->creep_mm = strtod(argv[++i], &end);
			if (*end || o->creep_mm < 0 || o->creep_mm > 5) {
				fprintf(stderr, "chapbook: error: --creep takes millimetres between 0 and 5\n");
				return -1;
			}
			o->creep_set = 1;
		} else if (!strcmp(a, "--crop-marks"))
			o->crop_marks = 1;
		else if (!strcmp(a, "--bleed"))
			o->bleed = 1;
		else if (!strcmp(a, "--test-sheet"))
			o->test_sheet = 1;
		else if (!strcmp(a, "--dump-layout"))
			o->dump_layout = 1;
		else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "chapbook: error: unknown or incomplete option '%s'\n", a);
			return -1;
		} else if (!o->booklet)
			o->booklet = a;
		else {
			fprintf(stderr, "chapbook: error: more than one booklet given\n");
			return -1;
		}
	}
	if (!o->booklet)
		o->booklet = "content/booklet.xml";
	if (!o->outdir)
		o->outdir = "out";
	if (!o->formats)
		o->formats = OUT_ALL;
	if (o->sheet && !(o->formats & (OUT_BOOKLET | OUT_HANDOUT))) {
		fprintf(stderr, "chapbook: error: --sheet is for the booklet "
			"and the handout (--format booklet,handout)\n");
		return -1;
	}
	return 0;
}

/* Days since 1970-01-01 of a civil date (proleptic Gregorian). */
static long long days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	long long era = (y >= 0 ? y : y - 399) / 400;
	long long yoe = y - era * 400;
	long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

/* The build's timestamp: SOURCE_DATE_EPOCH when set, else midnight UTC of
 * the review date. Never the wall clock. -1 on a malformed variable. */
static long long build_epoch(const doc *d)
{
	const char *s = getenv("SOURCE_DATE_EPOCH");
	if (s && *s) {
		char *end;
		errno = 0;
		long long v = strtoll(s, &end, 10);
		if (errno || *end || v < 0 || v > 253402300799LL)
			return -1;
		return v;
	}
	const char *r = d->meta.reviewed;
	int y = atoi(r), m = strlen(r) >= 7 ? atoi(r + 5) : 1,
	    day = strlen(r) >= 10 ? atoi(r + 8) : 1;
	return days_from_civil(y, m, day) * 86400LL;
}

/* dirname(booklet)/../name, or the explicit directory. Arena string. */
static const char *data_dir(arena *a, const char *booklet, const char *name,
			    const char *given)
{
	if (given)
		return given;
	const char *slash = strrchr(booklet, '/');
	if (!slash)
		return arena_printf(a, "../%s", name);
	return arena_printf(a, "%.*s/../%s", (int)(slash - booklet), booklet, name);
}

/* Print the diagnostics and pick the exit code from what they say failed
 * (diag_exit_code). A step that failed without saying why is a bug in
 * chapbook: exit 3. */
static int finish(diag_list *d, int strict, int failed)
{
	int code = diag_exit_code(d, strict);
	if (failed && code == EXIT_OK) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "internal error: a step failed without a diagnostic");
		code = EXIT_INTERNAL;
	}
	diag_sort(d);
	diag_print(d, stderr);
	diag_print_strict(d, strict, stderr);
	return code;
}

/* A laid-out booklet kept for the next PDF that uses the same style (the
 * A5 PDF and its imposition share one layout). */
typedef struct laid {
	const char *style_name;
	style *st;
	lo_doc *lo;
	arena mem;          /* the layout's, freed before the next one */
} laid;

/* Lay out the booklet with one style (or take the cached layout) and
 * write one PDF. 0, or -1 after adding the diagnostics that say why. */
static int build_pdf(const options *o, const doc *d, res *r, arena *a,
		     diag_list *dg, const char *style_name, const char *suffix,
		     int impose, int paper, long long epoch, laid *cache)
{
	const char *styles = data_dir(a, o->booklet, "styles", o->styles);
	const char *fonts = data_dir(a, o->booklet, "fonts", o->fonts);
	const char *path = arena_printf(a, "%s/%s", styles, style_name);
	style *st;
	lo_doc *lo;
	if (cache->style_name && !strcmp(cache->style_name, style_name)) {
		st = cache->st;
		lo = cache->lo;
	} else {
		st = style_load(path, fonts, a, dg);
		if (!st)
			return -1;
		/* a handout is set on the paper --sheet names */
		if (paper && o->sheet)
			style_set_paper(st, o->sheet);
		arena_free(&cache->mem);
		*cache = (laid){0};
		lo = layout_booklet(d, st, r, &cache->mem, dg);
		if (!lo)
			return -1;
		if (o->dump_layout)
			layout_dump(lo, stdout);
		cache->style_name = style_name;
		cache->st = st;
		cache->lo = lo;
	}
	pdf_options po;
	pdf_options_from_style(st, &po);
	po.impose = impose;
	po.print = impose;
	po.epoch = epoch;
	po.creator = "chapbook " CHAPBOOK_VERSION;
	if (o->sheet)
		style_sheet_size(o->sheet, &po.sheet_w, &po.sheet_h);
	if (o->creep_set)
		po.creep = o->creep_mm * 72.0 / 25.4;
	if (o->crop_marks)
		po.crop_marks = 1;
	if (o->bleed)
		po.bleed = 3.0 * 72.0 / 25.4;
	if (o->test_sheet)
		po.test_sheet = 1;
	if (o->strict && dg->warnings)
		return -1;
	/* A booklet imposed on Letter sheets or a handout on Letter paper
	 * says so in its name; a test sheet never takes the booklet's. */
	if (impose && po.sheet_w > 0 && po.sheet_w < 800)
		suffix = "-booklet-letter.pdf";
	if (paper && o->sheet && !strcmp(o->sheet, "letter"))
		suffix = "-handout-letter.pdf";
	if (impose && po.test_sheet)
		suffix = arena_printf(a, "%.*s-test.pdf",
				      (int)(strlen(suffix) - 4), suffix);
	const char *out = arena_printf(a, "%s/%s%s", o->outdir,
				       d->meta.identifier, suffix);
	return pdf_write(d, lo, r, &po, out, dg) == 0 ? 0 : -1;
}

/* The PDF outputs, in build order: format flag, style, file suffix. */
static const struct {
	unsigned flag;
	const char *style, *suffix;
	int impose;
	int paper;          /* --sheet sets the page size */
} pdfs[] = {
	{OUT_A5, "a5.style", "-a5.pdf", 0, 0},
	{OUT_BOOKLET, "a5.style", "-booklet-a4.pdf", 1, 0},
	{OUT_HANDOUT, "a4-handout.style", "-handout-a4.pdf", 0, 1},
};

/* Start loading the first PDF style's hyphenation patterns on a second
 * thread while the booklet is parsed and checked. The style is
 * read here only to find them; errors in it are reported by build_pdf,
 * in their usual place. */
static void prefetch_pdf_style(const options *o, res *r, arena *a)
{
	for (size_t i = 0; i < sizeof pdfs / sizeof *pdfs; i++) {
		if (!(o->formats & pdfs[i].flag))
			continue;
		const char *styles = data_dir(a, o->booklet, "styles", o->styles);
		const char *fonts = data_dir(a, o->booklet, "fonts", o->fonts);
		diag_list quiet = {0};
		style *st = style_load(arena_printf(a, "%s/%s", styles,
						    pdfs[i].style),
				       fonts, a, &quiet);
		if (st && !quiet.errors)
			res_prefetch(r, st);
		diag_free(&quiet);
		return;
	}
}

/* The EPUB, written on its own thread while the PDFs are laid out (it
 * shares nothing with them but the read-only document and the output
 * transaction, which locks), with its own diagnostics. */
typedef struct epub_job {
	const doc *d;
	const char *css, *out;
	long long epoch;
	diag_list diags;
	int rc;
} epub_job;

static void *epub_job_run(void *arg)
{
	epub_job *j = arg;
	j->rc = epub_write(j->d, j->css, j->epoch, j->out, &j->diags);
	return NULL;
}

/* Write the outputs the options ask for (into the open transaction).
 * 0, or -1 after adding the diagnostics that say why. */
static int cmd_build(const options *o, doc *d, res *r, arena *a,
		     diag_list *dg)
{
	long long epoch = build_epoch(d);
	if (epoch < 0) {
		diag_io(dg, NULL, "SOURCE_DATE_EPOCH must be a number of "
			"seconds since 1970");
		return -1;
	}
	if (outfile_mkdirs(o->outdir, dg) != 0)
		return -1;
	epub_job job = {0};
	pthread_t thread;
	int threaded = 0;
	if (o->formats & OUT_EPUB) {
		const char *styles = data_dir(a, o->booklet, "styles", o->styles);
		job.d = d;
		job.css = arena_printf(a, "%s/epub.css", styles);
		job.out = arena_printf(a, "%s/%s.epub", o->outdir,
				       d->meta.identifier);
		job.epoch = epoch;
		/* alone, or when no thread can be had, it runs here */
		threaded = (o->formats & ~OUT_EPUB) &&
			   pthread_create(&thread, NULL, epub_job_run, &job) == 0;
		if (!threaded) {
			epub_job_run(&job);
			diag_append(dg, &job.diags);
			if (job.rc != 0)
				return -1;
		}
	}
	/* The PDFs' diagnostics follow the EPUB's, as if run in turn. */
	diag_list pdf_dg = {0};
	int rc = 0;
	laid cache = {0};
	for (size_t i = 0; i < sizeof pdfs / sizeof *pdfs && rc == 0; i++)
		if (o->formats & pdfs[i].flag)
			rc = build_pdf(o, d, r, a, threaded ? &pdf_dg : dg,
				       pdfs[i].style, pdfs[i].suffix,
				       pdfs[i].impose, pdfs[i].paper, epoch,
				       &cache);
	arena_free(&cache.mem);
	if (threaded) {
		pthread_join(thread, NULL);
		diag_append(dg, &job.diags);
		diag_append(dg, &pdf_dg);
		if (job.rc != 0)
			rc = -1;
	}
	return rc;
}

/* Build: all outputs or none. Nothing replaces a previous file until every
 * output is complete and nothing has failed (with --strict, no warning
 * either). 0 or -1. */
static int build_all_or_nothing(const options *o, doc *d, res *r,
				arena *a, diag_list *dg)
{
	outfile_begin();
	if (cmd_build(o, d, r, a, dg) != 0 || diag_exit_code(dg, o->strict)) {
		outfile_rollback();
		return -1;
	}
	return outfile_commit(dg);
}

int main(int argc, char **argv)
{
	options o = {0};
	/* one way out when memory runs out, signals that clean up */
	xmlMemSetup(free, xmalloc, xrealloc, xstrdup);
	outfile_catch_signals();
	if (argc == 2 && !strcmp(argv[1], "--version")) {
		puts("chapbook " CHAPBOOK_VERSION);
		return EXIT_OK;
	}
	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return EXIT_OK;
	}
	if (parse_args(argc, argv, &o) != 0 ||
	    (strcmp(o.cmd, "check") && strcmp(o.cmd, "build"))) {
		usage(stderr);
		return EXIT_USAGE;
	}
	arena a = {0};
	diag_list dg = {0};
	/* fonts and hyphenation patterns shared by every PDF of the run */
	res *r = res_new();
	if (!strcmp(o.cmd, "build"))
		prefetch_pdf_style(&o, r, &a);
	doc *d = load_booklet(o.booklet, &a, &dg);
	int failed = !d || check_document(d, &dg) > 0 ||
		     diag_exit_code(&dg, o.strict) != EXIT_OK;
	if (!failed && !strcmp(o.cmd, "build"))
		failed = build_all_or_nothing(&o, d, r, &a, &dg) != 0;
	int code = finish(&dg, o.strict, failed);
	res_free(r);
	diag_free(&dg);
	arena_free(&a);
	return code;
}
