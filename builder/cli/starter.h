/* starter.h - `chapbook new DIR`: write a starter booklet (Markdown, or
 * XML with --xml) that shows every feature with a comment each and builds
 * as it is. The starters are content/starter/booklet.{md,xml}, compiled
 * into the program (like the schema) so that `new` needs no data
 * directory and a copied binary still has them. */
#ifndef CHAPBOOK_STARTER_H
#define CHAPBOOK_STARTER_H

#include <stddef.h>

#include "cli/args.h"

/* The starters as compiled in (generated from content/starter/). */
extern const char starter_md[];
extern const char starter_xml[];

/* The starter text with its identifier ("my-booklet") replaced by one made
 * from dir's last component ("Skin care/" gives "skin-care"), when that
 * gives one. malloc'd. */
char *starter_text(const char *starter, const char *dir);

/* Write DIR/booklet.md (or .xml), never over an existing booklet. Returns
 * the exit code (0, or 2 after printing why). */
int starter_run(const args *o);

#endif
