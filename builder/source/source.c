/* source.c - choosing the reader by the booklet's name (see source.h). */
#include "source/source.h"

#include <string.h>
#include <strings.h>

#include "source/load.h"
#include "source/md.h"

int source_is_markdown(const char *path)
{
	const char *dot = strrchr(path, '.');
	const char *slash = strrchr(path, '/');
	if (!dot || (slash && slash > dot))
		return 0;
	return !strcasecmp(dot, ".md") || !strcasecmp(dot, ".markdown");
}

doc *source_load(const char *path, arena *a, diag_list *d)
{
	return source_is_markdown(path) ? md_load(path, a, d)
					: load_booklet(path, a, d);
}
