/* hyph.h - hyphenation points for a word, from libhyphen and the en-GB
 * patterns (Debian hyphen-en-gb). Handles UTF-8, curly apostrophes,
 * capitals and surrounding punctuation. */
#ifndef CHAPBOOK_HYPH_H
#define CHAPBOOK_HYPH_H

#include <stddef.h>

typedef struct hyph hyph;

/* Open a pattern file (e.g. /usr/share/hyphen/hyph_en_GB.dic). NULL on
 * failure. */
hyph *hyph_open(const char *dic_path);
/* The same, loading the patterns with libhyphen's own (slower) loader:
 * for tests that check both give the same hyphenation. */
hyph *hyph_open_libhyphen(const char *dic_path);
void hyph_close(hyph *h);

/* Byte offsets inside word[0..len) where a hyphen may be inserted (the
 * hyphen goes before word[offset]); at most max of them, ascending.
 * Returns the count. Words with digits, '@', '/' or fewer than 5 letters get
 * none. */
size_t hyph_points(hyph *h, const char *word, size_t len, size_t *offsets,
		   size_t max);

#endif
