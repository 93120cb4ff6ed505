/* run.c - one check or build and its report (see run.h). */
#include "cli/run.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "base/arena.h"
#include "base/diag.h"
#include "cli/build.h"
#include "cli/paths.h"
#include "doc/check.h"
#include "source/source.h"
#include "typeset/res.h"

enum { EXIT_INTERNAL = 3 };

double run_now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* "183 ms", "1.25 s". */
static void put_time(double ms, FILE *f)
{
	if (ms < 1000)
		fprintf(f, "%.0f ms", ms);
	else
		fprintf(f, "%.2f s", ms / 1000);
}

/* "812 bytes", "41.2 KiB", "1.3 MiB". */
static void put_size(const char *path, FILE *f)
{
	struct stat sb;
	if (stat(path, &sb) != 0) {
		fputs("?", f);
		return;
	}
	double n = (double)sb.st_size;
	if (n < 1024)
		fprintf(f, "%.0f bytes", n);
	else if (n < 1024 * 1024)
		fprintf(f, "%.1f KiB", n / 1024);
	else
		fprintf(f, "%.1f MiB", n / (1024 * 1024));
}

/* The booklet as a document tree (NULL after diagnostics). The one place
 * the command line reads a booklet. */
static doc *read_booklet(const char *path, arena *a, diag_list *dg)
{
	return source_load(path, a, dg);
}

/* Print the diagnostics and pick the exit code from what they say failed
 * (diag_exit_code). A step that failed without saying why is a bug in
 * chapbook: exit 3. */
static int finish(diag_list *d, int strict, int failed)
{
	int code = diag_exit_code(d, strict);
	if (failed && code == 0) {
		diag_add(d, DIAG_ERROR, NULL, 0, 0,
			 "internal error: a step failed without a diagnostic");
		code = EXIT_INTERNAL;
	}
	diag_sort(d);
	diag_report(d, strict, stderr);
	return code;
}

/* check --meta: what names a release. */
static void print_meta(const doc *d)
{
	printf("identifier: %s\nreviewed: %s\ntitle: %s\n",
	       d->meta.identifier ? d->meta.identifier : "",
	       d->meta.reviewed ? d->meta.reviewed : "",
	       d->meta.title ? d->meta.title : "");
}

static void report_success(const args *o, const build_report *r,
			   double start)
{
	if (o->quiet)
		return;
	for (size_t i = 0; o->verbose && i < r->ninputs; i++)
		fprintf(stderr, "chapbook: used %s\n", r->inputs[i]);
	for (size_t i = 0; i < r->nwritten; i++) {
		fprintf(stderr, "chapbook: wrote %s (", r->written[i]);
		put_size(r->written[i], stderr);
		fputs(")\n", stderr);
	}
	fprintf(stderr, "chapbook: built %zu file%s in ", r->nwritten,
		r->nwritten == 1 ? "" : "s");
	put_time(run_now_ms() - start, stderr);
	fputc('\n', stderr);
}

int run_once(const args *o)
{
	double start = run_now_ms();
	int building = o->cmd != CMD_CHECK;
	arena a = {0};
	diag_list dg = {0};
	paths p;
	paths_init(&p, o->booklet, o->styles, o->fonts, NULL, NULL, &a);
	/* fonts and hyphenation patterns shared by every PDF of the run */
	res *rs = res_new();
	if (building)
		build_prefetch(o, &p, rs, &a);
	doc *d = read_booklet(o->booklet, &a, &dg);
	int failed = !d || check_document(d, &dg) > 0 ||
		     diag_exit_code(&dg, o->strict) != 0;
	if (o->verbose) {
		fprintf(stderr, "chapbook: read and checked %s in ", o->booklet);
		put_time(run_now_ms() - start, stderr);
		fputc('\n', stderr);
	}
	build_report r = {0};
	if (!failed && building)
		failed = build_run(o, &p, d, rs, &a, &dg, &r) != 0;
	int code = finish(&dg, o->strict, failed);
	if (code == 0 && building)
		report_success(o, &r, start);
	if (code == 0 && o->meta)
		print_meta(d);
	res_free(rs);
	diag_free(&dg);
	arena_free(&a);
	return code;
}
