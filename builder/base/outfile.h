/* outfile.h - the one home of writing output files. Each output is written
 * to a temporary file beside its target ("TARGET.tmp.XXXXXX"), with the
 * mode 0666 less the umask, flushed and closed, then renamed over it. A
 * build's outputs form one transaction: all replace the previous files, or
 * none does. Several transactions may be open at once, one per booklet of
 * a run that builds several: each thread works in one (the one it began or
 * joined), and a commit or rollback touches only its own files. Temporary
 * files are listed in a fixed table, so that the
 * out-of-memory path and the signal handlers can remove them without
 * allocating: no failure, signal or lack of memory leaves one behind. */
#ifndef CHAPBOOK_OUTFILE_H
#define CHAPBOOK_OUTFILE_H

#include <stddef.h>

#include "base/diag.h"

/* Outputs all open transactions together can hold (a build writes at
 * most four; a run builds at most OUTFILE_MAX / 8 booklets at once). */
enum { OUTFILE_MAX = 64 };

/* Write len bytes to path. Outside a transaction the file replaces path at
 * once; inside one it waits, complete, for outfile_commit. Safe to call
 * from several threads at once. Returns 0, or -1 with an I/O diagnostic
 * (diag_io) naming path. */
int outfile_write(const char *path, const void *data, size_t len,
		  diag_list *d);

/* The same for a file made of n parts, parts[i] of lens[i] bytes, written
 * in order (output built in pieces needs no copy in one piece). */
int outfile_write_parts(const char *path, const void *const *parts,
			const size_t *lens, size_t n, diag_list *d);

/* The same for a file made as it is written (a PDF saved by libharu):
 * produce(ctx, sink) passes the bytes, in order, to outfile_sink_put(sink,
 * ...), which buffers them and writes them on to the temporary file, so
 * that the whole file is never held in memory. produce returns 0, or -1
 * after its own diagnostics: then nothing is written. Returns 0, or -1. */
int outfile_write_stream(const char *path,
			 int (*produce)(void *ctx, void *sink), void *ctx,
			 diag_list *d);
/* Append n bytes to the file being written by outfile_write_stream (a
 * write error is kept and reported when produce returns). */
void outfile_sink_put(void *sink, const void *data, size_t n);

/* Start a transaction in the calling thread; returns its number, which a
 * helper thread passes to outfile_join to write into it. */
unsigned outfile_begin(void);

/* Write into transaction txn (from outfile_begin) from the calling thread
 * (a helper thread of the build that began it); 0 leaves it. */
void outfile_join(unsigned txn);

/* Put every file written in the calling thread's transaction in place
 * (and end it), in the order of
 * their paths (so the same on every run): each existing target is first
 * kept under a backup name (a hard link, or a rename where links are not
 * supported), then the new file is renamed over it. If any step fails (a
 * directory in a target's place, say), every target is put back exactly as
 * it was, and the backups and temporary files are removed. Signals wait
 * until the commit is over. On success the backups are removed. Returns 0,
 * or -1 with an I/O diagnostic. Call it when no outfile_write is running. */
int outfile_commit(diag_list *d);

/* End the calling thread's transaction without replacing anything:
 * removes its temporary files. */
void outfile_rollback(void);

/* The emergency rollback, for the out-of-memory path and signal handlers:
 * async-signal-safe, allocates nothing, safe from any thread. Waits for a
 * file being created or a commit in progress to finish, removes every
 * temporary file, and makes later outfile_write calls fail, since the
 * process is about to end. */
void outfile_abandon(void);

/* Handlers for SIGINT, SIGTERM and SIGHUP (each unless it was ignored when
 * the program started, as under nohup): outfile_abandon, then the process
 * ends by the same signal (a shell sees status 128 + the signal number). */
void outfile_catch_signals(void);

/* Create directory dir (and parents) if missing, with mode 0777 less the
 * umask. 0 on success, else -1 with an I/O diagnostic. */
int outfile_mkdirs(const char *dir, diag_list *d);

#endif
