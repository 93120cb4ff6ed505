/* outfile.c - atomic output files (temp file beside the target, rename). */
#include "outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	if (!err && rename(tmp, path) != 0)
		err = errno;
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
