// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * parts: the steps bpfscope's sys_enter_write program takes for a write of
 * a process it does not trace, one object per step, so the harness can say
 * which step costs what (the parts_* configurations, run on request with -c).
 * Built once per step with -DPART_<STEP>:
 *
 *   PART_COMM_HASH  bpf_get_current_comm + a per-CPU hash keyed by comm
 *                   (16 bytes, 512 entries), insert on miss, calls and bytes
 *                   incremented: bpfscope's counting
 *   PART_PID_HASH   the same keyed by the tgid (4 bytes): DESIGN.md's
 *                   "per-CPU hash counter keyed by pid"
 *   PART_FILTER     two array lookups: the base of the half in force, then
 *                   the word of a PID bitmap of 2 x 65,536 u64: bpfscope's
 *                   PID filter check
 *   PART_ALL        COMM_HASH then FILTER: what bpfscope's program does for
 *                   an untraced write, minus its maps' loader-set sizes
 *
 * These are re-implementations from the daemon's sources (write.bpf.c), for
 * measuring only; bpfscope's own objects are measured as they are by the
 * bpfscope_kernel configuration.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct enter_ctx {
	__u64 common;
	__s64 nr;
	__u64 args[6];
};

struct part_count {
	__u64 calls;
	__u64 bytes;
};

#if defined(PART_COMM_HASH) || defined(PART_ALL)
struct comm_key {
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 512);
	__type(key, struct comm_key);
	__type(value, struct part_count);
} part_counts SEC(".maps");

static __always_inline void step_count(__u64 bytes)
{
	struct comm_key key = {};
	struct part_count *count;

	bpf_get_current_comm(key.comm, sizeof(key.comm));
	count = bpf_map_lookup_elem(&part_counts, &key);
	if (!count) {
		struct part_count zero = {};

		bpf_map_update_elem(&part_counts, &key, &zero, BPF_NOEXIST);
		count = bpf_map_lookup_elem(&part_counts, &key);
		if (!count)
			return;
	}
	count->calls++;
	count->bytes += bytes;
}
#endif

#ifdef PART_PID_HASH
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 512);
	__type(key, __u32);
	__type(value, struct part_count);
} part_counts SEC(".maps");

static __always_inline void step_count(__u64 bytes)
{
	__u32 key = bpf_get_current_pid_tgid() >> 32;
	struct part_count *count;

	count = bpf_map_lookup_elem(&part_counts, &key);
	if (!count) {
		struct part_count zero = {};

		bpf_map_update_elem(&part_counts, &key, &zero, BPF_NOEXIST);
		count = bpf_map_lookup_elem(&part_counts, &key);
		if (!count)
			return;
	}
	count->calls++;
	count->bytes += bytes;
}
#endif

#if defined(PART_FILTER) || defined(PART_ALL)
#define WORDS 65536

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * WORDS);
	__type(key, __u32);
	__type(value, __u64);
} part_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} part_filter_base SEC(".maps");

/* Kept in a global so the compiler cannot drop the lookups. */
__u64 part_traced;

static __always_inline void step_filter(__u32 pid)
{
	__u32 zero = 0, index;
	__u32 *base;
	__u64 *word;

	base = bpf_map_lookup_elem(&part_filter_base, &zero);
	if (!base)
		return;
	index = *base + ((pid >> 6) & (WORDS - 1));
	word = bpf_map_lookup_elem(&part_filter, &index);
	if (word && (*word >> (pid & 63)) & 1)
		part_traced++;
}
#endif

SEC("tp/syscalls/sys_enter_write")
int bench_part(struct enter_ctx *ctx)
{
#if defined(PART_COMM_HASH) || defined(PART_PID_HASH) || defined(PART_ALL)
	step_count(ctx->args[2]);
#endif
#if defined(PART_FILTER) || defined(PART_ALL)
	step_filter(bpf_get_current_pid_tgid() >> 32);
#endif
	return 0;
}
