/* test_watch.c - which saved files make `chapbook watch` build again
 * (builder/cli/watch.c): the booklet, its bibliographies, styles and fonts;
 * never an editor's swap or backup file, a hidden file, chapbook's own
 * temporary files or its outputs. */
#include "cli/watch.h"
#include "unit.h"

TEST(booklet_directory)
{
	CHECK(watch_relevant('b', "skin.md", "skin.md"));
	CHECK(watch_relevant('b', "refs.json", "skin.md"));
	CHECK(watch_relevant('b', "refs.yaml", "skin.md"));
	CHECK(watch_relevant('b', "styles", "skin.md"));   /* appeared */
	CHECK(!watch_relevant('b', "other.md", "skin.md"));
	CHECK(!watch_relevant('b', "skin.epub", "skin.md"));
	CHECK(!watch_relevant('b', "skin-a5.pdf", "skin.md"));
}

TEST(editor_files_ignored)
{
	CHECK(!watch_relevant('b', ".skin.md.swp", "skin.md"));
	CHECK(!watch_relevant('b', "skin.md~", "skin.md"));
	CHECK(!watch_relevant('b', ".#skin.md", "skin.md"));
	CHECK(!watch_relevant('b', "4913", "skin.md"));   /* vim's probe */
	CHECK(!watch_relevant('s', "a5.style.tmp.Ab12Cd", "skin.md"));
	CHECK(!watch_relevant('f', ".fuse_hidden0001", "skin.md"));
}

TEST(styles_and_fonts)
{
	CHECK(watch_relevant('s', "a5.style", "b.xml"));
	CHECK(watch_relevant('s', "epub.css", "b.xml"));
	CHECK(!watch_relevant('s', "notes.txt", "b.xml"));
	CHECK(watch_relevant('f', "CharisSIL-Regular.ttf", "b.xml"));
	CHECK(!watch_relevant(0, "b.xml", "b.xml"));
}

int main(void)
{
	RUN(booklet_directory);
	RUN(editor_files_ignored);
	RUN(styles_and_fonts);
	CHECK_EXIT();
}
