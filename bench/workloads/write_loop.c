// SPDX-License-Identifier: Apache-2.0
/*
 * write_loop: the write(2) workload of the bpfscope benchmark harness.
 *
 * Issues COUNT write(fd, buf, BYTES) calls to /dev/null in a tight loop and
 * prints one machine-readable line:
 *
 *     ns_per_write=287.4 writes=10000000 pid=1234 cpu_ns_per_write=281.0 invol_cs=12
 *
 * ns_per_write is wall-clock time (CLOCK_MONOTONIC), the figure the harness
 * reports. cpu_ns_per_write (this process's CPU time) and invol_cs (times
 * the scheduler took the CPU away from us) only say how far other work on
 * the machine got in the way: on a shared machine a run whose wall time is
 * well above its CPU time was disturbed.
 *
 * /dev/null is used because its write handler does almost nothing, so the
 * figure is dominated by syscall entry/exit, which is exactly the path a
 * sys_enter_write tracepoint program slows down.
 *
 * Options:
 *   -n COUNT  number of write calls (default 10,000,000)
 *   -b BYTES  bytes per write (default 1)
 *   -w        print "pid=<pid>" on stdout, flush, and wait for one line on
 *             stdin before starting, so a controller can register this PID
 *             in a filter (or attach a tracer) before the measured loop
 *   -c NAME   set this thread's comm (prctl PR_SET_NAME) before the loop, so
 *             tracers that aggregate by comm can find our writes
 *   -R RATE   pace the writes at RATE per second instead of a tight loop:
 *             bursts of ceil(RATE/1000) back-to-back writes, each burst
 *             started at its due time on CLOCK_MONOTONIC (clock_nanosleep
 *             TIMER_ABSTIME), so a late burst does not shift the schedule.
 *             The line then also has rate=<achieved writes per second> and
 *             late_ms=<how far the last burst started after its due time>;
 *             ns_per_write is then wall time per write, not the cost of one.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-n COUNT] [-b BYTES] [-w] [-c NAME] [-R RATE]\n", prog);
	exit(2);
}

/* Parses a positive integer option; rejects junk rather than guessing. */
static unsigned long long parse_count(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	if (errno || *s == '\0' || *end != '\0' || v == 0) {
		fprintf(stderr, "write_loop: %s wants a positive integer, got '%s'\n", opt, s);
		exit(2);
	}
	return v;
}

static uint64_t clock_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One write; a short or failed write to /dev/null would mean the workload
 * is not what we think it is: stop instead of timing it. */
static inline void write_one(int fd, const char *buf, size_t bytes)
{
	if (write(fd, buf, bytes) != (ssize_t)bytes) {
		perror("write_loop: write");
		exit(1);
	}
}

static long involuntary_switches(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_nivcsw;
}

int main(int argc, char **argv)
{
	unsigned long long count = 10000000ull;
	size_t bytes = 1;
	int wait_for_go = 0;
	const char *comm = NULL;
	unsigned long long rate = 0;
	int opt;

	while ((opt = getopt(argc, argv, "n:b:wc:R:h")) != -1) {
		switch (opt) {
		case 'n': count = parse_count("-n", optarg); break;
		case 'b': bytes = (size_t)parse_count("-b", optarg); break;
		case 'w': wait_for_go = 1; break;
		case 'c': comm = optarg; break;
		case 'R': rate = parse_count("-R", optarg); break;
		default: usage(argv[0]);
		}
	}
	if (optind != argc)
		usage(argv[0]);

	char *buf = malloc(bytes);
	if (!buf) {
		perror("write_loop: malloc");
		return 1;
	}
	/* Touch the buffer now so page faults don't land inside the timed loop. */
	memset(buf, 'x', bytes);

	int fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		perror("write_loop: open /dev/null");
		return 1;
	}

	if (comm && prctl(PR_SET_NAME, comm, 0, 0, 0) != 0) {
		perror("write_loop: prctl(PR_SET_NAME)");
		return 1;
	}

	if (wait_for_go) {
		/*
		 * Handshake: the controller reads our PID, sets up whatever
		 * follows it (e.g. a tgid filter loaded into .rodata), then
		 * sends a line. Everything before the loop, including this
		 * printf, happens before the controller attaches, so it is
		 * not counted by a PID-following consumer.
		 */
		printf("pid=%d\n", (int)getpid());
		fflush(stdout);
		char line[64];
		if (!fgets(line, sizeof(line), stdin)) {
			fprintf(stderr, "write_loop: stdin closed before the go line\n");
			return 1;
		}
	}

	long cs0 = involuntary_switches();
	uint64_t c0 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	/* MONOTONIC: immune to wall-clock steps (NTP) during the run. */
	uint64_t t0 = clock_ns(CLOCK_MONOTONIC);
	double late_ms = 0;
	if (rate == 0) {
		for (unsigned long long i = 0; i < count; i++)
			write_one(fd, buf, bytes);
	} else {
		/* Burst k is due at t0 + k * burst / rate seconds. */
		unsigned long long burst = (rate + 999) / 1000;
		unsigned long long done = 0;
		for (unsigned long long k = 0; done < count; k++) {
			uint64_t due = t0 + (uint64_t)((double)k * (double)burst * 1e9 / (double)rate);
			struct timespec ts = { .tv_sec = (time_t)(due / 1000000000ull),
					       .tv_nsec = (long)(due % 1000000000ull) };
			int err;
			while ((err = clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL)) == EINTR)
				;
			if (err) {
				errno = err;
				perror("write_loop: clock_nanosleep");
				return 1;
			}
			late_ms = (double)(clock_ns(CLOCK_MONOTONIC) - due) / 1e6;
			for (unsigned long long i = 0; i < burst && done < count; i++, done++)
				write_one(fd, buf, bytes);
		}
	}
	uint64_t t1 = clock_ns(CLOCK_MONOTONIC);
	uint64_t c1 = clock_ns(CLOCK_PROCESS_CPUTIME_ID);
	long cs1 = involuntary_switches();

	/* This printf is one more write(2) by this process, after the clock
	 * stopped: a per-write consumer sees count + 1 records. */
	printf("ns_per_write=%.1f writes=%llu pid=%d cpu_ns_per_write=%.1f invol_cs=%ld",
	       (double)(t1 - t0) / (double)count, count, (int)getpid(),
	       (double)(c1 - c0) / (double)count, cs1 - cs0);
	if (rate)
		printf(" rate=%.0f late_ms=%.3f", (double)count * 1e9 / (double)(t1 - t0), late_ms);
	printf("\n");
	fflush(stdout);
	close(fd);
	free(buf);
	return 0;
}
