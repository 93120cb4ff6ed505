/* build.c - writing the outputs of a checked booklet (see build.h). */
#include "cli/build.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/outfile.h"
#include "render/epub/epub.h"
#include "render/pdf/pdf.h"
#include "typeset/layout.h"
#include "typeset/style.h"

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

long long build_epoch(const doc *d)
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

/* The PDF outputs, in build order: format flag, style, file suffix,
 * imposed, and whether --sheet sets the page size (the handout). */
static const struct {
	unsigned flag;
	const char *style, *suffix;
	int impose, paper;
} pdfs[] = {
	{OUT_A5, "a5.style", "-a5.pdf", 0, 0},
	{OUT_BOOKLET, "a5.style", "-booklet-a4.pdf", 1, 0},
	{OUT_HANDOUT, "a4-handout.style", "-handout-a4.pdf", 0, 1},
};
#define NPDFS (sizeof pdfs / sizeof pdfs[0])

/* One build's state: the options, where inputs are, what was done. */
typedef struct builder {
	const args *o;
	const paths *p;
	const doc *d;
	res *rs;
	arena *a;
	build_report *r;
	long long epoch;
	const char *fonts;          /* found on first use */
	/* the last layout, kept for the next PDF that uses the same style,
	 * in its own arena (freed when the next style is laid out, unless
	 * the EPUB still reads it: then it moves to held) */
	const char *laid_style;
	style *st;
	lo_doc *lo;
	arena lay_mem;
	int lo_shared;              /* the EPUB thread reads lo */
	struct epub_job *reader;    /* ... that thread's job */
	arena held;                 /* freed after the EPUB thread ends */
	unsigned txn;               /* the outputs' transaction */
	style *a5;                  /* a5.style as read for the cover job,
				       read-only, taken by lay_out too */
} builder;

/* A layout the EPUB reads is kept beside the next one when it is smaller
 * than this (bytes of arena): the handout is laid out at once. A larger
 * one (a long booklet) is freed first, once the EPUB has taken what it
 * needs from it, so that two large layouts never live together. */
#define BUILD_SHARE_MAX (8u << 20)

static void epub_job_wait(struct epub_job *j);

static void note_input(builder *b, const char *path, const char *why)
{
	build_report *r = b->r;
	const char *s = arena_printf(b->a, "%s (%s)", path, why);
	for (size_t i = 0; i < r->ninputs; i++)
		if (!strcmp(r->inputs[i], s))
			return;
	if (r->ninputs < BUILD_MAX_FILES)
		r->inputs[r->ninputs++] = s;
}

static void note_output(builder *b, const char *path)
{
	if (b->r->nwritten < BUILD_MAX_FILES)
		b->r->written[b->r->nwritten++] = path;
}

/* Load the style called name (or take the last layout made with it) and
 * lay the booklet out with it; paper: on the paper --sheet names; quiet:
 * not for a PDF of this build (the EPUB's page numbers), so no
 * --dump-layout. 0, or -1 after adding diagnostics. */
static int lay_out(builder *b, const char *name, int paper, int quiet,
		   diag_list *dg)
{
	if (b->laid_style && !strcmp(b->laid_style, name))
		return 0;
	const char *why, *fwhy;
	const char *path = paths_style(b->p, name, &why, b->a, dg);
	if (!path)
		return -1;
	note_input(b, path, why);
	if (!b->fonts) {
		b->fonts = paths_fonts(b->p, &fwhy, b->a, dg);
		if (!b->fonts)
			return -1;
		note_input(b, b->fonts, fwhy);
	}
	if (b->a5 && !paper && !strcmp(name, "a5.style"))
		b->st = b->a5;      /* read already, for the cover job */
	else
		b->st = style_load(path, b->fonts, b->a, dg);
	if (!b->st)
		return -1;
	if (paper && b->o->sheet)
		style_set_paper(b->st, b->o->sheet);
	if (b->lo_shared) {
		if (b->lay_mem.total > BUILD_SHARE_MAX) {
			epub_job_wait(b->reader);
		} else {
			b->held = b->lay_mem;
			b->lay_mem = (arena){0};
		}
		b->lo_shared = 0;
	}
	arena_free(&b->lay_mem);
	b->laid_style = NULL;
	b->lo = layout_booklet(b->d, b->st, b->rs, &b->lay_mem, dg);
	if (!b->lo)
		return -1;
	if (b->o->dump_layout && !quiet)
		layout_dump(b->lo, stdout);
	b->laid_style = name;
	return 0;
}

/* The PDF options: the style's, then the command line's over them. */
static void print_options(const builder *b, int impose, pdf_options *po)
{
	const args *o = b->o;
	pdf_options_from_style(b->st, po);
	po->impose = impose;
	po->print = impose;   /* the imposed booklet is for paper */
	po->epoch = b->epoch;
	po->creator = "chapbook " CHAPBOOK_VERSION;
	if (o->sheet)
		style_sheet_size(o->sheet, &po->sheet_w, &po->sheet_h);
	if (o->creep_set)
		po->creep = o->creep_mm * 72.0 / 25.4;
	if (o->crop_marks)
		po->crop_marks = 1;
	if (o->bleed)
		po->bleed = 3.0 * 72.0 / 25.4;
	if (o->test_sheet)
		po->test_sheet = 1;
	if (o->print)
		pdf_options_print(po);
}

/* The path of PDF number i of pdfs[] written with options po. A booklet
 * imposed on Letter sheets or a handout on Letter paper says so in its
 * name, a file for a print shop too; a test sheet never takes the
 * booklet's. Build arena memory. */
static const char *pdf_path(const builder *b, size_t i, const pdf_options *po)
{
	const char *suffix = pdfs[i].suffix;
	if (pdfs[i].impose && po->sheet_w > 0 && po->sheet_w < 800)
		suffix = "-booklet-letter.pdf";
	if (pdfs[i].paper && b->o->sheet && !strcmp(b->o->sheet, "letter"))
		suffix = "-handout-letter.pdf";
	return arena_printf(b->a, "%s/%s%.*s%s%s", b->o->outdir,
			    b->d->meta.identifier,
			    (int)strlen(suffix) - 4, suffix,
			    pdfs[i].impose && po->test_sheet ? "-test" : "",
			    po->pdfx ? "-print.pdf" : ".pdf");
}

/* Write PDF number i of pdfs[]. 0, or -1 after adding diagnostics. */
static int build_pdf(builder *b, size_t i, diag_list *dg)
{
	if (lay_out(b, pdfs[i].style, pdfs[i].paper, 0, dg) != 0)
		return -1;
	pdf_options po;
	print_options(b, pdfs[i].impose, &po);
	if (b->o->strict && dg->warnings)
		return -1;
	const char *out = pdf_path(b, i, &po);
	if (pdf_write(b->d, b->lo, b->rs, &po, out, dg) != 0)
		return -1;
	note_output(b, out);
	return 0;
}

/* The EPUB's cover, drawn on a thread of its own from the A5 style's cover
 * page laid out alone (layout_cover) while the A5 booklet is laid out:
 * the drawing is the largest piece of an EPUB, and that page needs
 * nothing of the rest of the book. It has its own arena and drops its
 * diagnostics: the A5 layout meets the same ones, and when the job has no
 * picture to give, the EPUB draws the cover from that layout as before. */
typedef struct cover_job {
	const doc *d;
	const style *st;
	res *rs;
	arena mem;
	unsigned char *png;         /* malloc'd, until the EPUB takes it */
	size_t len;
	pthread_t thread;
	int started, joined;
	atomic_int drawn;           /* set by the job as it ends */
	/* the EPUB may write its pages before the cover is drawn (when no
	 * PDF but the A5 is made: see build_outputs) */
	int late;
} cover_job;

static void *cover_job_run(void *arg)
{
	cover_job *j = arg;
	diag_list quiet = {0};
	const lo_doc *lo = layout_cover(j->d, j->st, j->rs, &j->mem, &quiet);
	if (lo && !quiet.errors &&
	    epub_draw_cover(lo, 0, &j->png, &j->len, &quiet) != 0) {
		free(j->png);
		j->png = NULL;
	}
	arena_free(&j->mem);
	diag_free(&quiet);
	atomic_store(&j->drawn, 1);
	return NULL;
}

/* Start the cover job when the EPUB will draw its cover (no picture of
 * its own) and a5.style has a cover page and can be read. */
static void cover_job_start(builder *b, cover_job *j)
{
	memset(j, 0, sizeof *j);
	atomic_init(&j->drawn, 0);
	/* several booklets in one run keep every core busy already: a thread
	 * more per booklet only held more memory (100 booklets: 93 -> 127 MB
	 * peak, no faster), so their EPUBs draw their covers themselves */
	if (b->d->meta.cover_data || b->o->nbooklets > 1)
		return;
	/* read as lay_out reads it, which reports what is wrong (and takes
	 * this reading when nothing is) */
	diag_list quiet = {0};
	const char *path = paths_style(b->p, "a5.style", NULL, b->a, &quiet);
	const char *fonts = b->fonts ? b->fonts
				     : paths_fonts(b->p, NULL, b->a, &quiet);
	style *st = path && fonts ? style_load(path, fonts, b->a, &quiet)
				  : NULL;
	int ok = st && !quiet.errors, clean = ok && !quiet.warnings;
	diag_free(&quiet);
	if (!ok || !st->cover_page)
		return;
	if (clean)
		b->a5 = st;
	j->d = b->d;
	j->st = st;
	j->rs = b->rs;
	j->started = pthread_create(&j->thread, NULL, cover_job_run, j) == 0;
}

/* Joined once: by the EPUB when it takes the cover, else at the end of
 * the build, never both at a time (the EPUB's thread has ended by then). */
static void cover_job_join(cover_job *j)
{
	if (!j->joined) {
		pthread_join(j->thread, NULL);
		j->joined = 1;
	}
}

/* epub_options.cover: the drawn cover, once the job is done (0 when it
 * is not and the EPUB may go on without it for now: late). */
static int cover_job_take(void *ctx, int wait, unsigned char **png,
			  size_t *len)
{
	cover_job *j = ctx;
	if (!wait && j->late && !atomic_load(&j->drawn))
		return 0;
	cover_job_join(j);
	*png = j->png;
	*len = j->len;
	j->png = NULL;
	return 1;
}

static void cover_job_end(cover_job *j)
{
	if (!j->started)
		return;
	cover_job_join(j);
	free(j->png);
	j->started = 0;
}

/* The EPUB, written on its own thread once the A5 booklet is laid out
 * (its page numbers come from there) while the PDFs are drawn and the
 * handout laid out: it shares nothing with them but the read-only
 * document, the read-only A5 layout and the output transaction, which
 * locks; it has its own diagnostics.
 * A long booklet's imposed PDF is then written on that thread too, while
 * the A5 PDF is drawn here: the handout waits for the A5 layout to go
 * either way (two long layouts at once would pass the 100x booklet's
 * memory target), and the EPUB's memory is free by then. */
typedef struct epub_job {
	unsigned txn;               /* the build's output transaction */
	const doc *d;
	const char *out;
	epub_options eo;
	diag_list diags;
	int rc;
	/* the imposed booklet after the EPUB, when booklet is set */
	int booklet;
	const lo_doc *lo;
	res *rs;
	pdf_options bpo;
	const char *bout;
	diag_list bdiags;
	int brc;
	/* the job has let go of the A5 layout (epub_options.release, or
	 * the booklet written) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int released;
} epub_job;

static void epub_job_let_go(epub_job *j)
{
	pthread_mutex_lock(&j->mu);
	j->released = 1;
	pthread_cond_broadcast(&j->cv);
	pthread_mutex_unlock(&j->mu);
}

static void *epub_job_run(void *arg)
{
	epub_job *j = arg;
	outfile_join(j->txn);
	j->rc = epub_write(j->d, &j->eo, j->out, &j->diags);
	if (j->booklet) {
		j->brc = pdf_write(j->d, j->lo, j->rs, &j->bpo, j->bout,
				   &j->bdiags);
		epub_job_let_go(j);
	}
	return NULL;
}

/* epub_options.release: the EPUB has taken what it needs of the A5
 * layout (the booklet after it still reads it). */
static void epub_job_release(void *arg)
{
	epub_job *j = arg;
	if (!j->booklet)
		epub_job_let_go(j);
}

/* Until the EPUB no longer reads the A5 layout. */
static void epub_job_wait(epub_job *j)
{
	pthread_mutex_lock(&j->mu);
	while (!j->released)
		pthread_cond_wait(&j->cv, &j->mu);
	pthread_mutex_unlock(&j->mu);
}

/* Set up the EPUB job; -1 after adding diagnostics (no style sheet). */
static int epub_job_init(builder *b, epub_job *job, diag_list *dg)
{
	const char *why;
	job->eo.css_path = paths_style(b->p, "epub.css", &why, b->a, dg);
	if (!job->eo.css_path)
		return -1;
	note_input(b, job->eo.css_path, why);
	job->txn = b->txn;
	job->d = b->d;
	job->out = arena_printf(b->a, "%s/%s.epub", b->o->outdir,
				b->d->meta.identifier);
	job->eo.epoch = b->epoch;
	job->eo.release = epub_job_release;
	job->eo.release_ctx = job;
	pthread_mutex_init(&job->mu, NULL);
	pthread_cond_init(&job->cv, NULL);
	return 0;
}

/* The A5 layout for the EPUB's page numbers. When no A5 or imposed PDF
 * is built it is laid out quietly: its own diagnostics (print matters:
 * a line too long for the A5 measure) are not this build's, and if it
 * fails the EPUB is written without page numbers and a warning says so.
 * -1 when it failed where a PDF needs it (its errors are in dg). */
static int epub_print_layout(builder *b, epub_job *job, diag_list *dg)
{
	int quiet = !(b->o->formats & (OUT_A5 | OUT_BOOKLET));
	diag_list qdg = {0};
	int rc = lay_out(b, "a5.style", 0, quiet, quiet ? &qdg : dg);
	if (rc == 0) {
		job->eo.print = b->lo;
		job->eo.embed_fonts = b->st->epub_fonts;
		b->lo_shared = 1;
		b->reader = job;
	} else if (quiet) {
		diag_add(&job->diags, DIAG_WARNING, b->d->path, 0, 0,
			 "the EPUB has no print page numbers: the A5 booklet "
			 "could not be laid out (build --format a5 says why)");
		rc = 0;
	}
	diag_free(&qdg);
	return rc;
}

/* Write the outputs (into the open transaction). 0, or -1 after adding
 * the diagnostics that say why. */
static int build_outputs(builder *b, diag_list *dg)
{
	const args *o = b->o;
	b->epoch = build_epoch(b->d);
	if (b->epoch < 0) {
		diag_io(dg, NULL, "SOURCE_DATE_EPOCH must be a number of "
			"seconds since 1970");
		return -1;
	}
	if (outfile_mkdirs(o->outdir, dg) != 0)
		return -1;
	epub_job job = {0};
	pthread_t thread;
	int threaded = 0;
	/* The PDFs' diagnostics follow the EPUB's, as if run in turn; the A5
	 * layout's are the PDFs'. */
	diag_list pdf_dg = {0};
	diag_list *pdg = o->formats & OUT_EPUB ? &pdf_dg : dg;
	size_t first_pdf = b->r->nwritten;
	int rc = 0;
	cover_job cj = {0};
	if (o->formats & OUT_EPUB) {
		if (epub_job_init(b, &job, dg) != 0)
			return -1;
		cover_job_start(b, &cj);
		if (cj.started) {
			job.eo.cover = cover_job_take;
			job.eo.cover_ctx = &cj;
			/* The EPUB writes its pages, and zips all but the
			 * cover, while the cover is still drawn, when the A5
			 * PDF is the only one to draw beside it; with the
			 * imposed booklet or the handout to draw as well, it
			 * waits for the cover first and leaves the second core
			 * to the cover and the PDFs (all four outputs on two
			 * cores: 4-10% slower the other way). */
			cj.late = !(o->formats & (OUT_BOOKLET | OUT_HANDOUT));
		}
		if (epub_print_layout(b, &job, pdg) != 0) {
			cover_job_end(&cj);
			diag_append(dg, &job.diags);
			diag_append(dg, &pdf_dg);
			pthread_cond_destroy(&job.cv);
			pthread_mutex_destroy(&job.mu);
			return -1;
		}
		/* a long booklet's imposed PDF after it, on its thread */
		if ((o->formats & OUT_BOOKLET) && !o->strict &&
		    b->lay_mem.total > BUILD_SHARE_MAX) {
			job.booklet = 1;
			job.lo = b->lo;
			job.rs = b->rs;
			print_options(b, pdfs[1].impose, &job.bpo);
			job.bout = pdf_path(b, 1, &job.bpo);
		}
		/* alone, or when no thread can be had, it runs here */
		threaded = (o->formats & ~OUT_EPUB) &&
			   pthread_create(&thread, NULL, epub_job_run, &job) == 0;
		if (!threaded) {
			epub_job_run(&job);
			diag_append(dg, &job.diags);
			if (job.rc != 0)
				rc = -1;
			else
				note_output(b, job.out);
			first_pdf = b->r->nwritten;
		}
	}
	int booklet_told = 0;
	for (size_t i = 0; i < NPDFS && rc == 0; i++) {
		if (!(o->formats & pdfs[i].flag))
			continue;
		if (i == 1 && job.booklet) {    /* written by the EPUB's job */
			epub_job_wait(&job);
			diag_append(pdg, &job.bdiags);
			booklet_told = 1;
			if (job.brc != 0)
				rc = -1;
			else
				note_output(b, job.bout);
			continue;
		}
		rc = build_pdf(b, i, pdg);
	}
	/* a PDF before the booklet failed: its report still follows */
	if (!threaded && job.booklet && !booklet_told)
		diag_append(pdg, &job.bdiags);
	if (!threaded && pdg != dg)
		diag_append(dg, &pdf_dg);
	if (threaded) {
		pthread_join(thread, NULL);
		if (job.booklet && !booklet_told)
			diag_append(&pdf_dg, &job.bdiags);
		diag_append(dg, &job.diags);
		diag_append(dg, &pdf_dg);
		if (job.rc != 0)
			rc = -1;
		/* the EPUB comes first in the list, as it does when alone */
		if (b->r->nwritten < BUILD_MAX_FILES) {
			memmove(b->r->written + first_pdf + 1,
				b->r->written + first_pdf,
				(b->r->nwritten - first_pdf) * sizeof *b->r->written);
			b->r->written[first_pdf] = job.out;
			b->r->nwritten++;
		}
	}
	cover_job_end(&cj);
	if (job.eo.release) {
		pthread_cond_destroy(&job.cv);
		pthread_mutex_destroy(&job.mu);
	}
	return rc;
}

int build_run(const args *o, const paths *p, const doc *d, res *rs,
	      arena *a, diag_list *dg, build_report *r)
{
	builder b = {.o = o, .p = p, .d = d, .rs = rs, .a = a, .r = r};
	b.txn = outfile_begin();
	int rc = build_outputs(&b, dg);
	arena_free(&b.lay_mem);
	arena_free(&b.held);
	if (rc != 0 || diag_exit_code(dg, o->strict)) {
		outfile_rollback();
		r->nwritten = 0;
		return -1;
	}
	if (outfile_commit(dg) != 0) {
		r->nwritten = 0;
		return -1;
	}
	return 0;
}

void build_prefetch(const args *o, const paths *p, res *rs, arena *a)
{
	for (size_t i = 0; i < NPDFS; i++) {
		/* the EPUB needs the A5 layout (pdfs[0]) for its page numbers */
		if (!(o->formats & pdfs[i].flag) &&
		    !(i == 0 && (o->formats & OUT_EPUB)))
			continue;
		diag_list quiet = {0};
		const char *path = paths_style(p, pdfs[i].style, NULL, a, &quiet);
		const char *fonts = paths_fonts(p, NULL, a, &quiet);
		style *st = path && fonts ? style_load(path, fonts, a, &quiet)
					  : NULL;
		if (st && !quiet.errors)
			res_prefetch(rs, st);
		diag_free(&quiet);
		return;
	}
}
