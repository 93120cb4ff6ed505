/* watch.h - `chapbook watch`: build, then watch (inotify) the booklet's
 * directory and every directory its styles and fonts may come from; after
 * a save (an editor's write-to-temporary-then-rename included, a burst of
 * events taken as one) say what changed and build again. Failed builds
 * are reported and the watch goes on. It runs until a signal ends it
 * (Ctrl-C: exit status 130, as for any build). */
#ifndef CHAPBOOK_WATCH_H
#define CHAPBOOK_WATCH_H

#include "cli/args.h"

/* Quiet time that ends a burst of events, in milliseconds. */
enum { WATCH_SETTLE_MS = 150 };

/* Returns only when watching is impossible: exit code 2. */
int watch_run(const args *o);

/* 1 if a change to name matters: kind 'b' (the booklet's directory,
 * booklet being the booklet's file name), 's' (a styles directory) or 'f'
 * (a fonts directory). Editors' backup and swap files, hidden files and
 * chapbook's own temporary files never matter. */
int watch_relevant(char kind, const char *name, const char *booklet);

#endif
