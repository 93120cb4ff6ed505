/* mem.h - the one out-of-memory path of the tool. Every allocation that
 * cannot fail gracefully goes through these wrappers (the arena, the
 * output buffers, diagnostics, libxml2 through xmlMemSetup): when memory
 * runs out they call mem_fail, which removes the build's temporary files
 * and restores its outputs (outfile_abandon), prints
 * "chapbook: error: out of memory" and ends the process with exit 3. */
#ifndef CHAPBOOK_MEM_H
#define CHAPBOOK_MEM_H

#include <stddef.h>

enum { MEM_EXIT = 3 };   /* exit status after running out of memory */

/* malloc, calloc, realloc and strdup that never return NULL. A size of 0
 * gives a valid unique pointer; xcalloc and xrealloc fail (mem_fail) when
 * n * size overflows. */
void *xmalloc(size_t size);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t size);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);

/* The C library's allocator set for how chapbook allocates; called once
 * by main before anything is allocated. */
void mem_setup(void);

/* The out-of-memory exit: abandon the output transaction, print the
 * message, _exit(MEM_EXIT). Safe from any thread; allocates nothing. */
_Noreturn void mem_fail(void);

#endif
