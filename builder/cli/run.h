/* run.h - one check or build, as the command line asked: read the
 * booklet, check it, write the outputs, then report: the diagnostics with
 * their closing count, and (unless --quiet) one line per file written with
 * its size and the total time; with --verbose, where each input was found
 * and each step's time. All of it on standard error. */
#ifndef CHAPBOOK_RUN_H
#define CHAPBOOK_RUN_H

#include "cli/args.h"

/* Run o->cmd (CMD_CHECK or CMD_BUILD; CMD_WATCH builds) on o->booklet.
 * Returns the exit code: 0, 1 (content), 2 (usage or I/O), 3 (internal). */
int run_once(const args *o);

/* Milliseconds on the monotonic clock (for times shown, never written). */
double run_now_ms(void);

#endif
