// SPDX-License-Identifier: Apache-2.0
/*
 * attach: load a BPF object file, attach its programs by their SEC() names,
 * print "attached", and hold the links until SIGINT/SIGTERM. With program
 * names after the object, only those are loaded: bpfscope's objects hold
 * variants of a program for kernels of different ages, and the daemon loads
 * one of each.
 *
 * The harness uses it for the floor (bench/bpf/empty.bpf.o). bpftool 7.1
 * (Debian 12) can `prog loadall` but has no `autoattach` (that came in 7.2),
 * and pinning links to bpffs would leave them behind if the harness died;
 * links held by a process go away with it, whatever kills it.
 *
 * usage: attach OBJ.bpf.o [PROGRAM...]
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <bpf/libbpf.h>
#include "common.h"

#define MAX_LINKS 16

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s OBJ.bpf.o [PROGRAM...]\n", argv[0]);
		return 2;
	}
	libbpf_set_print(print_fn);

	/* Handlers before attaching, so a signal arriving right after
	 * "attached" is never the default (terminate without cleanup). */
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "attach: open %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	struct bpf_program *prog;
	if (argc > 2) {
		bpf_object__for_each_program(prog, obj)
			bpf_program__set_autoload(prog, false);
		for (int i = 2; i < argc; i++) {
			prog = bpf_object__find_program_by_name(obj, argv[i]);
			if (!prog) {
				fprintf(stderr, "attach: no program %s in %s\n", argv[i], argv[1]);
				bpf_object__close(obj);
				return 1;
			}
			bpf_program__set_autoload(prog, true);
		}
	}
	int err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "attach: load %s: %s\n", argv[1], strerror(-err));
		bpf_object__close(obj);
		return 1;
	}

	struct bpf_link *links[MAX_LINKS];
	int nlinks = 0, rc = 0;
	bpf_object__for_each_program(prog, obj) {
		if (!bpf_program__autoload(prog))
			continue;
		if (nlinks == MAX_LINKS) {
			fprintf(stderr, "attach: more than %d programs\n", MAX_LINKS);
			rc = 1;
			goto out;
		}
		struct bpf_link *link = bpf_program__attach(prog);
		if (!link) {
			fprintf(stderr, "attach: attach %s: %s\n",
				bpf_program__name(prog), strerror(errno));
			rc = 1;
			goto out;
		}
		links[nlinks++] = link;
	}
	if (nlinks == 0) {
		fprintf(stderr, "attach: no program in %s\n", argv[1]);
		rc = 1;
		goto out;
	}

	printf("attached programs=%d\n", nlinks);
	fflush(stdout);

	/* pause() would miss a signal that arrives between the check and the
	 * call; sigsuspend with the signals blocked around the check cannot. */
	sigset_t block, old;
	sigemptyset(&block);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGTERM);
	sigprocmask(SIG_BLOCK, &block, &old);
	while (!stop)
		sigsuspend(&old);
	sigprocmask(SIG_SETMASK, &old, NULL);

out:
	while (nlinks > 0)
		bpf_link__destroy(links[--nlinks]);
	bpf_object__close(obj);
	return rc;
}
