/* fuzz_md.c - libFuzzer target: arbitrary bytes through the Markdown
 * reader (metadata block, cmark, citations, CSL-YAML references) and the
 * checker; or, when the first byte is 0x01, the rest as a CSL-JSON
 * bibliography (the surrogate-pair rewriting and the YAML reader). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/diag.h"
#include "doc/check.h"
#include "source/csl.h"
#include "source/md.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena a;
	diag_list d;
	memset(&a, 0, sizeof a);
	memset(&d, 0, sizeof d);
	if (size >= 1 && data[0] == 0x01) {
		char *text = malloc(size);
		if (text) {
			memcpy(text, data + 1, size - 1);
			csl_refs refs = {0};
			csl_read_memory(&refs, text, size - 1, 1, "fuzz.json", &a, &d);
			free(text);
		}
	} else {
		doc *doc = md_load_memory((const char *)data, size, "fuzz.md", &a, &d);
		if (doc)
			check_document(doc, &d);
	}
	diag_free(&d);
	arena_free(&a);
	return 0;
}
