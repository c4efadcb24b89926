// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * Makes COUNT (command name, cgroup) pairs for the write counters: renames
 * itself bpfsc00000, bpfsc00001, ... and writes one byte to /dev/null under
 * each name, so a daemon's write series fill up without COUNT processes.
 *
 * Usage: many_comms COUNT
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char name[16];
	long count;
	int fd;

	if (argc != 2 || (count = atol(argv[1])) <= 0 || count > 99999) {
		fprintf(stderr, "usage: many_comms COUNT (1 to 99999)\n");
		return 2;
	}
	fd = open("/dev/null", O_WRONLY);
	if (fd < 0) {
		perror("many_comms: /dev/null");
		return 1;
	}
	for (long i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "bpfsc%05ld", i);
		if (prctl(PR_SET_NAME, name) || write(fd, "x", 1) != 1) {
			perror("many_comms");
			return 1;
		}
	}
	return 0;
}
