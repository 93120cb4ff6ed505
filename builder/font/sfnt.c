/* sfnt.c - the table directory of a TrueType file (see sfnt.h). */
#include "font/sfnt.h"

#include <string.h>

int sfnt_table(const sfnt *s, const char *tag, size_t *off, size_t *len)
{
	size_t n = sfnt_u16(s, 4);
	if (!sfnt_in(s, 12, n * 16))
		return 0;
	for (size_t i = 0; i < n; i++) {
		size_t rec = 12 + i * 16;
		if (memcmp(s->p + rec, tag, 4) != 0)
			continue;
		size_t o = sfnt_u32(s, rec + 8), l = sfnt_u32(s, rec + 12);
		if (!sfnt_in(s, o, l))
			return 0;
		*off = o;
		*len = l;
		return 1;
	}
	return 0;
}
