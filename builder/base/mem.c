/* mem.c - allocation wrappers and the one out-of-memory exit (see mem.h). */
#include "base/mem.h"

#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/outfile.h"

void mem_setup(void)
{
#ifdef M_MXFAST
	/* No fastbins: a parse tree of millions of small nodes, freed,
	 * otherwise sets off glibc's fastbin consolidation again and again
	 * (a tenth of checking 50,000 references: 514 -> 453 ms here; the
	 * booklet, the 100x booklet and 100 booklets in one run unchanged). */
	mallopt(M_MXFAST, 0);
#endif
}

_Noreturn void mem_fail(void)
{
	static const char msg[] = "chapbook: error: out of memory\n";
	outfile_abandon();
	ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
	(void)w;
	_exit(MEM_EXIT);
}

void *xmalloc(size_t size)
{
	void *p = malloc(size ? size : 1);
	if (!p)
		mem_fail();
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		mem_fail();
	void *p = calloc(n && size ? n : 1, n && size ? size : 1);
	if (!p)
		mem_fail();
	return p;
}

void *xrealloc(void *p, size_t size)
{
	void *q = realloc(p, size ? size : 1);
	if (!q)
		mem_fail();
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		mem_fail();
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

