// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * execve with its result taken by BPF task work (kernel 6.18, ring buffer
 * only): sys_enter_execve schedules a callback that runs when the caller
 * next returns to user space, after execve returned, and reads the return
 * value from the caller's saved registers. Unlike sys_exit_execve
 * (exec_tp.bpf.c) this costs nothing to the other system calls of the
 * machine: a sys_exit_* event makes every syscall exit call into tracing.
 */
#include "exec.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

struct exec_call {
	struct bpf_task_work work;
	struct exec_pending pending;
};

/*
 * Execs in flight, by the calling thread's pid_tgid. Each entry lives from
 * sys_enter_execve until its callback, which the kernel runs before the
 * thread returns to user space or at its exit. Not LRU: an evicted entry
 * would cancel its callback and lose the count. Not preallocated: entries
 * are large and few are ever in flight.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 8192);
	__type(key, __u64);
	__type(value, struct exec_call);
} exec_calls SEC(".maps");

static const struct exec_call empty_call;

/* In the caller's context, execve done: counts it and sends the record. */
static int exec_returned(struct bpf_map *map, void *key, void *value)
{
	struct exec_call *call = value;
	struct pt_regs___x86 *regs = (void *)bpf_task_pt_regs(bpf_get_current_task_btf());
	__u32 size = finish_exec(&call->pending.event, (long)regs->ax);

	emit_ring(&exec_events, &call->pending.event, size, now_ns(), DROP_BUFFER_FULL);
	bpf_map_delete_elem(&exec_calls, key);
	return 0;
}

SEC("tp/syscalls/sys_enter_execve")
int bpfscope_exec(struct syscall_enter_ctx *ctx)
{
	__u64 id = bpf_get_current_pid_tgid();
	struct exec_call *call;

	if (bpf_map_update_elem(&exec_calls, &id, &empty_call, BPF_ANY)) {
		count_drop(DROP_EXEC_UNTRACKED);
		return 0;
	}
	call = bpf_map_lookup_elem(&exec_calls, &id);
	if (!call) {
		count_drop(DROP_EXEC_UNTRACKED);
		return 0;
	}
	begin_exec(&call->pending.event, id, ctx, ARGV_BY_BPF_LOOP);
	if (bpf_task_work_schedule_resume_impl(bpf_get_current_task_btf(), &call->work, &exec_calls,
					       exec_returned, NULL)) {
		count_drop(DROP_EXEC_UNTRACKED);
		bpf_map_delete_elem(&exec_calls, &id);
	}
	return 0;
}
