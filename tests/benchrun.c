/* benchrun.c - `make bench`'s stopwatch: runs a command N times and prints
 * "median_ms peak_rss_kb". Each run is timed from fork to exit with the
 * monotonic clock (as hyperfine does), so the figure is the command's own
 * wall time, not a shell's or date(1)'s; peak RSS comes from wait4. The
 * command's output goes to /dev/null; a run that fails stops the bench
 * (exit 2) with its status.
 * Usage: benchrun N command [args...] */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int n = argc > 2 ? atoi(argv[1]) : 0;
	double *ms;
	long peak = 0;

	if (n < 1) {
		fprintf(stderr, "usage: benchrun N command [args...]\n");
		return 2;
	}
	ms = calloc((size_t)n, sizeof *ms);
	if (!ms)
		return 2;
	for (int i = 0; i < n; i++) {
		struct timespec t0, t1;
		struct rusage ru;
		int status;
		pid_t pid;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		pid = fork();
		if (pid < 0) {
			perror("benchrun: fork");
			return 2;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0) {
				dup2(fd, 1);
				dup2(fd, 2);
			}
			execvp(argv[2], argv + 2);
			_exit(127);
		}
		if (wait4(pid, &status, 0, &ru) != pid) {
			perror("benchrun: wait4");
			return 2;
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
		if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
			fprintf(stderr, "benchrun: %s failed (status %d)\n",
				argv[2], status);
			return 2;
		}
		ms[i] = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			(double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
		if (ru.ru_maxrss > peak)
			peak = ru.ru_maxrss;
	}
	qsort(ms, (size_t)n, sizeof *ms, cmp);
	printf("%.1f %ld\n", n % 2 ? ms[n / 2] : (ms[n / 2 - 1] + ms[n / 2]) / 2,
	       peak);
	free(ms);
	return 0;
}
