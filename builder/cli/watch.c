/* watch.c - rebuild on every save (see watch.h). */
#include "cli/watch.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "cli/paths.h"
#include "cli/run.h"

enum { WATCH_DIRS = 2 * PATHS_MAX + 1, WATCH_CHANGED = 8 };

typedef struct watcher {
	const args *o;
	const char *booklet_name;   /* the booklet's file name */
	int fd;
	struct {
		int wd;
		char kind;
	} dirs[WATCH_DIRS];
	int ndirs;
	char changed[WATCH_CHANGED][256];  /* names, in the order seen */
	int nchanged, more;         /* more: changes beyond the list */
} watcher;

static int ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);
	return n >= t && !strcmp(s + n - t, tail);
}

int watch_relevant(char kind, const char *name, const char *booklet)
{
	if (!*name || name[0] == '.' || ends_with(name, "~") ||
	    strstr(name, ".tmp.") || ends_with(name, ".swp"))
		return 0;
	switch (kind) {
	case 'b':
		return !strcmp(name, booklet) || !strcmp(name, "styles") ||
		       !strcmp(name, "fonts") ||
		       /* bibliographies a Markdown booklet may name */
		       ends_with(name, ".json") || ends_with(name, ".yaml") ||
		       ends_with(name, ".yml");
	case 's':
		return ends_with(name, ".style") || ends_with(name, ".css");
	case 'f':
		return 1;
	default:
		return 0;
	}
}

/* Watch dir; 0, or -1 with errno when it cannot be watched (not there
 * yet, say: the booklet directory's watch sees a styles/ come). */
static int add_dir(watcher *w, const char *dir, char kind)
{
	const uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
			      IN_CREATE | IN_DELETE | IN_ATTRIB;
	int wd = inotify_add_watch(w->fd, dir, mask);
	if (wd < 0)
		return -1;
	for (int i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return 0;
	if (w->ndirs < WATCH_DIRS) {
		w->dirs[w->ndirs].wd = wd;
		w->dirs[w->ndirs].kind = kind;
		w->ndirs++;
	}
	return 0;
}

/* Watch the booklet's directory and every place styles and fonts may come
 * from that exists now (again after each build: new ones may have
 * appeared). 0, or -1 with errno when the booklet's directory cannot be
 * watched. */
static int watch_dirs(watcher *w)
{
	arena a = {0};
	const char *b = w->o->booklet;
	const char *slash = strrchr(b, '/');
	const char *dir = slash ? arena_strndup(&a, b, slash == b ? 1
						: (size_t)(slash - b)) : ".";
	if (add_dir(w, dir, 'b') != 0) {
		int err = errno;
		fprintf(stderr, "chapbook: error: cannot watch %s: %s\n", dir,
			strerror(err));
		arena_free(&a);
		errno = err;
		return -1;
	}
	paths p;
	paths_init(&p, b, w->o->styles, w->o->fonts, NULL, NULL, &a);
	for (int i = 0; i < p.nstyles; i++)
		add_dir(w, p.styles[i], 's');
	for (int i = 0; i < p.nfonts; i++)
		add_dir(w, p.fonts[i], 'f');
	arena_free(&a);
	return 0;
}

static char kind_of(const watcher *w, int wd)
{
	for (int i = 0; i < w->ndirs; i++)
		if (w->dirs[i].wd == wd)
			return w->dirs[i].kind;
	return 0;
}

static void note_change(watcher *w, const char *name)
{
	for (int i = 0; i < w->nchanged; i++)
		if (!strcmp(w->changed[i], name))
			return;
	if (w->nchanged < WATCH_CHANGED)
		snprintf(w->changed[w->nchanged++], sizeof w->changed[0], "%s",
			 name);
	else
		w->more = 1;
}

/* Wait up to timeout ms (-1: for ever) for events and take them in.
 * 1 if any came, 0 on a quiet timeout, -1 on an error. */
static int take_events(watcher *w, int timeout)
{
	struct pollfd pf = {.fd = w->fd, .events = POLLIN};
	int r = poll(&pf, 1, timeout);
	if (r < 0)
		return errno == EINTR ? 0 : -1;
	if (r == 0)
		return 0;
	char buf[16384] __attribute__((aligned(__alignof__(struct inotify_event))));
	ssize_t n = read(w->fd, buf, sizeof buf);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	for (char *p = buf; p < buf + n;) {
		struct inotify_event *e = (struct inotify_event *)p;
		if (e->len && watch_relevant(kind_of(w, e->wd), e->name,
					     w->booklet_name))
			note_change(w, e->name);
		p += sizeof *e + e->len;
	}
	return 1;
}

/* Wait for a change that matters, then for the burst to settle. */
static int wait_for_change(watcher *w)
{
	w->nchanged = w->more = 0;
	while (w->nchanged == 0)
		if (take_events(w, -1) < 0)
			return -1;
	int r;
	while ((r = take_events(w, WATCH_SETTLE_MS)) == 1)
		;
	return r < 0 ? -1 : 0;
}

/* The booklet may be missing for a moment while an editor replaces it. */
static int booklet_present(watcher *w)
{
	struct stat sb;
	for (int i = 0; i < 10; i++) {
		if (stat(w->o->booklet, &sb) == 0)
			return 1;
		if (take_events(w, 100) < 0)
			break;
	}
	return stat(w->o->booklet, &sb) == 0;
}

static void say_changed(const watcher *w)
{
	if (w->o->quiet)
		return;
	fputs("chapbook: changed:", stderr);
	for (int i = 0; i < w->nchanged; i++)
		fprintf(stderr, "%s %s", i ? "," : "", w->changed[i]);
	fputs(w->more ? ", ...\n" : "\n", stderr);
}

int watch_run(const args *o)
{
	watcher w = {.o = o};
	const char *slash = strrchr(o->booklet, '/');
	w.booklet_name = slash ? slash + 1 : o->booklet;
	w.fd = inotify_init1(IN_CLOEXEC);
	if (w.fd < 0) {
		fprintf(stderr, "chapbook: error: cannot watch for changes: %s\n",
			strerror(errno));
		return 2;
	}
	/* watch first, so that a save during the first build is seen */
	if (watch_dirs(&w) != 0) {
		close(w.fd);
		return 2;
	}
	run_once(o);
	if (!o->quiet)
		fprintf(stderr, "chapbook: watching %s, its styles and fonts "
			"(Ctrl-C stops)\n", o->booklet);
	for (;;) {
		if (watch_dirs(&w) != 0) {
			close(w.fd);
			return 2;
		}
		if (wait_for_change(&w) != 0) {
			fprintf(stderr, "chapbook: error: cannot watch for "
				"changes: %s\n", strerror(errno));
			close(w.fd);
			return 2;
		}
		say_changed(&w);
		if (!booklet_present(&w)) {
			fprintf(stderr, "chapbook: %s is gone; waiting for it\n",
				o->booklet);
			continue;
		}
		if (run_once(o) != 0 && !o->quiet)
			fputs("chapbook: waiting for the next save\n", stderr);
	}
}
