/* fuzz_load.c - libFuzzer target: arbitrary bytes through the booklet
 * loader (XML parse, schema validation, tree conversion) and the checker. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "doc/check.h"
#include "base/diag.h"
#include "source/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena a;
	diag_list d;
	memset(&a, 0, sizeof a);
	memset(&d, 0, sizeof d);
	doc *doc = load_booklet_memory((const char *)data, size, "fuzz.xml", &a, &d);
	if (doc)
		check_document(doc, &d);
	diag_free(&d);
	arena_free(&a);
	return 0;
}
