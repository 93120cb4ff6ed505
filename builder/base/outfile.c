/* outfile.c - output files: temporary file beside the target, one
 * transaction per build, cleanup on failure, signal or lack of memory.
 *
 * The temporary files live in a fixed table of slots, each claimed with an
 * atomic compare-and-swap, so that outfile_abandon can walk it from a
 * signal handler or the out-of-memory path without locks or allocation.
 * The few steps that create or rename files run with the three signals
 * blocked in their thread and counted in `busy`; outfile_abandon sets
 * `dying` (no new step starts), waits for `busy` to reach zero, then
 * removes every temporary file. So a temporary file is never created
 * after the cleanup has looked, and a commit is never caught half-done. */
#include "base/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/mem.h"

enum { SLOT_FREE, SLOT_CLAIMED, SLOT_TEMP };

/* One output: its target, its temporary file and, during a commit, the
 * backup of the previous target; the transaction it waits in (0: none). */
static struct slot {
	atomic_int state;
	atomic_uint txn;           /* set before state becomes SLOT_TEMP; read
				      by other transactions' commits */
	int has_bak, placed;       /* commit progress (under `busy`) */
	char path[PATH_MAX];
	char tmp[PATH_MAX + 16];   /* path ".tmp.XXXXXX" */
	char bak[PATH_MAX + 32];   /* path ".tmp.old-PID-N" */
} slots[OUTFILE_MAX];

static atomic_int busy;            /* threads inside a guarded step */
static atomic_int dying;           /* set by outfile_abandon */
static _Thread_local unsigned cur_txn;  /* this thread's transaction */
static atomic_uint txn_counter;    /* transaction numbers */
static atomic_uint bak_counter;    /* backup names (commit only) */

static void signal_set(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

/* Start a guarded step: the signals blocked in this thread, counted in
 * busy. -1 (and nothing held) when the process is being abandoned. */
static int guard_enter(sigset_t *old)
{
	sigset_t set;
	signal_set(&set);
	pthread_sigmask(SIG_BLOCK, &set, old);
	atomic_fetch_add(&busy, 1);
	if (atomic_load(&dying)) {
		atomic_fetch_sub(&busy, 1);
		pthread_sigmask(SIG_SETMASK, old, NULL);
		return -1;
	}
	return 0;
}

static void guard_leave(const sigset_t *old)
{
	atomic_fetch_sub(&busy, 1);
	pthread_sigmask(SIG_SETMASK, old, NULL);
}

/* Mode of new outputs: 0666 less the umask, read once. */
static mode_t out_mode;
static pthread_once_t out_mode_once = PTHREAD_ONCE_INIT;

static void out_mode_read(void)
{
	mode_t m = umask(0);
	umask(m);
	out_mode = 0666 & ~m;
}

static mode_t file_mode(void)
{
	pthread_once(&out_mode_once, out_mode_read);
	return out_mode;
}

unsigned outfile_begin(void)
{
	file_mode();   /* read the umask before any other thread runs */
	cur_txn = atomic_fetch_add(&txn_counter, 1) + 1;
	if (!cur_txn)  /* after 2^32 transactions */
		cur_txn = atomic_fetch_add(&txn_counter, 1) + 1;
	return cur_txn;
}

void outfile_join(unsigned txn)
{
	cur_txn = txn;
}

/* Claim a free slot for path and create its temporary file, as one
 * guarded step. Returns the slot and the open descriptor, or NULL with
 * *err set: an errno, -1 when every slot is taken, 0 when the process is
 * being abandoned. */
static struct slot *slot_create(const char *path, int *fd, int *err)
{
	sigset_t old;
	*err = 0;
	if (guard_enter(&old) != 0)
		return NULL;
	struct slot *s = NULL;
	for (size_t i = 0; i < OUTFILE_MAX && !s; i++) {
		int want = SLOT_FREE;
		if (atomic_compare_exchange_strong(&slots[i].state, &want,
						   SLOT_CLAIMED))
			s = &slots[i];
	}
	if (!s) {
		*err = -1;
	} else {
		memcpy(s->path, path, strlen(path) + 1);
		snprintf(s->tmp, sizeof s->tmp, "%s.tmp.XXXXXX", path);
		s->has_bak = s->placed = 0;
		atomic_store_explicit(&s->txn, cur_txn, memory_order_relaxed);
		*fd = mkstemp(s->tmp);
		if (*fd < 0) {
			*err = errno;
			atomic_store(&s->state, SLOT_FREE);
			s = NULL;
		} else {
			atomic_store(&s->state, SLOT_TEMP);
		}
	}
	guard_leave(&old);
	return s;
}

static void slot_free(struct slot *s)
{
	atomic_store(&s->state, SLOT_FREE);
}

/* Write all of len bytes at p to fd. 0 or errno. */
static int write_bytes(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return errno;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* After err (0 or an errno from writing): set the mode, flush and close
 * fd. 0 or errno. */
static int finish_fd(int fd, int err)
{
	if (!err && fchmod(fd, file_mode()) != 0)
		err = errno;
	if (!err && fsync(fd) != 0 && errno != EINVAL)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	return err;
}

/* Outside a transaction: rename the finished file over its target, as a
 * guarded step. 0 or errno. */
static int slot_place_now(struct slot *s)
{
	sigset_t old;
	if (guard_enter(&old) != 0)
		return EINTR;   /* abandoned: outfile_abandon removes it */
	int err = rename(s->tmp, s->path) == 0 ? 0 : errno;
	if (err)
		unlink(s->tmp);
	slot_free(s);
	guard_leave(&old);
	return err;
}

int outfile_write(const char *path, const void *data, size_t len,
		  diag_list *d)
{
	return outfile_write_parts(path, &data, &len, 1, d);
}

/* What outfile_write_stream's producer writes into. */
enum { SINK_BUF = 1 << 16 };
typedef struct sink {
	int fd;
	int err;                   /* the first write error */
	size_t len;                /* bytes in buf */
	unsigned char buf[SINK_BUF];
} sink;

static void sink_flush(sink *k)
{
	if (!k->err && k->len)
		k->err = write_bytes(k->fd, (const char *)k->buf, k->len);
	k->len = 0;
}

void outfile_sink_put(void *sinkp, const void *data, size_t n)
{
	sink *k = sinkp;
	if (k->err || !n)
		return;
	if (k->len + n > SINK_BUF)
		sink_flush(k);
	if (n >= SINK_BUF) {
		if (!k->err)
			k->err = write_bytes(k->fd, data, n);
		return;
	}
	memcpy(k->buf + k->len, data, n);
	k->len += n;
}

int outfile_write_stream(const char *path,
			 int (*produce)(void *ctx, void *sink), void *ctx,
			 diag_list *d)
{
	if (strlen(path) >= sizeof slots[0].path) {
		diag_io(d, path, "cannot write output file: %s",
			strerror(ENAMETOOLONG));
		return -1;
	}
	int fd, err;
	struct slot *s = slot_create(path, &fd, &err);
	if (!s) {
		diag_io(d, path, "cannot create output file: %s",
			err < 0 ? "too many outputs in one build" :
			strerror(err ? err : EINTR));
		return -1;
	}
	sink *k = xmalloc(sizeof *k);
	k->fd = fd;
	k->err = 0;
	k->len = 0;
	int failed = produce(ctx, k) != 0;
	sink_flush(k);
	err = finish_fd(fd, k->err);
	free(k);
	if (failed || err) {
		unlink(s->tmp);
		slot_free(s);
	} else if (!cur_txn) {
		err = slot_place_now(s);
	}
	if (err) {
		diag_io(d, path, "cannot write output file: %s", strerror(err));
		return -1;
	}
	return failed ? -1 : 0;
}

/* outfile_write_parts as a stream: its parts, in order. */
typedef struct parts_ctx {
	const void *const *parts;
	const size_t *lens;
	size_t n;
} parts_ctx;

static int parts_produce(void *ctx, void *sink)
{
	const parts_ctx *c = ctx;
	for (size_t i = 0; i < c->n; i++)
		outfile_sink_put(sink, c->parts[i], c->lens[i]);
	return 0;
}

int outfile_write_parts(const char *path, const void *const *parts,
			const size_t *lens, size_t n, diag_list *d)
{
	parts_ctx c = {parts, lens, n};
	return outfile_write_stream(path, parts_produce, &c, d);
}

/* ---- the commit ------------------------------------------------------- */

/* Keep the existing target of s (if any) under a fresh backup name: a
 * hard link, so the target never goes missing, or a rename where the file
 * system has no links. 0 or errno; a directory in the way is EISDIR. */
static int slot_backup(struct slot *s)
{
	struct stat st;
	if (lstat(s->path, &st) != 0)
		return errno == ENOENT ? 0 : errno;
	if (S_ISDIR(st.st_mode))
		return EISDIR;
	size_t n = strlen(s->path);
	memcpy(s->bak, s->path, n);
	for (int tries = 0; tries < 100; tries++) {
		snprintf(s->bak + n, sizeof s->bak - n, ".tmp.old-%ld-%u",
			 (long)getpid(), atomic_fetch_add(&bak_counter, 1));
		if (link(s->path, s->bak) == 0) {
			s->has_bak = 1;
			return 0;
		}
		if (errno == EEXIST)
			continue;
		struct stat b;
		if (lstat(s->bak, &b) == 0)
			continue;
		if (rename(s->path, s->bak) != 0)
			return errno;
		s->has_bak = 1;
		return 0;
	}
	return EEXIST;
}

/* Put s's target back as it was before the commit and remove the rest. */
static void slot_undo(struct slot *s)
{
	if (s->has_bak) {
		/* after a link both names are one file: rename does nothing
		 * and the unlink drops the backup */
		rename(s->bak, s->path);
		unlink(s->bak);
	} else if (s->placed) {
		unlink(s->path);
	}
	unlink(s->tmp);
	s->has_bak = s->placed = 0;
	slot_free(s);
}

/* Indices of the slots staged in transaction txn, sorted by target path;
 * returns the count. */
static size_t staged_order(unsigned txn, size_t order[OUTFILE_MAX])
{
	size_t n = 0;
	for (size_t i = 0; i < OUTFILE_MAX; i++) {
		if (atomic_load(&slots[i].state) != SLOT_TEMP ||
		    atomic_load_explicit(&slots[i].txn,
					 memory_order_relaxed) != txn)
			continue;
		size_t j = n++;
		while (j > 0 && strcmp(slots[order[j - 1]].path,
				       slots[i].path) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
	return n;
}

int outfile_commit(diag_list *d)
{
	sigset_t old;
	unsigned txn = cur_txn;
	cur_txn = 0;
	if (guard_enter(&old) != 0)
		return -1;
	size_t order[OUTFILE_MAX];
	size_t n = staged_order(txn, order), done = 0;
	int err = 0;
	for (; done < n && !err; done++) {
		struct slot *s = &slots[order[done]];
		err = slot_backup(s);
		if (!err && rename(s->tmp, s->path) != 0)
			err = errno;
		if (!err)
			s->placed = 1;
	}
	/* the failing slot (if any) is order[done - 1] */
	char failed[PATH_MAX];
	if (err) {
		memcpy(failed, slots[order[done - 1]].path,
		       strlen(slots[order[done - 1]].path) + 1);
		for (size_t k = n; k-- > 0;)
			slot_undo(&slots[order[k]]);
	} else {
		for (size_t k = 0; k < n; k++) {
			struct slot *s = &slots[order[k]];
			if (s->has_bak)
				unlink(s->bak);
			s->has_bak = s->placed = 0;
			slot_free(s);
		}
	}
	guard_leave(&old);
	if (err)
		diag_io(d, failed, "cannot write output file: %s",
			strerror(err));
	return err ? -1 : 0;
}

void outfile_rollback(void)
{
	sigset_t old;
	unsigned txn = cur_txn;
	cur_txn = 0;
	if (guard_enter(&old) != 0)
		return;
	for (size_t i = 0; i < OUTFILE_MAX; i++)
		if (atomic_load(&slots[i].state) == SLOT_TEMP &&
		    atomic_load_explicit(&slots[i].txn,
					 memory_order_relaxed) == txn)
			slot_undo(&slots[i]);
	guard_leave(&old);
}

/* ---- abandoning: out of memory, signals ---------------------------------- */

void outfile_abandon(void)
{
	atomic_store(&dying, 1);
	/* a step in progress on another thread takes microseconds; give up
	 * after a second rather than hang the exit */
	struct timespec ms = {0, 1000000};
	for (int i = 0; i < 1000 && atomic_load(&busy) > 0; i++)
		nanosleep(&ms, NULL);
	for (size_t i = 0; i < OUTFILE_MAX; i++)
		if (atomic_load(&slots[i].state) == SLOT_TEMP)
			unlink(slots[i].tmp);
}

static void on_signal(int sig)
{
	outfile_abandon();
	/* die of the same signal: it is blocked while this handler runs, so
	 * it arrives, with the default action, as the handler returns */
	struct sigaction dfl;
	memset(&dfl, 0, sizeof dfl);
	dfl.sa_handler = SIG_DFL;
	sigemptyset(&dfl.sa_mask);
	sigaction(sig, &dfl, NULL);
	raise(sig);
}

void outfile_catch_signals(void)
{
	static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	signal_set(&sa.sa_mask);   /* one handler at a time */
	for (size_t i = 0; i < sizeof sigs / sizeof *sigs; i++) {
		struct sigaction was;
		if (sigaction(sigs[i], NULL, &was) == 0 &&
		    was.sa_handler != SIG_IGN)
			sigaction(sigs[i], &sa, NULL);
	}
}

/* ---- directories ------------------------------------------------------- */

int outfile_mkdirs(const char *dir, diag_list *d)
{
	size_t n = strlen(dir);
	char *p = xmalloc(n + 1);
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			diag_io(d, dir, "cannot create output directory: %s",
				strerror(errno));
			free(p);
			return -1;
		}
		p[i] = c;
	}
	free(p);
	struct stat st;
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return 0;
	diag_io(d, dir, "not a directory");
	return -1;
}
