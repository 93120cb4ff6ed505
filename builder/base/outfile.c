/* outfile.c - atomic output files (temp file beside the target, rename). */
#include "base/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The open transaction: temporary files waiting for their rename. Outputs
 * may be written from two threads (the EPUB beside the PDFs), so staging
 * takes a lock; begin, commit and rollback run with one thread. */
static pthread_mutex_t staged_lock = PTHREAD_MUTEX_INITIALIZER;
static struct staged {
	char *tmp, *path;
} *staged;
static size_t nstaged, capstaged;
static int in_transaction;

void outfile_begin(void)
{
	in_transaction = 1;
}

static void staged_clear(void)
{
	for (size_t i = 0; i < nstaged; i++) {
		free(staged[i].tmp);
		free(staged[i].path);
	}
	free(staged);
	staged = NULL;
	nstaged = capstaged = 0;
	in_transaction = 0;
}

void outfile_rollback(void)
{
	for (size_t i = 0; i < nstaged; i++)
		unlink(staged[i].tmp);
	staged_clear();
}

int outfile_commit(diag_list *d)
{
	int rc = 0;
	for (size_t i = 0; i < nstaged; i++) {
		if (rc == 0 && rename(staged[i].tmp, staged[i].path) != 0) {
			diag_add(d, DIAG_ERROR, staged[i].path, 0, 0,
				 "cannot write output file: %s", strerror(errno));
			rc = -1;
		}
		if (rc != 0)
			unlink(staged[i].tmp);
	}
	staged_clear();
	return rc;
}

/* Remember tmp -> path for outfile_commit; 0, or -1 when out of memory. */
static int stage_locked(const char *tmp, const char *path)
{
	if (nstaged == capstaged) {
		size_t cap = capstaged ? capstaged * 2 : 8;
		struct staged *p = realloc(staged, cap * sizeof *p);
		if (!p)
			return -1;
		staged = p;
		capstaged = cap;
	}
	staged[nstaged].tmp = strdup(tmp);
	staged[nstaged].path = strdup(path);
	if (!staged[nstaged].tmp || !staged[nstaged].path) {
		free(staged[nstaged].tmp);
		free(staged[nstaged].path);
		return -1;
	}
	nstaged++;
	return 0;
}

static int stage(const char *tmp, const char *path)
{
	pthread_mutex_lock(&staged_lock);
	int rc = stage_locked(tmp, path);
	pthread_mutex_unlock(&staged_lock);
	return rc;
}

int outfile_write(const char *path, const void *data, size_t len,
		  diag_list *d)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + 16);
	if (!tmp) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "out of memory");
		return -1;
	}
	snprintf(tmp, n + 16, "%s.tmp.XXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0) {
		diag_add(d, DIAG_ERROR, path, 0, 0, "cannot create output file: %s",
			 strerror(errno));
		free(tmp);
		return -1;
	}
	const char *p = data;
	size_t left = len;
	int err = 0;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		p += w;
		left -= (size_t)w;
	}
	if (!err && fchmod(fd, 0644) != 0)
		err = errno;
	if (!err && fsync(fd) != 0 && errno != EINVAL)
		err = errno;
	if (close(fd) != 0 && !err)
		err = errno;
	if (!err) {
		if (in_transaction) {
			if (stage(tmp, path) != 0)
				err = ENOMEM;
		} else if (rename(tmp, path) != 0) {
			err = errno;
		}
	}
	if (err) {
		unlink(tmp);
		diag_add(d, DIAG_ERROR, path, 0, 0, "cannot write output file: %s",
			 strerror(err));
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

int outfile_mkdirs(const char *dir, diag_list *d)
{
	size_t n = strlen(dir);
	char *p = malloc(n + 1);
	if (!p) {
		diag_add(d, DIAG_ERROR, dir, 0, 0, "out of memory");
		return -1;
	}
	memcpy(p, dir, n + 1);
	for (size_t i = 1; i <= n; i++) {
		if (p[i] != '/' && p[i] != '\0')
			continue;
		char c = p[i];
		p[i] = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST) {
			diag_add(d, DIAG_ERROR, dir, 0, 0,
				 "cannot create output directory: %s",
				 strerror(errno));
			free(p);
			return -1;
		}
		p[i] = c;
	}
	struct stat st;
	int ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode);
	if (!ok)
		diag_add(d, DIAG_ERROR, dir, 0, 0, "not a directory");
	free(p);
	return ok ? 0 : -1;
}
