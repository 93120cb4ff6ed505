/* run.h - a check or build, as the command line asked: read each
 * booklet, check it, write its outputs, then report: the diagnostics with
 * their closing count, and (unless --quiet) one line per file written with
 * its size and the total time; with --verbose, where each input was found
 * and each step's time. All of it on standard error. */
#ifndef CHAPBOOK_RUN_H
#define CHAPBOOK_RUN_H

#include "cli/args.h"

/* Run o->cmd (CMD_CHECK or CMD_BUILD; CMD_WATCH builds) on each of
 * o->booklets (o->booklet when there are none). Several booklets share
 * the run's fonts, patterns and shaped text and are built in parallel,
 * each all or nothing: one that fails does not stop the others. Each
 * booklet's report comes in the order given, as if built alone. Returns
 * the exit code, the worst of the booklets': 0, 1 (content), 2 (usage or
 * I/O), 3 (internal). */
int run_once(const args *o);

/* Milliseconds on the monotonic clock (for times shown, never written). */
double run_now_ms(void);

#endif
