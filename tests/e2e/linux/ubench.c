/* SPDX-License-Identifier: GPL-2.0-only */
/* ubench: Linux microbenchmarks run inside a guest; prints one `UBENCH name value unit` line each. */
/*
 * The whole run is pinned to one CPU (pipe_switch then measures real context switches).
 * Metrics (CLOCK_MONOTONIC, best of ROUNDS timed rounds after one short warm-up round):
 *   null_syscall  syscall(SYS_getppid), per call
 *   fork_exit     fork, child _exit(0), parent waitpid, per fork
 *   fork_exec     fork, child execs this program with --exit, parent waitpid, per fork
 *   page_fault    mmap an anonymous region, write one byte per page, munmap, per page
 *   pipe_switch   two processes on one CPU pass a byte back and forth over two pipes, per switch
 *                 (a round trip is two switches)
 * Every call is checked: a failure prints `ubench: ...` on stderr and exits with status 2.
 * A line `UBENCH-START name` comes right before each metric's timed rounds, and its result line
 * right after them (each drained to the console first), and the result line ends with the number
 * of operations the rounds made: whoever timestamps the console can time the rounds with its own
 * clock, independent of the guest's (a hypervisor may get the guest's clock rate wrong).
 * `ubench --exit` exits at once with status 0 (the exec target of fork_exec).
 */
#include <errno.h>
#include <sched.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#define ROUNDS 3

static char self_path[4096];

static void fail(const char *fmt, ...)
{
	va_list ap;

	fputs("ubench: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

static void die(const char *what)
{
	fail("%s: %s", what, strerror(errno));
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_MONOTONIC, &ts))
		die("clock_gettime(CLOCK_MONOTONIC)");
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Prints one line and waits until the console has taken it (when stdout is a terminal). */
__attribute__((format(printf, 1, 2))) static void emit(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	if (fflush(stdout))
		die("fflush(stdout)");
	if (isatty(STDOUT_FILENO) && tcdrain(STDOUT_FILENO))
		die("tcdrain(stdout)");
}

/* Waits for PID and insists that it exited with status 0. */
static void reap(pid_t pid, const char *what)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		die("waitpid");
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		fail("%s: child %d ended with wait status 0x%x", what, (int)pid, st);
}

/* Each benchmark runs N iterations and returns the nanoseconds they took. */
static uint64_t bench_null_syscall(unsigned long n)
{
	long want = syscall(SYS_getppid);
	uint64_t t0;

	if (want <= 0)
		die("getppid");
	t0 = now_ns();
	for (unsigned long i = 0; i < n; i++)
		if (syscall(SYS_getppid) != want)
			fail("getppid returned something else than %ld", want);
	return now_ns() - t0;
}

static uint64_t bench_fork_exit(unsigned long n)
{
	uint64_t t0 = now_ns();

	for (unsigned long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0)
			_exit(0);
		reap(pid, "fork_exit");
	}
	return now_ns() - t0;
}

static uint64_t bench_fork_exec(unsigned long n)
{
	uint64_t t0 = now_ns();

	for (unsigned long i = 0; i < n; i++) {
		pid_t pid = fork();

		if (pid < 0)
			die("fork");
		if (pid == 0) {
			execl(self_path, self_path, "--exit", (char *)NULL);
			_exit(127); /* reap() reports it */
		}
		reap(pid, "fork_exec (status 127: exec failed)");
	}
	return now_ns() - t0;
}

static uint64_t bench_page_fault(unsigned long n)
{
	long pg = sysconf(_SC_PAGESIZE);
	size_t len;
	volatile char *p;
	uint64_t t0, t1, t2;

	if (pg <= 0)
		die("sysconf(_SC_PAGESIZE)");
	len = n * (size_t)pg;
	t0 = now_ns();
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		die("mmap");
	for (unsigned long i = 0; i < n; i++)
		p[i * (size_t)pg] = (char)(i | 1);
	t1 = now_ns();
	/* Not timed: every page must hold what was written and nothing else. */
	for (unsigned long i = 0; i < n; i++)
		if (p[i * (size_t)pg] != (char)(i | 1) || p[i * (size_t)pg + 1] != 0)
			fail("page %lu of the anonymous region lost its contents", i);
	t2 = now_ns();
	if (munmap((void *)p, len))
		die("munmap");
	return (t1 - t0) + (now_ns() - t2);
}

static void xwrite(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		die("write to pipe");
}

static char xread(int fd)
{
	char c;
	ssize_t r = read(fd, &c, 1);

	if (r != 1)
		fail("read from pipe returned %zd (%s)", r, r < 0 ? strerror(errno) : "EOF");
	return c;
}

static uint64_t bench_pipe_switch(unsigned long n)
{
	int down[2], up[2];
	pid_t pid;
	uint64_t t0, t;

	if (pipe(down) || pipe(up))
		die("pipe");
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		char c;

		close(down[1]);
		close(up[0]);
		while (read(down[0], &c, 1) == 1)
			xwrite(up[1], c);
		_exit(0);
	}
	close(down[0]);
	close(up[1]);
	t0 = now_ns();
	for (unsigned long i = 0; i < n; i++) {
		char c = (char)(i & 0x7f);

		xwrite(down[1], c);
		if (xread(up[0]) != c)
			fail("pipe partner echoed the wrong byte");
	}
	t = now_ns() - t0;
	close(down[1]); /* EOF: the partner exits */
	reap(pid, "pipe_switch partner");
	close(up[0]);
	return t;
}

struct metric {
	const char *name;
	uint64_t (*run)(unsigned long n);
	unsigned long iters; /* per timed round */
	unsigned long ops;   /* measured operations per iteration */
	const char *unit;
	double ns_per_unit;
};

static const struct metric metrics[] = {
	{"null_syscall", bench_null_syscall, 20000, 1, "ns", 1},
	{"fork_exit", bench_fork_exit, 50, 1, "us", 1000},
	{"fork_exec", bench_fork_exec, 30, 1, "us", 1000},
	{"page_fault", bench_page_fault, 4096, 1, "ns", 1},
	{"pipe_switch", bench_pipe_switch, 1000, 2, "ns", 1},
};

/* Pins this process (and so its children) to one CPU: every pipe handoff is a context switch. */
static void pin_to_one_cpu(cpu_set_t *old)
{
	cpu_set_t one;
	int cpu = -1;

	if (sched_getaffinity(0, sizeof(*old), old))
		die("sched_getaffinity");
	for (int i = 0; i < CPU_SETSIZE && cpu < 0; i++)
		if (CPU_ISSET(i, old))
			cpu = i;
	if (cpu < 0)
		fail("sched_getaffinity returned an empty CPU set");
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one))
		die("sched_setaffinity");
}

int main(int argc, char **argv)
{
	cpu_set_t old;
	ssize_t len;

	if (argc > 1 && !strcmp(argv[1], "--exit"))
		return 0;
	if (argc > 1)
		fail("usage: ubench [--exit]");
	len = readlink("/proc/self/exe", self_path, sizeof(self_path) - 1);
	if (len <= 0)
		die("readlink(/proc/self/exe) (is /proc mounted?)");
	self_path[len] = '\0';
	setvbuf(stdout, NULL, _IOLBF, 0);
	pin_to_one_cpu(&old);
	for (size_t m = 0; m < sizeof(metrics) / sizeof(metrics[0]); m++) {
		const struct metric *b = &metrics[m];
		uint64_t best = UINT64_MAX;

		b->run(b->iters / 10 ? b->iters / 10 : 1); /* warm-up: caches, page tables, pipes */
		emit("UBENCH-START %s\n", b->name);
		for (int r = 0; r < ROUNDS; r++) {
			uint64_t t = b->run(b->iters);

			if (t < best)
				best = t;
		}
		emit("UBENCH %s %.1f %s (best of %d rounds of %lu; %lu ops)\n", b->name,
		     (double)best / (double)(b->iters * b->ops) / b->ns_per_unit, b->unit, ROUNDS,
		     b->iters, ROUNDS * b->iters * b->ops);
	}
	if (sched_setaffinity(0, sizeof(old), &old))
		die("sched_setaffinity");
	emit("UBENCH done\n");
	return 0;
}
