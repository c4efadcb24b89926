// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * execve with its result taken at sys_exit_execve: for kernels without BPF
 * task work (before 6.18) and for perf buffers (a task-work callback has no
 * context to hand to bpf_perf_event_output). Attaching a sys_exit_* event
 * puts the exit of every system call of the machine on the traced slow
 * path, which is why exec.bpf.c is preferred where it loads.
 */
#include "exec.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * Execs between enter and exit, by thread. LRU so an entry whose exit never
 * comes (a non-leader thread's successful exec changes its tid) cannot leak;
 * an exit that finds its entry evicted is counted as a drop.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct exec_pending);
} exec_pending SEC(".maps");

static const struct exec_pending empty_pending;

static __always_inline void enter_exec(struct syscall_enter_ctx *ctx, enum argv_walker walker)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct exec_pending *pending;

	if (bpf_map_update_elem(&exec_pending, &id, &empty_pending, BPF_ANY))
		return;
	pending = bpf_map_lookup_elem(&exec_pending, &id);
	if (pending)
		begin_exec(&pending->event, id, ctx, walker);
}

/* The same entry twice, by how argv is walked; the loader loads one. */
SEC("tp/syscalls/sys_enter_execve")
int bpfscope_exec(struct syscall_enter_ctx *ctx)
{
	enter_exec(ctx, ARGV_BY_BPF_LOOP);
	return 0;
}

SEC("tp/syscalls/sys_enter_execve")
int bpfscope_exec_bounded(struct syscall_enter_ctx *ctx)
{
	enter_exec(ctx, ARGV_BY_BOUNDED_LOOP);
	return 0;
}

SEC("tp/syscalls/sys_exit_execve")
int bpfscope_exec_x(struct syscall_exit_ctx *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct exec_pending *pending = bpf_map_lookup_elem(&exec_pending, &id);
	__u32 size;

	if (!pending) {
		/* Counted all the same: the count does not need the record. */
		count_exec(bpf_get_current_cgroup_id(), ctx->ret);
		count_drop(DROP_EXEC_UNMATCHED);
		return 0;
	}
	size = finish_exec(&pending->event, ctx->ret);
	emit(ctx, &exec_events, &exec_perf, &pending->event, size, now_ns(), DROP_BUFFER_FULL);
	bpf_map_delete_elem(&exec_pending, &id);
	return 0;
}
