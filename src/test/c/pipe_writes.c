// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * A test workload of write(2)s that take a known time and fail in known
 * ways, under a known comm. Each of ROUNDS rounds fills a one-page pipe
 * (one write of 4096 bytes), tries one more byte without blocking (EAGAIN),
 * then writes that byte blocking while the reader, a child, sleeps SLEEP_MS
 * before it drains the pipe: that write takes SLEEP_MS and a little more.
 * Then the reader closes its end and EPIPES writes fail with EPIPE.
 * So COMM makes 2 * ROUNDS successful writes (ROUNDS of them slow),
 * ROUNDS that fail with EAGAIN and EPIPES with EPIPE; any other outcome
 * exits 1 with a message.
 *
 * Usage: pipe_writes COMM ROUNDS SLEEP_MS EPIPES
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096

static int fail(const char *what)
{
	perror(what);
	return 1;
}

/* The child: per round, waits for SIGUSR1, sleeps, reads the page and the byte, then sends SIGUSR2. */
static int drain(int in, int rounds, long sleep_ms)
{
	struct timespec pause = { sleep_ms / 1000, (sleep_ms % 1000) * 1000000 };
	static char buffer[PAGE + 1];
	sigset_t go;
	int signal;

	sigemptyset(&go);
	sigaddset(&go, SIGUSR1);
	for (int i = 0; i < rounds; i++) {
		if (sigwait(&go, &signal))
			return fail("pipe_writes: sigwait");
		nanosleep(&pause, NULL);
		for (size_t got = 0; got < sizeof(buffer);) {
			ssize_t n = read(in, buffer + got, sizeof(buffer) - got);

			if (n <= 0)
				return fail("pipe_writes: read");
			got += n;
		}
		if (kill(getppid(), SIGUSR2))
			return fail("pipe_writes: kill");
	}
	close(in);
	return 0;
}

static int expect(ssize_t written, size_t size, int error)
{
	if (error ? written == -1 && errno == error : written == (ssize_t)size)
		return 0;
	fprintf(stderr, "pipe_writes: a write returned %zd (%s), not %s\n", written, strerror(errno),
		error ? strerror(error) : "all its bytes");
	return 1;
}

int main(int argc, char **argv)
{
	static char page[PAGE];
	int fds[2], rounds, epipes, status;
	long sleep_ms;
	sigset_t go, drained;
	pid_t reader;

	if (argc != 5) {
		fprintf(stderr, "usage: pipe_writes COMM ROUNDS SLEEP_MS EPIPES\n");
		return 2;
	}
	rounds = atoi(argv[2]);
	sleep_ms = atol(argv[3]);
	epipes = atoi(argv[4]);
	sigemptyset(&go);
	sigaddset(&go, SIGUSR1);
	sigaddset(&go, SIGUSR2);
	if (sigprocmask(SIG_BLOCK, &go, NULL) || pipe(fds) || fcntl(fds[1], F_SETPIPE_SZ, PAGE) < 0)
		return fail("pipe_writes: setup");
	signal(SIGPIPE, SIG_IGN);
	reader = fork();
	if (reader < 0)
		return fail("pipe_writes: fork");
	if (reader == 0) {
		close(fds[1]);
		return drain(fds[0], rounds, sleep_ms);
	}
	close(fds[0]);
	sigemptyset(&drained);
	sigaddset(&drained, SIGUSR2);
	if (prctl(PR_SET_NAME, argv[1]))
		return fail("pipe_writes: prctl");
	for (int i = 0; i < rounds; i++) {
		if (fcntl(fds[1], F_SETFL, O_NONBLOCK) || expect(write(fds[1], page, PAGE), PAGE, 0)
		    || expect(write(fds[1], page, 1), 1, EAGAIN) || fcntl(fds[1], F_SETFL, 0) || kill(reader, SIGUSR1)
		    || expect(write(fds[1], page, 1), 1, 0) || sigwait(&drained, &status))
			return 1;
	}
	if (waitpid(reader, &status, 0) != reader || !WIFEXITED(status) || WEXITSTATUS(status))
		return fail("pipe_writes: the reader");
	for (int i = 0; i < epipes; i++) {
		if (expect(write(fds[1], page, 1), 1, EPIPE))
			return 1;
	}
	return 0;
}
