// SPDX-License-Identifier: Apache-2.0
/*
 * ref_consumer: the C libbpf reference consumer of the bpfscope benchmark.
 *
 * Loads bench/bpf/ref.bpf.o with its target tgid set in .rodata, attaches
 * it, prints "attached", then reads records from its ring buffer until
 * SIGINT/SIGTERM, when it drains what is left and prints:
 *
 *     records=10000001 dropped=0 bad=0
 *
 * records: records read; dropped: failed reserves counted by the BPF side;
 * bad: records of an unexpected size or PID (must be 0).
 *
 * Uses the libbpf 1.1 API only (Debian 12's libbpf1): the Java binding of
 * bpfscope targets the same library, so this is the like-for-like baseline.
 *
 * usage: ref_consumer -p PID [-d] [-t BYTES] [-o OBJ]
 *   -p PID    the tgid to follow (required)
 *   -d        default libbpf wakeups: submit with flags 0, the kernel wakes
 *             the reader whenever it has caught up (about once per record)
 *   -t BYTES  wakeup threshold in NO_WAKEUP mode (default: 1/4 of the ring)
 *   -o OBJ    the BPF object (default: ref.bpf.o next to this binary)
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include "common.h"
#include "ref.h"

struct counts {
	__u32 target;
	unsigned long long records;
	unsigned long long bad;
};

/* Called by libbpf for each record, on this thread. Counting is all the
 * reference does: the point is the cost of moving records, not of using
 * them. The checks are two compares and catch a layout mismatch. */
static int on_record(void *ctx, void *data, size_t size)
{
	struct counts *c = ctx;
	const struct ref_write_rec *r = data;

	if (size != sizeof(*r) || r->pid != c->target)
		c->bad++;
	else
		c->records++;
	return 0;
}

/*
 * Sets a `const volatile` global of the BPF object before load, without a
 * generated skeleton: find the variable's offset in the .rodata DATASEC of
 * the object's BTF, then patch a copy of the map's initial image.
 */
static int set_rodata(struct bpf_object *obj, const char *var, const void *val, size_t len)
{
	struct btf *btf = bpf_object__btf(obj);
	if (!btf) {
		fprintf(stderr, "ref_consumer: object has no BTF (compile with -g)\n");
		return -1;
	}
	int sec_id = btf__find_by_name_kind(btf, ".rodata", BTF_KIND_DATASEC);
	if (sec_id < 0) {
		fprintf(stderr, "ref_consumer: no .rodata section in BTF\n");
		return -1;
	}
	const struct btf_type *sec = btf__type_by_id(btf, sec_id);
	const struct btf_var_secinfo *vs = btf_var_secinfos(sec);
	long offset = -1;
	for (int i = 0; i < btf_vlen(sec); i++) {
		const struct btf_type *v = btf__type_by_id(btf, vs[i].type);
		if (strcmp(btf__name_by_offset(btf, v->name_off), var) != 0)
			continue;
		if (vs[i].size != len) {
			fprintf(stderr, "ref_consumer: %s is %u bytes, not %zu\n", var, vs[i].size, len);
			return -1;
		}
		offset = vs[i].offset;
	}
	if (offset < 0) {
		fprintf(stderr, "ref_consumer: no variable %s in .rodata\n", var);
		return -1;
	}

	/* libbpf names the internal map "<object name>.rodata". */
	struct bpf_map *map, *rodata = NULL;
	bpf_object__for_each_map(map, obj) {
		const char *name = bpf_map__name(map);
		size_t n = strlen(name);
		if (n >= 7 && strcmp(name + n - 7, ".rodata") == 0)
			rodata = map;
	}
	if (!rodata) {
		fprintf(stderr, "ref_consumer: no .rodata map\n");
		return -1;
	}
	size_t size;
	const void *init = bpf_map__initial_value(rodata, &size);
	if (!init || (size_t)offset + len > size) {
		fprintf(stderr, "ref_consumer: bad .rodata image\n");
		return -1;
	}
	char *copy = malloc(size);
	if (!copy)
		return -1;
	memcpy(copy, init, size);
	memcpy(copy + offset, val, len);
	int err = bpf_map__set_initial_value(rodata, copy, size);
	free(copy);
	if (err) {
		fprintf(stderr, "ref_consumer: set .rodata: %s\n", strerror(-err));
		return -1;
	}
	return 0;
}

/* Sum of the per-CPU failed-reserve counters. */
static long long read_drops(struct bpf_object *obj)
{
	struct bpf_map *map = bpf_object__find_map_by_name(obj, "drops");
	int ncpu = libbpf_num_possible_cpus();
	if (!map || ncpu <= 0)
		return -1;
	__u64 *vals = calloc((size_t)ncpu, sizeof(*vals));
	if (!vals)
		return -1;
	__u32 key = 0;
	long long sum = -1;
	if (bpf_map_lookup_elem(bpf_map__fd(map), &key, vals) == 0) {
		sum = 0;
		for (int i = 0; i < ncpu; i++)
			sum += (long long)vals[i];
	}
	free(vals);
	return sum;
}

static void usage(const char *prog)
{
	fprintf(stderr, "usage: %s -p PID [-d] [-t BYTES] [-o OBJ]\n", prog);
	exit(2);
}

int main(int argc, char **argv)
{
	long pid = 0;
	__u32 default_wakeup = 0;
	__u64 threshold = REF_RINGBUF_BYTES / 4;
	char obj_path[PATH_MAX] = "";
	int opt;

	while ((opt = getopt(argc, argv, "p:dt:o:h")) != -1) {
		char *end;
		switch (opt) {
		case 'p':
			pid = strtol(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || pid <= 0 || pid > INT_MAX)
				usage(argv[0]);
			break;
		case 'd': default_wakeup = 1; break;
		case 't':
			threshold = strtoull(optarg, &end, 10);
			if (*optarg == '\0' || *end != '\0' || threshold == 0)
				usage(argv[0]);
			break;
		case 'o': snprintf(obj_path, sizeof(obj_path), "%s", optarg); break;
		default: usage(argv[0]);
		}
	}
	if (pid == 0 || optind != argc)
		usage(argv[0]);

	if (obj_path[0] == '\0') {
		/* Default: beside our own binary, so the harness (or a person)
		 * can run us from any directory. */
		char self[PATH_MAX];
		ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
		if (n < 0) {
			perror("ref_consumer: readlink /proc/self/exe");
			return 1;
		}
		self[n] = '\0';
		snprintf(obj_path, sizeof(obj_path), "%s/ref.bpf.o", dirname(self));
	}

	libbpf_set_print(print_fn);

	/* No SA_RESTART: the signal must interrupt epoll_wait in
	 * ring_buffer__poll so we stop within one poll interval. */
	struct sigaction sa = { .sa_handler = on_signal };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);

	int rc = 1;
	struct bpf_link *link = NULL;
	struct ring_buffer *rb = NULL;
	struct bpf_object *obj = bpf_object__open_file(obj_path, NULL);
	if (!obj) {
		fprintf(stderr, "ref_consumer: open %s: %s\n", obj_path, strerror(errno));
		return 1;
	}

	__u32 tgid = (__u32)pid;
	if (set_rodata(obj, "target_tgid", &tgid, sizeof(tgid)) ||
	    set_rodata(obj, "wakeup_threshold", &threshold, sizeof(threshold)) ||
	    set_rodata(obj, "default_wakeup", &default_wakeup, sizeof(default_wakeup)))
		goto out;

	int err = bpf_object__load(obj);
	if (err) {
		fprintf(stderr, "ref_consumer: load: %s\n", strerror(-err));
		goto out;
	}
	struct bpf_program *prog = bpf_object__find_program_by_name(obj, "bench_ref_write");
	struct bpf_map *rb_map = bpf_object__find_map_by_name(obj, "rb");
	if (!prog || !rb_map) {
		fprintf(stderr, "ref_consumer: program or ring buffer missing from %s\n", obj_path);
		goto out;
	}

	struct counts counts = { .target = tgid };
	/* The ring before the link: no record may be produced with nobody
	 * set up to read it. */
	rb = ring_buffer__new(bpf_map__fd(rb_map), on_record, &counts, NULL);
	if (!rb) {
		fprintf(stderr, "ref_consumer: ring_buffer__new: %s\n", strerror(errno));
		goto out;
	}
	link = bpf_program__attach(prog);
	if (!link) {
		fprintf(stderr, "ref_consumer: attach: %s\n", strerror(errno));
		goto out;
	}

	printf("attached pid=%ld mode=%s\n", pid, default_wakeup ? "default-wakeup" : "no-wakeup+threshold");
	fflush(stdout);

	while (!stop) {
		/* Sleeps up to 1 ms, or less if the BPF side forced a wakeup. */
		err = ring_buffer__poll(rb, 1);
		if (err < 0 && err != -EINTR) {
			fprintf(stderr, "ref_consumer: ring_buffer__poll: %s\n", strerror(-err));
			goto out;
		}
		/*
		 * ring_buffer__poll only reads rings that epoll reported
		 * ready, and NO_WAKEUP records never make the ring ready. So
		 * read whatever is there after every poll: this is what bounds
		 * the delay of a quiet record to one poll interval.
		 */
		err = ring_buffer__consume(rb);
		if (err < 0) {
			fprintf(stderr, "ref_consumer: ring_buffer__consume: %s\n", strerror(-err));
			goto out;
		}
	}

	/* Detach first so no record arrives after the final drain. */
	bpf_link__destroy(link);
	link = NULL;
	err = ring_buffer__consume(rb);
	if (err < 0) {
		fprintf(stderr, "ref_consumer: final ring_buffer__consume: %s\n", strerror(-err));
		goto out;
	}

	printf("records=%llu dropped=%lld bad=%llu\n", counts.records, read_drops(obj), counts.bad);
	fflush(stdout);
	rc = 0;
out:
	bpf_link__destroy(link);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return rc;
}
