/* benchrun.c - `make bench`'s stopwatch: runs a command N times and prints
 * "median_ms peak_rss_kb". Each run is timed from fork to exit with the
 * monotonic clock (as hyperfine does), so the figure is the command's own
 * wall time, not a shell's or date(1)'s; peak RSS comes from wait4. The
 * command's output goes to /dev/null; a run that exits with another status
 * than expected (0, or -x STATUS) stops the bench (exit 2) with it. With
 * -t SECONDS a run still going after that long is killed and benchrun
 * prints "stopped peak_rss_kb" (exit 0) without further runs.
 * With --vs a second command B follows the first (A), and the two run in
 * turn, A B A B ..., N times each: the ratio B/A (how many times faster A
 * is) is taken pair by pair, so that a machine whose speed drifts during
 * the bench moves both sides of each ratio alike; benchrun then prints
 * "median_ratio a_median_ms a_peak_kb b_median_ms b_peak_kb".
 * Usage: benchrun [-t SECONDS] [-x STATUS] N command [args...]
 *        benchrun N command [args...] --vs command [args...] */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t alarmed;

static void on_alarm(int sig)
{
	(void)sig;
	alarmed = 1;
}

/* Arm (seconds > 0) or disarm (0) the stop timer. */
static void stop_after(int seconds)
{
	struct itimerval it = {{0, 0}, {seconds, 0}};
	setitimer(ITIMER_REAL, &it, NULL);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* Run argv once: its wall time in *ms and its peak RSS (KB) in *peak.
 * 0; 1 when stopped at the time limit; 2 after a message when it could
 * not run or exited with another status than expect. */
static int run_one(char **argv, int stop, int expect, double *ms, long *peak)
{
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
		execvp(argv[0], argv);
		_exit(127);
	}
	if (stop > 0)
		stop_after(stop);
	pid_t w;
	while ((w = wait4(pid, &status, 0, &ru)) < 0 && errno == EINTR)
		if (alarmed)
			kill(pid, SIGKILL);
	stop_after(0);
	if (w != pid) {
		perror("benchrun: wait4");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (ru.ru_maxrss > *peak)
		*peak = ru.ru_maxrss;
	if (alarmed)
		return 1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != expect) {
		fprintf(stderr, "benchrun: %s failed (status %d)\n", argv[0],
			status);
		return 2;
	}
	*ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 +
	      (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	return 0;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int main(int argc, char **argv)
{
	int stop = 0, expect = 0;
	while (argc > 3 && argv[1][0] == '-') {
		if (argv[1][1] == 't')
			stop = atoi(argv[2]);
		else if (argv[1][1] == 'x')
			expect = atoi(argv[2]);
		argc -= 2;
		argv += 2;
	}
	int n = argc > 2 ? atoi(argv[1]) : 0;
	char **b = NULL;           /* the --vs command */
	for (int i = 2; i < argc; i++)
		if (!strcmp(argv[i], "--vs")) {
			argv[i] = NULL;
			b = argv + i + 1;
			break;
		}
	if (n < 1 || (b && !b[0])) {
		fprintf(stderr, "usage: benchrun [-t SECONDS] [-x STATUS] N command [args...] [--vs command [args...]]\n");
		return 2;
	}
	struct sigaction sa = {0};
	sa.sa_handler = on_alarm;   /* no SA_RESTART: wait4 returns EINTR */
	sigaction(SIGALRM, &sa, NULL);
	double *ms = calloc((size_t)n * 3, sizeof *ms);
	if (!ms)
		return 2;
	double *bms = ms + n, *ratio = ms + 2 * n;
	long peak = 0, bpeak = 0;
	for (int i = 0; i < n; i++) {
		int rc = run_one(argv + 2, stop, expect, &ms[i], &peak);
		if (rc == 0 && b)
			rc = run_one(b, stop, 0, &bms[i], &bpeak);
		if (rc == 1) {
			printf("stopped %ld\n", peak);
			return 0;
		}
		if (rc != 0)
			return 2;
		if (b)
			ratio[i] = bms[i] / ms[i];
	}
	if (b)
		printf("%.2f %.1f %ld %.1f %ld\n", median(ratio, n),
		       median(ms, n), peak, median(bms, n), bpeak);
	else
		printf("%.1f %ld\n", median(ms, n), peak);
	free(ms);
	return 0;
}
