/* test_outfile.c - writing outputs (builder/base/outfile.c): one
 * transaction per build, all replaced or none, whatever fails; no
 * temporary file left by a failure, a signal or running out of memory;
 * modes that follow the umask. */
#include <dirent.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/mem.h"
#include "base/outfile.h"
#include "unit.h"

static char top[] = "/tmp/chapbook-test-outfile-XXXXXX";
static int ncase;

/* A fresh empty directory for one test; returns its path (static). */
static const char *fresh_dir(void)
{
	static char d[sizeof top + 32];
	snprintf(d, sizeof d, "%s/%d", top, ++ncase);
	mkdir(d, 0777);
	return d;
}

static const char *at(const char *dir, const char *name)
{
	static char p[4][1024];
	static int k;
	k = (k + 1) % 4;
	snprintf(p[k], sizeof p[k], "%s/%s", dir, name);
	return p[k];
}

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "wb");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* The file's text (up to 255 bytes), or "(none)". Static. */
static const char *text_of(const char *path)
{
	static char b[256];
	FILE *f = fopen(path, "rb");
	if (!f)
		return "(none)";
	size_t n = fread(b, 1, sizeof b - 1, f);
	fclose(f);
	b[n] = '\0';
	return b;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The directory's entries, sorted, joined by spaces ("a b/ c"; a
 * directory ends in /). Static. */
static const char *listing(const char *dir)
{
	static char out[1024];
	char *names[64];
	size_t n = 0;
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d)) && n < 64) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		struct stat st;
		int isdir = stat(at(dir, e->d_name), &st) == 0 &&
			    S_ISDIR(st.st_mode);
		size_t len = strlen(e->d_name);
		names[n] = malloc(len + 2);
		memcpy(names[n], e->d_name, len);
		strcpy(names[n] + len, isdir ? "/" : "");
		n++;
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof *names, cmp_str);
	out[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strncat(out, names[i], sizeof out - strlen(out) - 2);
		free(names[i]);
	}
	return out;
}

static ino_t inode(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_ino : 0;
}

TEST(commit_replaces_every_output)
{
	const char *d = fresh_dir();
	put(at(d, "a.pdf"), "old a");
	put(at(d, "b.epub"), "old b");
	diag_list dl = {0};
	outfile_begin();
	CHECK(outfile_write(at(d, "b.epub"), "new b", 5, &dl) == 0);
	CHECK(outfile_write(at(d, "a.pdf"), "new a", 5, &dl) == 0);
	CHECK(outfile_write(at(d, "c.pdf"), "new c", 5, &dl) == 0);
	/* nothing replaced yet: the new files wait under temporary names */
	CHECK_STR(text_of(at(d, "a.pdf")), "old a");
	CHECK(access(at(d, "c.pdf"), F_OK) != 0);
	CHECK(outfile_commit(&dl) == 0);
	CHECK_STR(text_of(at(d, "a.pdf")), "new a");
	CHECK_STR(text_of(at(d, "b.epub")), "new b");
	CHECK_STR(text_of(at(d, "c.pdf")), "new c");
	CHECK_STR(listing(d), "a.pdf b.epub c.pdf");   /* no backups left */
	CHECK(dl.errors == 0);
	diag_free(&dl);
}

/* A directory where the second output goes: the first, already put in
 * place, is put back (the very same file), the third is never written. */
TEST(commit_blocked_midway_restores_everything)
{
	const char *d = fresh_dir();
	put(at(d, "a.pdf"), "old a");
	mkdir(at(d, "b.pdf"), 0777);
	put(at(d, "c.pdf"), "old c");
	ino_t ia = inode(at(d, "a.pdf")), ic = inode(at(d, "c.pdf"));
	diag_list dl = {0};
	outfile_begin();
	CHECK(outfile_write(at(d, "c.pdf"), "new c", 5, &dl) == 0);
	CHECK(outfile_write(at(d, "b.pdf"), "new b", 5, &dl) == 0);
	CHECK(outfile_write(at(d, "a.pdf"), "new a", 5, &dl) == 0);
	CHECK(outfile_commit(&dl) == -1);
	CHECK_STR(text_of(at(d, "a.pdf")), "old a");
	CHECK_STR(text_of(at(d, "c.pdf")), "old c");
	CHECK(inode(at(d, "a.pdf")) == ia && inode(at(d, "c.pdf")) == ic);
	CHECK_STR(listing(d), "a.pdf b.pdf/ c.pdf");
	CHECK(dl.errors == 1 && dl.io_errors == 1 && dl.n == 1);
	CHECK(dl.n == 1 && strstr(dl.items[0].file, "/b.pdf") &&
	      !strcmp(dl.items[0].message,
		      "cannot write output file: Is a directory"));
	diag_free(&dl);
}

/* Outputs that did not exist before are removed again when a later one
 * fails. */
TEST(commit_blocked_last_removes_new_outputs)
{
	const char *d = fresh_dir();
	mkdir(at(d, "z.pdf"), 0777);
	diag_list dl = {0};
	outfile_begin();
	CHECK(outfile_write(at(d, "a.pdf"), "new a", 5, &dl) == 0);
	CHECK(outfile_write(at(d, "m.pdf"), "new m", 5, &dl) == 0);
	CHECK(outfile_write(at(d, "z.pdf"), "new z", 5, &dl) == 0);
	CHECK(outfile_commit(&dl) == -1);
	CHECK_STR(listing(d), "z.pdf/");
	diag_free(&dl);
}

TEST(rollback_leaves_old_files)
{
	const char *d = fresh_dir();
	put(at(d, "a.pdf"), "old a");
	diag_list dl = {0};
	outfile_begin();
	CHECK(outfile_write(at(d, "a.pdf"), "new a", 5, &dl) == 0);
	CHECK(outfile_write(at(d, "b.pdf"), "new b", 5, &dl) == 0);
	outfile_rollback();
	CHECK_STR(listing(d), "a.pdf");
	CHECK_STR(text_of(at(d, "a.pdf")), "old a");
	diag_free(&dl);
}

/* Outside a transaction each write replaces its file at once; a write
 * that cannot happen is an I/O error and leaves nothing. */
TEST(write_alone_and_failures)
{
	const char *d = fresh_dir();
	put(at(d, "a.pdf"), "old a");
	diag_list dl = {0};
	CHECK(outfile_write(at(d, "a.pdf"), "new a", 5, &dl) == 0);
	CHECK_STR(text_of(at(d, "a.pdf")), "new a");
	CHECK(outfile_write(at(d, "missing/x.pdf"), "x", 1, &dl) == -1);
	CHECK(dl.errors == 1 && dl.io_errors == 1);
	CHECK(outfile_mkdirs(at(d, "a.pdf/sub"), &dl) == -1);
	CHECK(dl.io_errors == 2);
	CHECK_STR(listing(d), "a.pdf");
	diag_free(&dl);
}

TEST(too_many_outputs)
{
	const char *d = fresh_dir();
	diag_list dl = {0};
	outfile_begin();
	int ok = 0;
	for (int i = 0; i < OUTFILE_MAX + 1; i++) {
		char name[16];
		snprintf(name, sizeof name, "f%02d", i);
		ok += outfile_write(at(d, name), "x", 1, &dl) == 0;
	}
	CHECK(ok == OUTFILE_MAX && dl.io_errors == 1);
	outfile_rollback();
	CHECK_STR(listing(d), "");
	diag_free(&dl);
}

/* Outputs take 0666 less the umask (main sets the umask to 027): 0640;
 * directories 0777 less it: 0750. */
TEST(modes_follow_umask)
{
	const char *d = fresh_dir();
	diag_list dl = {0};
	CHECK(outfile_mkdirs(at(d, "x/y"), &dl) == 0);
	outfile_begin();
	CHECK(outfile_write(at(d, "x/y/a.pdf"), "a", 1, &dl) == 0);
	CHECK(outfile_commit(&dl) == 0);
	struct stat st;
	CHECK(stat(at(d, "x/y/a.pdf"), &st) == 0 && (st.st_mode & 07777) == 0640);
	CHECK(stat(at(d, "x/y"), &st) == 0 && (st.st_mode & 07777) == 0750);
	diag_free(&dl);
}

/* Two threads write into one transaction, as the EPUB and the PDFs do
 * (the helper joins the transaction the other began). */
struct job {
	const char *dir;
	int first;
	diag_list dl;
	int failed;
	unsigned txn;
};

static void *write_four(void *arg)
{
	struct job *j = arg;
	outfile_join(j->txn);
	for (int i = j->first; i < j->first + 4; i++) {
		char name[16];
		snprintf(name, sizeof name, "t%d", i);
		j->failed |= outfile_write(at(j->dir, name), name, strlen(name),
					   &j->dl) != 0;
	}
	return NULL;
}

TEST(two_threads_one_transaction)
{
	const char *d = fresh_dir();
	struct job a = {d, 0, {0}, 0, 0}, b = {d, 4, {0}, 0, 0};
	pthread_t t;
	a.txn = b.txn = outfile_begin();
	CHECK(pthread_create(&t, NULL, write_four, &a) == 0);
	write_four(&b);
	pthread_join(t, NULL);
	CHECK(!a.failed && !b.failed);
	CHECK(outfile_commit(&a.dl) == 0);
	CHECK_STR(listing(d), "t0 t1 t2 t3 t4 t5 t6 t7");
	CHECK_STR(text_of(at(d, "t6")), "t6");
	diag_free(&a.dl);
	diag_free(&b.dl);
}

/* A file written as it is made (a PDF saved by libharu): larger than the
 * sink's buffer, in pieces big and small; a producer that fails leaves
 * nothing behind, the old file in place. */
struct make {
	size_t pieces;
	int fail;
};

static int produce(void *ctx, void *sink)
{
	const struct make *m = ctx;
	static char big[200000];
	memset(big, 'b', sizeof big);
	for (size_t i = 0; i < m->pieces; i++) {
		outfile_sink_put(sink, "0123456789", 10);
		outfile_sink_put(sink, big, i % 7 ? 1000 : sizeof big);
	}
	return m->fail ? -1 : 0;
}

TEST(stream_writes_in_pieces)
{
	const char *d = fresh_dir();
	diag_list dl = {0};
	struct make ok = {50, 0}, bad = {3, 1};
	CHECK(outfile_write_stream(at(d, "s.pdf"), produce, &ok, &dl) == 0);
	struct stat st;
	CHECK(stat(at(d, "s.pdf"), &st) == 0);
	CHECK(st.st_size == 50 * 10 + 8 * 200000 + 42 * 1000);
	FILE *f = fopen(at(d, "s.pdf"), "rb");
	char head[12] = "";
	CHECK(f && fread(head, 1, 11, f) == 11);
	CHECK_STR(head, "0123456789b");
	if (f)
		fclose(f);
	put(at(d, "t.pdf"), "old");
	CHECK(outfile_write_stream(at(d, "t.pdf"), produce, &bad, &dl) == -1);
	CHECK_STR(text_of(at(d, "t.pdf")), "old");
	CHECK_STR(listing(d), "s.pdf t.pdf");   /* no temporary file left */
	/* in a transaction it waits for the commit like any output */
	outfile_begin();
	CHECK(outfile_write_stream(at(d, "u.pdf"), produce, &ok, &dl) == 0);
	CHECK(access(at(d, "u.pdf"), F_OK) != 0);
	CHECK(outfile_commit(&dl) == 0);
	CHECK(access(at(d, "u.pdf"), F_OK) == 0);
	CHECK(dl.errors == 0);
	diag_free(&dl);
}

/* Two builds at once (several booklets in one run), each in its own
 * transaction on its own thread: one commits, the other rolls back, and
 * each touches only its own files. */
struct build {
	const char *dir;
	const char *name;
	int commit;
	pthread_barrier_t *written;   /* both wrote, neither ended */
	int rc;
	diag_list dl;
};

static void *build_one(void *arg)
{
	struct build *b = arg;
	outfile_begin();
	b->rc = outfile_write(at(b->dir, b->name), b->name, strlen(b->name),
			      &b->dl);
	pthread_barrier_wait(b->written);
	if (b->commit)
		b->rc |= outfile_commit(&b->dl);
	else
		outfile_rollback();
	return NULL;
}

TEST(two_transactions_at_once)
{
	const char *d = fresh_dir();
	put(at(d, "old"), "old");
	pthread_barrier_t written;
	pthread_barrier_init(&written, NULL, 2);
	struct build keep = {d, "kept", 1, &written, 0, {0}},
		     drop = {d, "dropped", 0, &written, 0, {0}};
	pthread_t t;
	CHECK(pthread_create(&t, NULL, build_one, &drop) == 0);
	build_one(&keep);
	pthread_join(t, NULL);
	CHECK(keep.rc == 0 && drop.rc == 0);
	CHECK_STR(listing(d), "kept old");
	CHECK_STR(text_of(at(d, "kept")), "kept");
	pthread_barrier_destroy(&written);
	diag_free(&keep.dl);
	diag_free(&drop.dl);
}

/* In a child: old outputs, a transaction with two files written, then
 * how (a signal, or running out of memory). Returns the wait status and
 * leaves the directory for the caller to look at. */
static int child_dies(const char *d, int how)
{
	put(at(d, "a.pdf"), "old a");
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		freopen("/dev/null", "w", stderr);
		outfile_catch_signals();
		diag_list dl = {0};
		outfile_begin();
		outfile_write(at(d, "a.pdf"), "new a", 5, &dl);
		outfile_write(at(d, "b.pdf"), "new b", 5, &dl);
		if (how)
			kill(getpid(), how);
		else
			mem_fail();
		_exit(0);   /* the signal was ignored */
	}
	int status = 0;
	waitpid(pid, &status, 0);
	return status;
}

TEST(signals_remove_temporary_files)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	for (size_t i = 0; i < 3; i++) {
		const char *d = fresh_dir();
		int st = child_dies(d, sigs[i]);
		CHECK(WIFSIGNALED(st) && WTERMSIG(st) == sigs[i]);
		CHECK_STR(listing(d), "a.pdf");
		CHECK_STR(text_of(at(d, "a.pdf")), "old a");
	}
}

/* A signal ignored when the program starts (nohup) stays ignored. */
TEST(ignored_signal_stays_ignored)
{
	const char *d = fresh_dir();
	signal(SIGHUP, SIG_IGN);
	int st = child_dies(d, SIGHUP);
	signal(SIGHUP, SIG_DFL);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

TEST(out_of_memory_removes_temporary_files)
{
	const char *d = fresh_dir();
	int st = child_dies(d, 0);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == MEM_EXIT);
	CHECK_STR(listing(d), "a.pdf");
	CHECK_STR(text_of(at(d, "a.pdf")), "old a");
}

int main(void)
{
	if (!mkdtemp(top))
		return 1;
	umask(027);
	RUN(commit_replaces_every_output);
	RUN(commit_blocked_midway_restores_everything);
	RUN(commit_blocked_last_removes_new_outputs);
	RUN(rollback_leaves_old_files);
	RUN(write_alone_and_failures);
	RUN(too_many_outputs);
	RUN(modes_follow_umask);
	RUN(two_threads_one_transaction);
	RUN(two_transactions_at_once);
	RUN(stream_writes_in_pieces);
	RUN(signals_remove_temporary_files);
	RUN(ignored_signal_stays_ignored);
	RUN(out_of_memory_removes_temporary_files);
	char cmd[sizeof top + 16];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", top);
	if (system(cmd) != 0)
		return 1;
	CHECK_EXIT();
}
