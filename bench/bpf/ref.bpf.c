// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The reference producer: one 48-byte ring buffer record per write(2) of one
 * target process. Paired with bench/ref/ref_consumer.c it is the C baseline
 * any other event pipeline (bpfscope's Java reader included) is compared to.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "ref.h"

/*
 * The tracepoint's record, per /sys/kernel/tracing/events/syscalls/
 * sys_enter_write/format. Spelled out here instead of pulling in a generated
 * vmlinux.h: syscall tracepoint layouts are stable and this keeps the build
 * to one compiler call with no generated headers.
 */
struct sys_enter_write_args {
	__u64 common;      /* common_type, flags, preempt_count, pid */
	__s32 syscall_nr;
	__u32 pad;
	__u64 fd;
	__u64 buf;
	__u64 count;
};

/* Knobs in .rodata: set by the loader before load, then constants the
 * verifier knows, so the untaken branches cost nothing. */
const volatile __u32 target_tgid = 0;
/* Force a wakeup once this many bytes wait in the ring (default 1/4). */
const volatile __u64 wakeup_threshold = REF_RINGBUF_BYTES / 4;
/* 1 = submit with flags 0 (libbpf's default, adaptive wakeup) instead. */
const volatile __u32 default_wakeup = 0;

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, REF_RINGBUF_BYTES);
} rb SEC(".maps");

/* The kernel keeps no count of failed reserves: we must. Per-CPU so the
 * (rare) increment never bounces a cache line between CPUs. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

SEC("tp/syscalls/sys_enter_write")
int bench_ref_write(struct sys_enter_write_args *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	__u32 tgid = id >> 32;

	if (tgid != target_tgid)
		return 0;

	struct ref_write_rec *r = bpf_ringbuf_reserve(&rb, sizeof(*r), 0);
	if (!r) {
		__u32 key = 0;
		__u64 *d = bpf_map_lookup_elem(&drops, &key);
		/* Atomic although per-CPU: on a preemptible kernel another
		 * task may run this program on the same CPU meanwhile. */
		if (d)
			__sync_fetch_and_add(d, 1);
		return 0;
	}

	r->boot_ns = bpf_ktime_get_boot_ns();
	r->pid = tgid;
	r->tid = (__u32)id;
	r->count = ctx->count;
	r->fd = (__s32)ctx->fd;
	r->pad = 0;
	bpf_get_current_comm(r->comm, sizeof(r->comm));

	__u64 flags = 0;
	if (!default_wakeup) {
		/*
		 * A wakeup per record costs the writer ~1.3 us (ten times the
		 * syscall itself). Stay silent and let the consumer's bounded
		 * poll interval pick records up, but do wake it when the ring
		 * fills past the threshold so a slow poll cannot cause drops.
		 */
		flags = bpf_ringbuf_query(&rb, BPF_RB_AVAIL_DATA) >= wakeup_threshold
			? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP;
	}
	bpf_ringbuf_submit(r, flags);
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
