/* paths.c - finding style files and fonts (see paths.h). */
#include "cli/paths.h"

#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "datadir.h"   /* CHAPBOOK_DATADIR, written by the Makefile */

const char *paths_datadir(void)
{
	return CHAPBOOK_DATADIR;
}

/* Add dir/name with its reason, unless the same path is already listed. */
static void add(const char **list, const char **why, int *n, const char *path,
		const char *reason)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(list[i], path))
			return;
	if (*n < PATHS_MAX) {
		list[*n] = path;
		why[*n] = reason;
		(*n)++;
	}
}

/* The directory part of path ("." has none: NULL), in the arena. */
static const char *dir_of(const char *path, arena *a)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return NULL;
	if (slash == path)
		return "/";
	return arena_strndup(a, path, (size_t)(slash - path));
}

/* The program's prefix: the parent of the directory the binary is in
 * (/usr for /usr/bin/chapbook, the repository for build/chapbook). */
static const char *exe_prefix(const char *exe, arena *a)
{
	char buf[PATH_MAX];
	if (!exe) {
		ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
		if (n <= 0)
			return NULL;
		buf[n] = '\0';
		exe = buf;
	}
	const char *bin = dir_of(exe, a);
	return bin ? dir_of(bin, a) : NULL;
}

/* The candidates for one kind ("styles" or "fonts"). */
static void candidates(const char **list, const char **why, int *n,
		       const char *kind, const char *booklet_dir,
		       const char *prefix, const char *datadir, arena *a)
{
	const char *sep = booklet_dir ? "/" : "";
	const char *b = booklet_dir ? booklet_dir : "";
	add(list, why, n, arena_printf(a, "%s%s%s", b, sep, kind),
	    "beside the booklet");
	add(list, why, n, arena_printf(a, "%s%s../%s", b, sep, kind),
	    "in the booklet's parent directory");
	if (prefix) {
		const char *p = strcmp(prefix, "/") ? prefix : "";
		add(list, why, n,
		    arena_printf(a, "%s/share/chapbook/%s", p, kind),
		    "installed beside the program");
		add(list, why, n, arena_printf(a, "%s/%s", p, kind),
		    "in the tree the program was built in");
	}
	add(list, why, n, arena_printf(a, "%s/%s", datadir, kind),
	    "installed");
}

void paths_init(paths *p, const char *booklet, const char *styles,
		const char *fonts, const char *exe, const char *datadir,
		arena *a)
{
	memset(p, 0, sizeof *p);
	const char *bdir = dir_of(booklet, a);
	const char *prefix = exe_prefix(exe, a);
	if (!datadir)
		datadir = CHAPBOOK_DATADIR;
	if (styles) {
		p->styles_given = 1;
		add(p->styles, p->styles_why, &p->nstyles, styles,
		    "given with --styles");
	} else {
		candidates(p->styles, p->styles_why, &p->nstyles, "styles",
			   bdir, prefix, datadir, a);
	}
	if (fonts) {
		p->fonts_given = 1;
		add(p->fonts, p->fonts_why, &p->nfonts, fonts,
		    "given with --fonts");
	} else {
		candidates(p->fonts, p->fonts_why, &p->nfonts, "fonts", bdir,
			   prefix, datadir, a);
	}
}

/* "a, b and c" of the list, for the message saying where we looked. */
static const char *looked_in(const char *const *list, int n, const char *name,
			     arena *a)
{
	const char *s = "";
	for (int i = 0; i < n; i++)
		s = arena_printf(a, "%s%s%s%s%s", s,
				 i == 0 ? "" : i == n - 1 ? " and " : ", ",
				 list[i], name ? "/" : "", name ? name : "");
	return s;
}

const char *paths_style(const paths *p, const char *name, const char **why,
			arena *a, diag_list *d)
{
	for (int i = 0; i < p->nstyles; i++) {
		const char *path = arena_printf(a, "%s/%s", p->styles[i], name);
		struct stat sb;
		if (p->styles_given || (stat(path, &sb) == 0 && S_ISREG(sb.st_mode))) {
			if (why)
				*why = p->styles_why[i];
			return path;
		}
	}
	diag_io(d, NULL, "cannot find style '%s': looked for %s", name,
		looked_in(p->styles, p->nstyles, name, a));
	diag_hint(d, "put a styles/ directory beside the booklet, install "
		  "chapbook (make install), or give --styles DIR");
	return NULL;
}

const char *paths_fonts(const paths *p, const char **why, arena *a,
			diag_list *d)
{
	for (int i = 0; i < p->nfonts; i++) {
		struct stat sb;
		if (p->fonts_given ||
		    (stat(p->fonts[i], &sb) == 0 && S_ISDIR(sb.st_mode))) {
			if (why)
				*why = p->fonts_why[i];
			return p->fonts[i];
		}
	}
	diag_io(d, NULL, "cannot find a fonts directory: looked for %s",
		looked_in(p->fonts, p->nfonts, NULL, a));
	diag_hint(d, "put a fonts/ directory beside the booklet, install "
		  "chapbook (make install), or give --fonts DIR");
	return NULL;
}
