/* hyph.h - hyphenation points for a word, from libhyphen and the en-GB
 * patterns (Debian hyphen-en-gb). Handles UTF-8, curly apostrophes,
 * capitals and surrounding punctuation. */
#ifndef CHAPBOOK_HYPH_H
#define CHAPBOOK_HYPH_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct hyph hyph;

/* A pattern file's automaton as hyph_open compiles it, in flat arrays
 * without pointers, so that it can be compiled into the program at make
 * time (builder/tools/hyphgen.c writes one as C with hyph_write_image) and used
 * without compiling the file again. */
typedef struct hyph_image_level {
	signed char lhmin, rhmin, clhmin, crhmin;
	int32_t nohyphen;          /* offset in text of the list, -1 none */
	int32_t nohyphenl;
	int32_t nstates;
	const int32_t *states;     /* 4 a state: match (offset in text, -1
				      none), fallback, transitions, first */
	const void *trans;         /* libhyphen's HyphenTrans, in order */
	const char *text;
} hyph_image_level;

typedef struct hyph_image {
	const unsigned char *source;  /* the pattern file's bytes; NULL when
					 none was compiled in */
	size_t source_len;
	const char *cset;
	int utf8;
	hyph_image_level level[2];    /* the compound level, the patterns */
} hyph_image;

/* The default patterns (the style's `hyphenation` default, Debian's
 * en-GB), compiled at make time ($(B)/hyphdata.c). */
extern const hyph_image hyph_builtin;

/* Open a pattern file (e.g. /usr/share/hyphen/hyph_en_GB.dic). NULL on
 * failure. */
hyph *hyph_open(const char *dic_path);
/* The same, loading the patterns with libhyphen's own (slower) loader:
 * for tests that check both give the same hyphenation. */
hyph *hyph_open_libhyphen(const char *dic_path);
void hyph_close(hyph *h);

/* The patterns at dic_path from img, without compiling them, when the
 * file holds exactly the bytes img was made from; NULL otherwise (or when
 * it cannot be read), and the caller compiles them with hyph_open. */
hyph *hyph_open_image(const char *dic_path, const hyph_image *img);

/* Write h (from hyph_open, compiled by hyph_compile) as C source defining
 * the hyph_image called name, made from the pattern file's bytes
 * src[0..len). Returns 0, or -1 when h was not compiled here (a file for
 * libhyphen's own loader) or writing failed. */
int hyph_write_image(const hyph *h, const unsigned char *src, size_t len,
		     const char *name, FILE *out);

/* Byte offsets inside word[0..len) where a hyphen may be inserted (the
 * hyphen goes before word[offset]); at most max of them, ascending.
 * Returns the count. Words with digits, '@', '/' or fewer than 5 letters get
 * none. */
size_t hyph_points(hyph *h, const char *word, size_t len, size_t *offsets,
		   size_t max);

#endif
