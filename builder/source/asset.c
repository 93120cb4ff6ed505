/* asset.c - files a booklet names beside itself (see asset.h). */
#define _XOPEN_SOURCE 700   /* realpath */
#include "source/asset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/file.h"

char *asset_path(const char *booklet_path, const char *rel, arena *a,
		 const char **why, int *io)
{
	if (io)
		*io = 0;
	if (!rel[0] || rel[0] == '/') {
		*why = "it must be a path relative to the booklet's directory";
		return NULL;
	}
	const char *slash = strrchr(booklet_path, '/');
	const char *dir = !slash ? "." : slash == booklet_path ? "/" :
		arena_strndup(a, booklet_path, (size_t)(slash - booklet_path));
	char *full = arena_printf(a, "%s/%s", dir, rel);
	char *rdir = realpath(dir, NULL);
	char *rfull = rdir ? realpath(full, NULL) : NULL;
	char *result = NULL;
	*why = NULL;
	if (!rdir || !rfull) {
		*why = strerror(errno);
		if (io)
			*io = 1;
	} else {
		size_t n = strlen(rdir);
		if (!strncmp(rfull, rdir, n) &&
		    (rfull[n] == '/' || (n == 1 && rdir[0] == '/')))
			result = full;
		else
			*why = "it is outside the booklet's directory";
	}
	free(rdir);
	free(rfull);
	return result;
}

static int asset_is_image(const unsigned char *b, size_t len)
{
	static const unsigned char png[8] = {0x89, 'P', 'N', 'G', '\r', '\n',
					     0x1a, '\n'};
	if (len >= 8 && !memcmp(b, png, 8))
		return 1;
	return len >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF;
}

int asset_read_image(const char *booklet_path, const char *rel,
		     const doc_pos *pos, arena *a, diag_list *d,
		     const unsigned char **data, size_t *len)
{
	const char *why;
	int io;
	*data = NULL;
	*len = 0;
	char *path = asset_path(booklet_path, rel, a, &why, &io);
	if (!path) {
		if (io)
			diag_io(d, pos->file, "cannot read cover image '%s': %s",
				rel, why);
		else
			diag_add(d, DIAG_ERROR, pos->file, pos->line, pos->col,
				 "cover image '%s': %s", rel, why);
		return -1;
	}
	file_bytes f;
	file_status fs = file_read(path, ASSET_MAX_IMAGE, &f);
	if (fs != FILE_OK) {
		file_report(d, path, "cover image", fs, &f, ASSET_MAX_IMAGE);
		return -1;
	}
	int ok = asset_is_image(f.data, f.len);
	if (ok) {
		unsigned char *copy = arena_alloc(a, f.len ? f.len : 1);
		memcpy(copy, f.data, f.len);
		*data = copy;
		*len = f.len;
	} else {
		diag_add(d, DIAG_ERROR, pos->file, pos->line, pos->col,
			 "cover image '%s' is not a PNG or JPEG image", rel);
	}
	file_release(&f);
	return ok ? 0 : -1;
}
