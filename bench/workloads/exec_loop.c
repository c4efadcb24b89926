// SPDX-License-Identifier: Apache-2.0
/*
 * exec_loop: the exec workload of the bpfscope benchmark harness.
 *
 * Runs COUNT iterations of vfork() + execve("/bin/true") + waitpid() and
 * prints one machine-readable line:
 *
 *     execs=5000 failures=0 ns_per_exec=480123.4
 *
 * vfork is used rather than fork so the figure is about exec (and what a
 * tracer hooked on execve adds), not about copying our page tables.
 *
 * Options:
 *   -n COUNT   iterations (default 5000)
 *   -m MARKER  argv[1] given to /bin/true (default "bpfscope-bench-exec").
 *              /bin/true ignores it; it lets the harness pick exactly our
 *              execs out of a system-wide exec tracer's output.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/*
 * One iteration: vfork, execve in the child, reap it. Returns 0 if /bin/true
 * ran and exited 0, 1 for a failed iteration, -1 on a harness error.
 * Kept in its own function so that vfork's "returns twice" only has these
 * few locals to worry about (gcc's -Wclobbered).
 */
static int spawn_and_wait(char *const argv[], char *const envp[])
{
	pid_t pid = vfork();
	if (pid == 0) {
		/* In a vfork child only execve and _exit are safe: we share
		 * the parent's memory and stack until the exec. */
		execve(argv[0], argv, envp);
		_exit(127);
	}
	if (pid < 0)
		return 1;

	int status;
	while (waitpid(pid, &status, 0) < 0) {
		if (errno != EINTR) {
			perror("exec_loop: waitpid");
			return -1;
		}
	}
	/* /bin/true exits 0; anything else (127 = execve failed, or a
	 * signal) is a failed iteration. */
	return (WIFEXITED(status) && WEXITSTATUS(status) == 0) ? 0 : 1;
}

int main(int argc, char **argv)
{
	unsigned long count = 5000;
	char *marker = "bpfscope-bench-exec";
	int opt;

	while ((opt = getopt(argc, argv, "n:m:h")) != -1) {
		switch (opt) {
		case 'n': {
			char *end;
			errno = 0;
			count = strtoul(optarg, &end, 10);
			if (errno || *optarg == '\0' || *end != '\0' || count == 0) {
				fprintf(stderr, "exec_loop: -n wants a positive integer, got '%s'\n", optarg);
				return 2;
			}
			break;
		}
		case 'm': marker = optarg; break;
		default:
			fprintf(stderr, "usage: %s [-n COUNT] [-m MARKER]\n", argv[0]);
			return 2;
		}
	}

	char *child_argv[] = { "/bin/true", marker, NULL };
	/* An empty environment: the child's exec cost should not depend on
	 * whatever environment the harness happens to run in. */
	char *child_envp[] = { NULL };
	unsigned long failures = 0;

	uint64_t t0 = now_ns();
	for (unsigned long i = 0; i < count; i++) {
		int r = spawn_and_wait(child_argv, child_envp);
		if (r < 0)
			return 1;
		failures += (unsigned long)r;
	}
	uint64_t t1 = now_ns();

	printf("execs=%lu failures=%lu ns_per_exec=%.1f\n",
	       count, failures, (double)(t1 - t0) / (double)count);
	return 0;
}
