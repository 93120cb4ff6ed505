/* file.c - reading input files whole (see file.h). */
#define _XOPEN_SOURCE 700   /* realpath */
#include "base/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/mem.h"

char *file_inside(const char *dir, const char *name, arena *a,
		  const char **why)
{
	char *full = arena_printf(a, "%s/%s", dir, name);
	char *rdir = realpath(dir, NULL);
	char *rfull = realpath(full, NULL);
	char *result = NULL;
	*why = NULL;
	if (!rdir || !rfull) {
		*why = strerror(errno);
	} else {
		size_t n = strlen(rdir);
		if (strncmp(rfull, rdir, n) == 0 &&
		    (rfull[n] == '/' || (n == 1 && rdir[0] == '/')))
			result = full;
		else
			*why = "it is outside the booklet's directory";
	}
	free(rdir);
	free(rfull);
	return result;
}

const char *file_dir(const char *path, arena *a)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return ".";
	if (slash == path)
		return "/";
	return arena_strndup(a, path, (size_t)(slash - path));
}

static file_status file_open(const char *path, size_t max, int *fd,
			     size_t *size, file_bytes *out)
{
	memset(out, 0, sizeof *out);
	*fd = open(path, O_RDONLY | O_CLOEXEC);
	if (*fd < 0) {
		out->err = errno;
		return FILE_CANNOT_OPEN;
	}
	struct stat sb;
	if (fstat(*fd, &sb) != 0) {
		out->err = errno;
		close(*fd);
		return FILE_READ_ERROR;
	}
	if (!S_ISREG(sb.st_mode)) {
		close(*fd);
		return FILE_NOT_REGULAR;
	}
	if ((unsigned long long)sb.st_size > max) {
		close(*fd);
		return FILE_TOO_LARGE;
	}
	*size = (size_t)sb.st_size;
	return FILE_OK;
}

/* Read size bytes from fd (it may have shrunk meanwhile: len says what was
 * read), NUL-terminated. */
static file_status file_slurp(int fd, size_t size, file_bytes *out)
{
	unsigned char *p = xmalloc(size + 1);
	size_t n = 0;
	while (n < size) {
		ssize_t got = read(fd, p + n, size - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			out->err = errno;
			free(p);
			return FILE_READ_ERROR;
		}
		if (got == 0)
			break;
		n += (size_t)got;
	}
	p[n] = '\0';
	out->data = p;
	out->len = n;
	return FILE_OK;
}

file_status file_read(const char *path, size_t max, file_bytes *out)
{
	int fd;
	size_t size;
	file_status s = file_open(path, max, &fd, &size, out);
	if (s != FILE_OK)
		return s;
	s = file_slurp(fd, size, out);
	close(fd);
	return s;
}

file_status file_map(const char *path, size_t max, file_bytes *out)
{
	int fd;
	size_t size;
	file_status s = file_open(path, max, &fd, &size, out);
	if (s != FILE_OK)
		return s;
	if (size) {
		void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			close(fd);
			out->data = m;
			out->len = size;
			out->mapped = 1;
			return FILE_OK;
		}
	}
	s = file_slurp(fd, size, out);
	close(fd);
	return s;
}

void file_release(file_bytes *f)
{
	if (f->mapped)
		munmap(f->data, f->len);
	else
		free(f->data);
	memset(f, 0, sizeof *f);
}

const char *file_status_text(file_status s, const file_bytes *f, size_t max,
			     char *buf, size_t buflen)
{
	switch (s) {
	case FILE_OK:
		return "no error";
	case FILE_CANNOT_OPEN:
	case FILE_READ_ERROR:
		return strerror(f->err ? f->err : EIO);
	case FILE_NOT_REGULAR:
		return "not a regular file";
	case FILE_TOO_LARGE:
		if (max >= 1024 * 1024)
			snprintf(buf, buflen, "larger than the limit of %zu MiB",
				 max / (1024 * 1024));
		else
			snprintf(buf, buflen, "larger than the limit of %zu bytes",
				 max);
		return buf;
	}
	return "unknown error";
}

void file_report(diag_list *d, const char *path, const char *what,
		 file_status s, const file_bytes *f, size_t max)
{
	char buf[64];
	const char *why = file_status_text(s, f, max, buf, sizeof buf);
	if (s == FILE_TOO_LARGE)
		diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read %s: %s", what,
			 why);
	else
		diag_io(d, path, "cannot read %s: %s", what, why);
}
