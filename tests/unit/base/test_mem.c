/* test_mem.c - the one out-of-memory path (builder/base/mem.c): an
 * allocation that cannot be had ends the process with exit 3 and one
 * message, never an abort or a NULL. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/mem.h"
#include "unit.h"

/* Run fn in a child with stderr captured; returns the wait status and
 * the child's stderr in err. */
static int in_child(void (*fn)(void), char *err, size_t errlen)
{
	int fd[2];
	if (pipe(fd) != 0)
		return -1;
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 2);
		fn();
		_exit(0);
	}
	close(fd[1]);
	size_t n = 0;
	ssize_t got;
	while (n + 1 < errlen && (got = read(fd[0], err + n, errlen - 1 - n)) > 0)
		n += (size_t)got;
	err[n] = '\0';
	close(fd[0]);
	int status = 0;
	waitpid(pid, &status, 0);
	return status;
}

static void huge_calloc(void)
{
	volatile size_t n = SIZE_MAX / 2;
	void *p = xcalloc(n, 4);    /* n * 4 overflows */
	free(p);
}

static void huge_malloc(void)
{
	volatile size_t n = SIZE_MAX - 4096;
	free(xmalloc(n));
}

/* The message, alone (AddressSanitizer may warn before it). */
static const char *message(const char *err)
{
	const char *m = strstr(err, "chapbook:");
	return m && !strstr(m + 1, "chapbook:") ? m : err;
}

TEST(out_of_memory_exits_3_with_one_message)
{
	char err[1024];
	int st = in_child(huge_calloc, err, sizeof err);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == MEM_EXIT);
	CHECK_STR(message(err), "chapbook: error: out of memory\n");
	st = in_child(huge_malloc, err, sizeof err);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == MEM_EXIT);
	CHECK_STR(message(err), "chapbook: error: out of memory\n");
}

TEST(wrappers_behave_like_libc)
{
	char *p = xmalloc(0);
	CHECK(p != NULL);
	p = xrealloc(p, 10);
	memcpy(p, "123456789", 10);
	p = xreallocarray(p, 5, 4);
	CHECK_STR(p, "123456789");
	free(p);
	int *z = xcalloc(100, sizeof *z);
	int zero = 1;
	for (int i = 0; i < 100; i++)
		zero &= z[i] == 0;
	CHECK(zero);
	free(z);
	char *s = xstrdup("chapbook");
	CHECK_STR(s, "chapbook");
	free(s);
}

int main(void)
{
	RUN(out_of_memory_exits_3_with_one_message);
	RUN(wrappers_behave_like_libc);
	CHECK_EXIT();
}
