/* htmlent.h - the names HTML gives characters (&nbsp; &mdash; &hellip;
 * &copy; ...), which XML does not know: with them the loader tells a
 * writer which character an HTML entity stands for and how to write it. */
#ifndef CHAPBOOK_HTMLENT_H
#define CHAPBOOK_HTMLENT_H

#include <stddef.h>
#include <stdint.h>

/* The code point HTML's entity name[0..len) stands for ("mdash": U+2014),
 * or 0 when HTML has no such name (or it is one of XML's own: amp, lt, gt,
 * quot). Names are case-sensitive, as in HTML. */
uint32_t htmlent_lookup(const char *name, size_t len);

/* The HTML entity name nearest to name[0..len) (names of 3 to 31
 * characters): one edit away, or two for a name of five or more (a
 * transposition, "ndahs", is two); its code point in *cp; NULL when none
 * is that near. */
const char *htmlent_nearest(const char *name, size_t len, uint32_t *cp);

/* 1 for the characters that show as nothing or as a space (no-break and
 * other spaces, the soft hyphen, joiners and direction marks): a hint
 * gives their code point without the character itself. */
int htmlent_invisible(uint32_t cp);

#endif
