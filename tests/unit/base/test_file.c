/* test_file.c - reading input files whole (builder/base/file.c): regular
 * files only, size limits, read and mapped alike. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "unit.h"

static char dir[] = "/tmp/chapbook-test-file-XXXXXX";
static char path[sizeof dir + 16];

TEST(read_and_map)
{
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite("hello\n", 1, 6, f) == 6 && fclose(f) == 0);
	file_bytes b;
	CHECK(file_read(path, 100, &b) == FILE_OK);
	CHECK(b.len == 6 && !b.mapped && b.data[6] == 0 &&
	      !memcmp(b.data, "hello\n", 6));
	file_release(&b);
	CHECK(file_map(path, 100, &b) == FILE_OK);
	CHECK(b.len == 6 && !memcmp(b.data, "hello\n", 6));
	file_release(&b);
	CHECK(b.data == NULL && b.len == 0);
}

TEST(limits_and_kinds)
{
	file_bytes b;
	char msg[64];
	CHECK(file_read(path, 5, &b) == FILE_TOO_LARGE);
	CHECK_STR(file_status_text(FILE_TOO_LARGE, &b, 64u << 20, msg, sizeof msg),
		  "larger than the limit of 64 MiB");
	CHECK(file_read(dir, 100, &b) == FILE_NOT_REGULAR);
	CHECK(file_map(dir, 100, &b) == FILE_NOT_REGULAR);
	file_status s = file_read("/nonexistent/x", 100, &b);
	CHECK(s == FILE_CANNOT_OPEN);
	CHECK_STR(file_status_text(s, &b, 100, msg, sizeof msg),
		  "No such file or directory");
}

TEST(empty_file)
{
	FILE *f = fopen(path, "wb");
	CHECK(f && fclose(f) == 0);
	file_bytes b;
	CHECK(file_map(path, 100, &b) == FILE_OK && b.len == 0);
	file_release(&b);
	CHECK(file_read(path, 100, &b) == FILE_OK && b.len == 0 && b.data[0] == 0);
	file_release(&b);
}

/* A file that cannot be read is an I/O error (exit 2); one over the limit
 * is an error in the input (exit 1). */
TEST(report_classes)
{
	diag_list d = {0};
	file_bytes b;
	file_status s = file_read("/nonexistent/x", 100, &b);
	file_report(&d, "/nonexistent/x", "style", s, &b, 100);
	CHECK(d.n == 1 && d.io_errors == 1);
	CHECK_STR(d.items[0].message, "cannot read style: No such file or directory");
	s = file_read(dir, 100, &b);
	file_report(&d, dir, "booklet", s, &b, 100);
	CHECK(d.n == 2 && d.io_errors == 2);
	CHECK_STR(d.items[1].message, "cannot read booklet: not a regular file");
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite("hello\n", 1, 6, f) == 6 && fclose(f) == 0);
	s = file_read(path, 5, &b);
	file_report(&d, path, "booklet", s, &b, 5);
	CHECK(d.n == 3 && d.errors == 3 && d.io_errors == 2);
	CHECK_STR(d.items[2].message, "cannot read booklet: larger than the limit of 5 bytes");
	diag_free(&d);
}

int main(void)
{
	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/f", dir);
	RUN(read_and_map);
	RUN(limits_and_kinds);
	RUN(empty_file);
	RUN(report_classes);
	unlink(path);
	rmdir(dir);
	CHECK_EXIT();
}
