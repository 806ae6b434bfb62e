/*
 * benchrun: the timing loop of "make bench" (tests/tools/bench.sh).
 *
 * Every figure is a ratio to the cost of starting an empty process
 * (tests/tools/empty, built the way ptvm is) measured in the same run, so
 * that a budget means the same on a fast laptop and a loaded CI machine:
 *
 *	benchrun floor EMPTY
 *		prints the median start-to-exit time of EMPTY in microseconds
 *	benchrun run LABEL BUDGET FLOOR_US -- PROGRAM ARG...
 *		runs PROGRAM (stdout and stderr to /dev/null) and prints
 *		"LABEL: 1.23 ms (x1.8), budget x5"; exit 1 over budget
 *	benchrun judge LABEL BUDGET FLOOR_US MS
 *		the same for a figure measured elsewhere (MS milliseconds)
 *
 * BENCH_RUNS (default 101) and BENCH_WARMUP (default 5) set the counts;
 * the figure is the median.  No shell runs: posix_spawn with argv.
 */
#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

static int
env_count(const char *name, int def)
{
	const char *v;
	char *end;
	long n;

	if ((v = getenv(name)) == NULL || *v == '\0')
		return (def);
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno != 0 || *end != '\0' || n < 1 || n > 100000) {
		fprintf(stderr, "benchrun: %s=%s: not a count from 1 to "
		    "100000\n", name, v);
		exit(2);
	}
	return ((int)n);
}

static double
parse_num(const char *what, const char *s)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end == s || *end != '\0' || !(v > 0) || v > 1e9) {
		fprintf(stderr, "benchrun: %s '%s' is not a positive number\n",
		    what, s);
		exit(2);
	}
	return (v);
}

static double
now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3);
}

/* One run of argv, in microseconds; exits on a failure to start it. */
static double
one(char *const *argv)
{
	posix_spawn_file_actions_t fa;
	double t0, t1;
	pid_t pid;
	int e, st;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	t0 = now_us();
	e = posix_spawn(&pid, argv[0], &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e != 0) {
		fprintf(stderr, "benchrun: %s: %s\n", argv[0], strerror(e));
		exit(2);
	}
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR) {
			perror("benchrun: waitpid");
			exit(2);
		}
	t1 = now_us();
	return (t1 - t0);
}

static int
dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x < y ? -1 : x > y);
}

static double
median_us(char *const *argv)
{
	double *v, m;
	int i, runs, warm;

	runs = env_count("BENCH_RUNS", 101);
	warm = env_count("BENCH_WARMUP", 5);
	for (i = 0; i < warm; i++)
		(void)one(argv);
	if ((v = calloc((size_t)runs, sizeof(*v))) == NULL) {
		perror("benchrun");
		exit(2);
	}
	for (i = 0; i < runs; i++)
		v[i] = one(argv);
	qsort(v, (size_t)runs, sizeof(*v), dbl_cmp);
	m = v[runs / 2];
	free(v);
	return (m);
}

static int
judge(const char *label, double budget, double floor_us, double us)
{
	double r = us / floor_us;

	printf("%s: %.2f ms (x%.1f), budget x%g%s\n", label, us / 1e3, r,
	    budget, r > budget ? "  OVER BUDGET" : "");
	return (r > budget ? 1 : 0);
}

static void
usage(void)
{

	fprintf(stderr, "usage: benchrun floor EMPTY\n"
	    "       benchrun run LABEL BUDGET FLOOR_US -- PROGRAM [ARG ...]\n"
	    "       benchrun judge LABEL BUDGET FLOOR_US MS\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char *empty[2];

	if (argc < 2)
		usage();
	if (strcmp(argv[1], "floor") == 0 && argc == 3) {
		empty[0] = argv[2];
		empty[1] = NULL;
		printf("%.1f\n", median_us(empty));
		return (0);
	}
	if (strcmp(argv[1], "run") == 0 && argc >= 7 &&
	    strcmp(argv[5], "--") == 0)
		return (judge(argv[2], parse_num("budget", argv[3]),
		    parse_num("floor", argv[4]), median_us(argv + 6)));
	if (strcmp(argv[1], "judge") == 0 && argc == 6)
		return (judge(argv[2], parse_num("budget", argv[3]),
		    parse_num("floor", argv[4]),
		    parse_num("figure", argv[5]) * 1e3));
	usage();
	return (2);
}
