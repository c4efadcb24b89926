// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * The producer of PerfBufferTest. A call getpgid(PERF_TEST_MAGIC | size) by
 * the process whose tgid is in config[0] emits one record of `size` bytes
 * (16..PERF_TEST_MAX) to the perf buffer of the current CPU: a sequence
 * number, the size, the CPU, then 64-bit words seq * PERF_TEST_MIX + i,
 * cut at `size`. Such a pid does not exist, so the call itself only fails
 * with ESRCH.
 *
 * stats[0] counts records attempted, stats[1] those bpf_perf_event_output()
 * could not write (the buffer was full). Plain increments: the test has one
 * producing thread, so no two runs of this program overlap.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define PERF_TEST_MAGIC 0x5ec00000u
#define PERF_TEST_MAX 4096
#define PERF_TEST_WORDS ((PERF_TEST_MAX - 16) / 8)
#define PERF_TEST_MIX 0x9e3779b97f4a7c15ull

/* The tracefs format of syscall entry: common fields, syscall number, arguments. */
struct enter_ctx {
	__u64 common;
	__s64 nr;
	__u64 args[6];
};

struct perf_test_record {
	__u64 seq;
	__u32 size;
	__u32 cpu;
	__u64 words[PERF_TEST_WORDS];
};

/* max_entries left out: libbpf sizes it to the possible CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} records SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

/* Too big for the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct perf_test_record);
} scratch SEC(".maps");

SEC("tp/syscalls/sys_enter_getpgid")
int perf_output(struct enter_ctx *ctx)
{
	__u32 zero = 0, one = 1;
	/* 64-bit, so the bounds the verifier learns from the checks are those of
	 * the register handed to bpf_perf_event_output(), not of a narrowed copy. */
	__u64 arg = ctx->args[0] & 0xffffffff;
	__u64 size = arg & 0xffff;
	struct perf_test_record *record;
	__u64 *produced, *failed;
	__u32 *tgid;
	__u64 seq;
	int i;

	if ((arg & 0xffff0000u) != PERF_TEST_MAGIC)
		return 0;
	tgid = bpf_map_lookup_elem(&config, &zero);
	if (!tgid || *tgid != bpf_get_current_pid_tgid() >> 32)
		return 0;
	if (size < 16 || size > PERF_TEST_MAX)
		return 0;
	record = bpf_map_lookup_elem(&scratch, &zero);
	produced = bpf_map_lookup_elem(&stats, &zero);
	failed = bpf_map_lookup_elem(&stats, &one);
	if (!record || !produced || !failed)
		return 0;

	seq = *produced;
	*produced = seq + 1;
	record->seq = seq;
	record->size = size;
	record->cpu = bpf_get_smp_processor_id();
	for (i = 0; i < PERF_TEST_WORDS; i++) {
		if (16 + i * 8 >= size)
			break;
		record->words[i] = seq * PERF_TEST_MIX + i;
	}
	if (bpf_perf_event_output(ctx, &records, BPF_F_CURRENT_CPU, record, size) < 0)
		*failed += 1;
	return 0;
}
