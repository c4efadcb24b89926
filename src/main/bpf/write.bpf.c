// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sys_enter_write: counts every write on the node per comm, and streams a
 * record for the processes in the PID filter. This runs on every write(2)
 * of the machine, so it does the least it can: one comm copy, one per-CPU
 * hash lookup, two inlined array lookups for the filter, and a ring buffer
 * record only for traced processes.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel.h"
#include "bpfscope.h"
#include "drops.h"
#include "emit.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * Counting per comm, in two steps so the common case is cheap: each thread
 * carries its comm's slot in task storage (one lookup in the task's own
 * storage), and the counts are a per-CPU array indexed by slot. Only a
 * thread's first write, or its first after a comm change, reads its comm
 * and finds or assigns the slot in comm_slots. Slots are handed out in
 * order up to probe_config.comm_slots (the comm cap, set by the loader with
 * the maps' sizes); later comms share the last slot, "_other", so totals
 * stay exact.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, struct comm_key);
	__type(value, __u32);
} comm_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 513);
	__type(key, __u32);
	__type(value, struct write_count);
} slot_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u32);
} task_slots SEC(".maps");

/* Slots handed out so far; races only waste a slot, never share one. */
__u32 next_slot;

/*
 * Even the task-storage lookup and the filter check are too dear for every
 * write: each CPU remembers the last thread it saw, that thread's slot and
 * whether it is traced. The entry is trusted while the cache_epoch it was
 * made in holds.
 *
 * The thread is known without a helper call (one costs about as much as all
 * the rest of the untraced path, see bench/README.md): the tracepoint's
 * context lies on the writing thread's kernel stack (the kernel builds it in
 * a local variable of the syscall tracepoint's BPF caller), and an aligned
 * 4 KiB of a kernel stack belongs to one live thread. Those 4 KiB, not the
 * address: the kernel may randomize the stack offset at every syscall. A
 * stack is freed and reused only after its thread exited, which bumps the
 * epoch, so equal 4 KiB in the same epoch are the same thread. The program
 * checks, when it fills an entry, that the context is within the current
 * thread's stack; on a kernel where it is not, it never trusts an entry and
 * every write takes the full path: slower, never wrong. (Not the program's
 * own stack address: the JIT may give tracing programs a private per-CPU
 * stack, the same for every thread.)
 */
struct last_counted {
	__u64 context;
	__u64 stack_unit;
	__u64 epoch;
	__u32 slot;
	__u32 traced;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct last_counted);
} last_counted SEC(".maps");

/*
 * Bumped by everything that can make a CPU's last_counted wrong: a change of
 * who is traced (by user space through its mapping, by the fork and exit
 * programs), a comm change (rename) and the end of any thread (its kernel
 * stack may then serve another). One word for all, so a write checks one; a
 * global in a section of its own (a one-word map user space maps), so a write
 * reads it with one load instead of a map lookup.
 */
__u64 cache_epoch SEC(".data.epoch");

/*
 * The PID filter: a bitmap over pid_max, twice. pid_filter_base[0] holds the
 * index of the first word of the half in force, so user space rewrites the
 * other half and switches with one 32-bit store; a program sees either the
 * old set or the new one, never a mix.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * BPFSCOPE_PID_FILTER_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} pid_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} pid_filter_base SEC(".maps");

/*
 * followChildren: processes forked by a traced process, set here by the
 * kernel at fork and cleared at exit, one bitmap (not double-buffered: only
 * the programs add and remove, atomically). User space maps it to read it,
 * and clears bits of PIDs it is told to stop tracing.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, BPFSCOPE_PID_FILTER_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} pid_children SEC(".maps");

/* 1 while followChildren is on; written by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} follow_children SEC(".maps");

/* max_entries (bytes, a power of two) is set by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} write_events SEC(".maps");

/* The same records when probe_config.use_perf is set. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} write_perf SEC(".maps");

/* The slot of the current thread's comm: found or assigned on its first write. */
static __noinline __u32 assign_slot(struct task_struct *task)
{
	__u32 other = probe_config.comm_slots, slot;
	struct comm_key key = {};
	__u32 *known, *stored;

	bpf_get_current_comm(key.comm, sizeof(key.comm));
	known = bpf_map_lookup_elem(&comm_slots, &key);
	if (known) {
		slot = *known;
	} else {
		slot = __sync_fetch_and_add(&next_slot, 1);
		if (slot >= other) {
			slot = other;
		} else if (bpf_map_update_elem(&comm_slots, &key, &slot, BPF_NOEXIST)) {
			/* Another CPU assigned this comm first (or the map is full). */
			known = bpf_map_lookup_elem(&comm_slots, &key);
			slot = known ? *known : other;
		}
	}
	stored = bpf_task_storage_get(&task_slots, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (stored)
		*stored = slot;
	return slot;
}

static __always_inline int pid_traced(__u32 pid)
{
	__u32 zero = 0, index;
	__u32 *base;
	__u64 *word;

	base = bpf_map_lookup_elem(&pid_filter_base, &zero);
	if (!base)
		return 0;
	index = *base + ((pid >> 6) & (BPFSCOPE_PID_FILTER_WORDS - 1));
	word = bpf_map_lookup_elem(&pid_filter, &index);
	if (word && (*word >> (pid & 63)) & 1)
		return 1;
	index = (pid >> 6) & (BPFSCOPE_PID_FILTER_WORDS - 1);
	word = bpf_map_lookup_elem(&pid_children, &index);
	return word && (*word >> (pid & 63)) & 1;
}

/*
 * The 4 KiB unit of kernel stack the tracepoint context is on. The verifier
 * forbids arithmetic on a context pointer but lets a privileged program
 * store it: read back from the map, it is a number.
 */
static __always_inline __u64 context_unit(struct last_counted *last, void *ctx)
{
	last->context = (__u64)ctx;
	return *(volatile __u64 *)&last->context >> KSTACK_UNIT_SHIFT;
}

/* Whether unit (see context_unit) is one of task's kernel stack. */
static __always_inline int on_stack_of(struct task_struct *task, __u64 unit)
{
	return unit - ((__u64)task->stack >> KSTACK_UNIT_SHIFT) < KSTACK_MAX_UNITS;
}

/*
 * Counts one write of the current thread and says whether its process is
 * traced, from this CPU's cache when it still holds (see last_counted).
 */
static __always_inline int count_write(void *ctx, __u64 bytes)
{
	struct last_counted *last;
	struct write_count *count;
	struct task_struct *task;
	__u32 zero = 0, slot;
	__u64 now = *(volatile __u64 *)&cache_epoch, unit;
	__u32 *cached;

	last = bpf_map_lookup_elem(&last_counted, &zero);
	if (!last)
		return 0;
	unit = context_unit(last, ctx);
	if (last->stack_unit != unit || last->epoch != now) {
		task = bpf_get_current_task_btf();
		cached = bpf_task_storage_get(&task_slots, task, 0, 0);
		/* The epoch is read before the slot and the filter: a change meanwhile
		 * leaves an entry that the next write finds stale. */
		last->slot = cached ? *cached : assign_slot(task);
		last->traced = pid_traced(task->tgid);
		last->stack_unit = unit;
		last->epoch = on_stack_of(task, unit) ? now : now - 1;
	}
	slot = last->slot;
	count = bpf_map_lookup_elem(&slot_counts, &slot);
	if (count) {
		/* Per-CPU values, and syscall tracepoint programs run with
		 * preemption off: plain increments are exact. */
		count->calls++;
		count->bytes += bytes;
	}
	return last->traced;
}

SEC("tp/syscalls/sys_enter_write")
int bpfscope_write(struct syscall_enter_ctx *ctx)
{
	struct task_struct *task;
	struct write_event event;

	if (!count_write(ctx, ctx->args[2]))
		return 0;

	/* Fields of the task, not bpf_get_current_pid_tgid(): one helper call less per write. */
	task = bpf_get_current_task_btf();
	event.boot_ns = bpf_ktime_get_boot_ns();
	event.pid = task->tgid;
	event.tid = task->pid;
	event.count = ctx->args[2];
	event.fd = (__s32)ctx->args[0];
	event._pad = 0;
	bpf_get_current_comm(event.comm, sizeof(event.comm));
	emit(ctx, &write_events, &write_perf, &event, sizeof(event), event.boot_ns);
	return 0;
}

static __always_inline void bump_cache_epoch(void)
{
	__sync_fetch_and_add(&cache_epoch, 1);
}

/* A thread's comm changed (exec, prctl, /proc/PID/comm): its next write looks its slot up again. */
SEC("tp_btf/task_rename")
int bpfscope_rename(__u64 *ctx)
{
	bpf_task_storage_delete(&task_slots, (struct task_struct *)ctx[0]);
	bump_cache_epoch();
	return 0;
}

/* followChildren: a new process forked by a traced one is traced from its first instruction. */
SEC("tp_btf/sched_process_fork")
int bpfscope_fork(__u64 *ctx)
{
	struct task_struct *parent = (struct task_struct *)ctx[0];
	struct task_struct *child = (struct task_struct *)ctx[1];
	__u32 zero = 0, index, pid;
	__u32 *follow;
	__u64 *word;

	follow = bpf_map_lookup_elem(&follow_children, &zero);
	if (!follow || !*follow || child->tgid == parent->tgid || !pid_traced(parent->tgid))
		return 0;
	pid = child->tgid;
	index = (pid >> 6) & (BPFSCOPE_PID_FILTER_WORDS - 1);
	word = bpf_map_lookup_elem(&pid_children, &index);
	if (word) {
		__sync_fetch_and_or(word, 1ULL << (pid & 63));
		bump_cache_epoch();
	}
	return 0;
}

/*
 * A thread ended: its kernel stack may serve another thread next (see
 * last_counted). A followed child's PID leaves the set when its process
 * ends (its leader exits).
 */
SEC("tp_btf/sched_process_exit")
int bpfscope_exit(__u64 *ctx)
{
	struct task_struct *task = (struct task_struct *)ctx[0];
	__u32 index, pid = task->tgid;
	__u64 *word;

	if (task->pid == task->tgid) {
		index = (pid >> 6) & (BPFSCOPE_PID_FILTER_WORDS - 1);
		word = bpf_map_lookup_elem(&pid_children, &index);
		if (word && (*word >> (pid & 63)) & 1)
			__sync_fetch_and_and(word, ~(1ULL << (pid & 63)));
	}
	bump_cache_epoch();
	return 0;
}
