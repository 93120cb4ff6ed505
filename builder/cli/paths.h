/* paths.h - where a build finds its style files and fonts. In order:
 * --styles/--fonts DIR (only there), styles/ and fonts/ beside the
 * booklet, then in the booklet's parent directory (the repository's
 * layout: content/../styles), then installed beside the program
 * (EXE/../share/chapbook, for a relocated install, EXE read from
 * /proc/self/exe), then the tree the program was built in (EXE/../styles,
 * for build/chapbook), then the data directory compiled in
 * (PREFIX/share/chapbook). Style files are looked up one by one, so a
 * styles/ beside the booklet may override only some; the fonts directory
 * is the first one that exists. */
#ifndef CHAPBOOK_PATHS_H
#define CHAPBOOK_PATHS_H

#include "base/arena.h"
#include "base/diag.h"

enum { PATHS_MAX = 6 };

typedef struct paths {
	const char *styles[PATHS_MAX], *styles_why[PATHS_MAX];
	const char *fonts[PATHS_MAX], *fonts_why[PATHS_MAX];
	int nstyles, nfonts;
	int styles_given, fonts_given;   /* --styles, --fonts */
} paths;

/* The places to look for a booklet, with the directories given on the
 * command line (or NULL). exe is the program's path (NULL: read
 * /proc/self/exe), datadir the compiled-in data directory (NULL: the
 * default). Strings in arena a. */
void paths_init(paths *p, const char *booklet, const char *styles,
		const char *fonts, const char *exe, const char *datadir,
		arena *a);

/* The path of style file name ("a5.style", "epub.css"): the first place
 * that has it (with --styles, that directory's, found or not: the reader
 * reports it). *why (may be NULL) says which rule found it. NULL, after an
 * I/O error (exit 2) listing every place looked, when none has it. */
const char *paths_style(const paths *p, const char *name, const char **why,
			arena *a, diag_list *d);

/* The fonts directory: the first that exists (with --fonts, that one).
 * NULL after an I/O error listing every place looked. */
const char *paths_fonts(const paths *p, const char **why, arena *a,
			diag_list *d);

/* The data directory compiled in: PREFIX/share/chapbook. */
const char *paths_datadir(void);

#endif
