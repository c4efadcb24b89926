// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * A test workload of write(2)s of known sizes under a known comm, to hold
 * the kernel's size histogram to: it names itself COMM, waits for a line on
 * stdin (so a test can look at it first), then for each SIZE:COUNT pair
 * writes COUNT times SIZE bytes to /dev/null, each write one system call.
 * Any failure or short write exits 1 with a message.
 *
 * Usage: write_sizes COMM SIZE:COUNT...
 */
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

struct run {
	size_t size;
	unsigned long count;
};

static int parse(const char *text, struct run *run)
{
	char *end;

	run->size = strtoull(text, &end, 10);
	if (*end != ':')
		return -1;
	run->count = strtoul(end + 1, &end, 10);
	return *end ? -1 : 0;
}

int main(int argc, char **argv)
{
	struct run runs[64];
	size_t largest = 1;
	char *buffer, line[16];
	int fd, n = argc - 2;

	if (argc < 3 || n > 64) {
		fprintf(stderr, "usage: write_sizes COMM SIZE:COUNT... (at most 64 pairs)\n");
		return 2;
	}
	for (int i = 0; i < n; i++) {
		if (parse(argv[i + 2], &runs[i])) {
			fprintf(stderr, "write_sizes: '%s' is not SIZE:COUNT\n", argv[i + 2]);
			return 2;
		}
		if (runs[i].size > largest)
			largest = runs[i].size;
	}
	buffer = calloc(1, largest);
	fd = open("/dev/null", O_WRONLY);
	if (!buffer || fd < 0 || prctl(PR_SET_NAME, argv[1]) != 0) {
		perror("write_sizes");
		return 1;
	}
	if (!fgets(line, sizeof(line), stdin)) {
		fprintf(stderr, "write_sizes: no go on stdin\n");
		return 1;
	}
	for (int i = 0; i < n; i++) {
		for (unsigned long j = 0; j < runs[i].count; j++) {
			ssize_t written = write(fd, buffer, runs[i].size);

			if (written < 0 || (size_t)written != runs[i].size) {
				perror("write_sizes: write");
				return 1;
			}
		}
	}
	return 0;
}
