/* run.c - a check or build of one booklet or several, and its report (see
 * run.h). Several booklets are read and checked side by side, then built
 * side by side, one thread a core, sharing one res, RUN_WINDOW at a time;
 * each has its own arena, diagnostics and output transaction, and is
 * reported in the order given, as a run of its own would report it. */
#include "cli/run.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/diag.h"
#include "base/mem.h"
#include "base/outfile.h"
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

/* One booklet of the run: its options (the run's, with this booklet),
 * memory, diagnostics, resources (a child of the run's when there are
 * several), tree, and what its build wrote. */
typedef struct run_job {
	args o;
	arena a;
	diag_list dg;
	paths p;
	res *rs;
	doc *d;
	char *id;                  /* its identifier, kept after d is freed */
	int failed;
	build_report r;
	double read_ms, ms;        /* reading and checking; all of it */
} run_job;

/* Read and check j's booklet; when building and prefetch, start on the
 * first style's patterns meanwhile. */
static void run_read(run_job *j, int prefetch)
{
	double start = run_now_ms();
	const args *o = &j->o;
	int building = o->cmd != CMD_CHECK;
	paths_init(&j->p, o->booklet, o->styles, o->fonts, NULL, NULL, &j->a);
	if (building && prefetch)
		build_prefetch(o, &j->p, j->rs, &j->a);
	j->d = read_booklet(o->booklet, &j->a, &j->dg);
	j->failed = !j->d || check_document(j->d, &j->dg) > 0 ||
		    diag_exit_code(&j->dg, o->strict) != 0;
	if (j->d && j->d->meta.identifier)
		j->id = xstrdup(j->d->meta.identifier);
	j->read_ms = run_now_ms() - start;
	j->ms = j->read_ms;
}

/* Build j's outputs (a checked booklet). */
static void run_build(run_job *j)
{
	double start = run_now_ms();
	if (!j->failed && j->o.cmd != CMD_CHECK)
		j->failed = build_run(&j->o, &j->p, j->d, j->rs, &j->a, &j->dg,
				      &j->r) != 0;
	j->ms += run_now_ms() - start;
}

static void run_read_any(run_job *j)
{
	run_read(j, 0);
}

/* Two booklets of one build that share an identifier would write the
 * same files: the later one on the command line is refused. Checks
 * jobs[from..to) against every booklet before them (read already). */
static void run_claim_identifiers(run_job *jobs, size_t from, size_t to)
{
	for (size_t i = from ? from : 1; i < to; i++) {
		if (!jobs[i].id || jobs[i].failed)
			continue;
		for (size_t k = 0; k < i; k++) {
			if (!jobs[k].id || strcmp(jobs[k].id, jobs[i].id))
				continue;
			diag_add(&jobs[i].dg, DIAG_ERROR, jobs[i].o.booklet, 0, 0,
				 "its identifier '%s' is also that of %s, "
				 "built in the same run: their outputs would "
				 "overwrite each other",
				 jobs[i].id, jobs[k].o.booklet);
			jobs[i].failed = 1;
			break;
		}
	}
}

/* ---- several booklets side by side ------------------------------------- */

/* Booklets built at once at most (each build runs a thread or two of its
 * own beside it); base/outfile.h holds this many builds' outputs. A run
 * of many booklets goes RUN_WINDOW at a time: read, built, reported and
 * freed, so that its memory does not grow with their number. */
enum { RUN_MAX_THREADS = OUTFILE_MAX / 8, RUN_WINDOW = 32 };

typedef struct run_pool {
	run_job *jobs;
	size_t n;
	atomic_size_t next;        /* the next job to take */
	void (*step)(run_job *);
} run_pool;

static void *run_worker(void *arg)
{
	run_pool *pool = arg;
	for (;;) {
		size_t i = atomic_fetch_add(&pool->next, 1);
		if (i >= pool->n)
			return NULL;
		pool->step(&pool->jobs[i]);
	}
}

/* Run step on each of jobs[0..n), on up to nthreads threads (this one
 * among them), each thread taking the next job when it is done. */
static void run_parallel(run_job *jobs, size_t n, size_t nthreads,
			 void (*step)(run_job *))
{
	run_pool pool = {.jobs = jobs, .n = n, .step = step};
	atomic_init(&pool.next, 0);
	pthread_t t[RUN_MAX_THREADS];
	size_t started = 0;
	while (started + 1 < nthreads &&
	       pthread_create(&t[started], NULL, run_worker, &pool) == 0)
		started++;
	run_worker(&pool);
	for (size_t i = 0; i < started; i++)
		pthread_join(t[i], NULL);
}

/* Threads for n booklets: one a core, at most RUN_MAX_THREADS; one when
 * --dump-layout prints the layouts (in the booklets' order). */
static size_t run_threads(const args *o, size_t n)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	size_t t = cores > 0 ? (size_t)cores : 1;
	if (t > RUN_MAX_THREADS)
		t = RUN_MAX_THREADS;
	if (t > n)
		t = n;
	return o->dump_layout ? 1 : t;
}

/* ---- the report ---------------------------------------------------------- */

static void report_success(const run_job *j, int several)
{
	const args *o = &j->o;
	const build_report *r = &j->r;
	if (o->quiet)
		return;
	for (size_t i = 0; o->verbose && i < r->ninputs; i++)
		fprintf(stderr, "chapbook: used %s\n", r->inputs[i]);
	for (size_t i = 0; i < r->nwritten; i++) {
		fprintf(stderr, "chapbook: wrote %s (", r->written[i]);
		put_size(r->written[i], stderr);
		fputs(")\n", stderr);
	}
	fprintf(stderr, "chapbook: built %zu file%s", r->nwritten,
		r->nwritten == 1 ? "" : "s");
	if (several)
		fprintf(stderr, " from %s", o->booklet);
	fputs(" in ", stderr);
	put_time(j->ms, stderr);
	fputc('\n', stderr);
}

/* Report job j as a run of its own would; returns its exit code. */
static int run_report(run_job *j, int several)
{
	const args *o = &j->o;
	int building = o->cmd != CMD_CHECK;
	if (o->verbose) {
		fprintf(stderr, "chapbook: read and checked %s in ", o->booklet);
		put_time(j->read_ms, stderr);
		fputc('\n', stderr);
	}
	int code = finish(&j->dg, o->strict, j->failed);
	if (code == 0 && building)
		report_success(j, several);
	if (code == 0 && o->meta)
		print_meta(j->d);
	return code;
}

/* Report job j (see run_report) and free what it holds but its
 * identifier; the worst exit code so far in *worst. */
static void run_finish_job(run_job *j, int several, int *worst)
{
	int code = run_report(j, several);
	if (code > *worst)
		*worst = code;
	if (several)
		res_free(j->rs);
	j->rs = NULL;
	diag_free(&j->dg);
	arena_free(&j->a);
	j->d = NULL;
}

/* Booklets jobs[from..to) of several: read side by side, then (after
 * every booklet before them, so that a clash of identifiers is found and
 * reported the same way on every run) built side by side, then reported
 * in order. */
static void run_window(const args *o, run_job *jobs, size_t from, size_t to,
		       res *shared, size_t threads, int *worst)
{
	int building = o->cmd != CMD_CHECK;
	size_t first = from;
	for (size_t i = from; i < to; i++)
		jobs[i].rs = res_child(shared);
	if (building && from == 0)
		run_read(&jobs[first++], 1);   /* and the patterns prefetched */
	run_parallel(jobs + first, to - first, threads, run_read_any);
	if (building) {
		run_claim_identifiers(jobs, from, to);
		run_parallel(jobs + from, to - from, threads, run_build);
	}
	for (size_t i = from; i < to; i++)
		run_finish_job(&jobs[i], 1, worst);
}

int run_once(const args *o)
{
	size_t n = o->nbooklets ? o->nbooklets : 1;
	/* fonts, hyphenation patterns and shaped text shared by every PDF
	 * (and every booklet) of the run */
	res *shared = res_new();
	run_job *jobs = xcalloc(n, sizeof *jobs);
	for (size_t i = 0; i < n; i++) {
		jobs[i].o = *o;
		jobs[i].o.booklet = o->nbooklets ? o->booklets[i] : o->booklet;
	}
	int worst = 0;
	if (n == 1) {
		jobs[0].rs = shared;
		run_read(&jobs[0], 1);
		run_build(&jobs[0]);
		run_finish_job(&jobs[0], 0, &worst);
	} else {
		size_t t = run_threads(o, n);
		for (size_t w = 0; w < n; w += RUN_WINDOW)
			run_window(o, jobs, w, w + RUN_WINDOW < n ?
				   w + RUN_WINDOW : n, shared, t, &worst);
	}
	for (size_t i = 0; i < n; i++)
		free(jobs[i].id);
	res_free(shared);
	free(jobs);
	return worst;
}
