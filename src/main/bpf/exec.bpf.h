/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * execve, shared by the two ways of learning its result (exec.bpf.c and
 * exec_tp.bpf.c): the filename and arguments are read at sys_enter_execve,
 * while the caller's memory still holds them, and parked per thread until
 * the result is known, so failed execs are reported with their error and
 * successful ones with the new comm. Process exits travel the same ring
 * buffer (their program is here, for both objects).
 */
#ifndef BPFSCOPE_EXEC_BPF_H
#define BPFSCOPE_EXEC_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kernel.bpf.h"
#include "bpfscope.h"
#include "emit.bpf.h"
#include "histogram.bpf.h"

/*
 * Arguments are read in chunks of ARG_CHUNK bytes so one long argument can
 * fill the whole argv area; a chunk that starts near the end spills into
 * the slack, which is never sent. The verifier needs the slack to see every
 * write in bounds.
 */
#define ARG_CHUNK 256
#define ARG_STEPS (BPFSCOPE_ARGV_MAX_ARGS + BPFSCOPE_ARGV_LEN / (ARG_CHUNK - 1) + 1)

struct exec_pending {
	struct exec_event event;
	char slack[ARG_CHUNK];
};

/* max_entries (bytes, a power of two) is set by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} exec_events SEC(".maps");

/* The records when probe_config.use_perf is set (never with task work: its callback has no context for it). */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} exec_perf SEC(".maps");

/*
 * Every execve by the caller's cgroup and outcome, counted in the kernel:
 * exact whatever the buffer drops. Entries are made by the first exec of a
 * cgroup and removed by user space once the cgroup is gone; past
 * BPFSCOPE_EXEC_CGROUPS_MAX cgroups, execs count under EXEC_OTHER_CGROUP.
 * Shared, not per-CPU: execs are rare next to writes, and an atomic add
 * costs them nothing they would notice.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, BPFSCOPE_EXEC_CGROUPS_MAX + 1);
	__type(key, __u64);
	__type(value, struct exec_count);
} exec_counts SEC(".maps");

/*
 * State of one argv walk, carried across bpf_loop steps. The offset and the
 * count live in the event itself (argv_len, argc): values read back from a
 * map are unknown to the verifier, so every step looks alike and it checks
 * the callback once, where precise values on the stack would have it walk
 * every possible step.
 */
struct argv_walk {
	struct exec_event *event;
	const char *const *argv;
	const char *arg;   /* the argument being read, NULL between arguments */
};

/* One step of the walk (a bpf_loop callback): reads one chunk of one argument. */
static long argv_step(__u64 index, void *ctx)
{
	struct argv_walk *walk = ctx;
	struct exec_event *event = walk->event;
	__u32 off = event->argv_len, argc = event->argc;
	long n;

	if (!walk->arg) {
		const char *arg = NULL;

		if (argc > BPFSCOPE_ARGV_MAX_ARGS)
			return 1;
		if (read_user(&arg, sizeof(arg), &walk->argv[argc]) || !arg)
			return 1;
		if (argc == BPFSCOPE_ARGV_MAX_ARGS) {
			event->flags |= EXEC_ARGV_TRUNCATED;
			return 1;
		}
		walk->arg = arg;
		event->argc = argc + 1;
	}
	if (off >= BPFSCOPE_ARGV_LEN) {
		event->flags |= EXEC_ARGV_TRUNCATED;
		return 1;
	}
	n = read_user_str(&event->argv[off], ARG_CHUNK, walk->arg);
	if (n <= 0) {
		/* Unreadable argument: keep it as an empty string. */
		event->argv[off] = 0;
		n = 1;
	}
	if (n == ARG_CHUNK) {
		/* Maybe longer: go on reading this argument over its NUL. */
		event->argv_len = off + ARG_CHUNK - 1;
		walk->arg += ARG_CHUNK - 1;
	} else {
		event->argv_len = off + n;
		walk->arg = NULL;
	}
	return 0;
}

/*
 * How argv is walked: by bpf_loop (5.17), which has the verifier check one
 * step, or by a bounded loop, which it checks step by step (5.3). Each
 * program takes one, as a constant, so it holds the code of that one only:
 * a kernel without bpf_loop refuses a program that merely names a callback.
 */
enum argv_walker {
	ARGV_BY_BPF_LOOP,
	ARGV_BY_BOUNDED_LOOP,
};

static __always_inline void read_argv(struct exec_event *event, const char *const *argv, enum argv_walker walker)
{
	struct argv_walk walk = { .event = event, .argv = argv };

	if (walker == ARGV_BY_BPF_LOOP) {
		bpf_loop(ARG_STEPS, argv_step, &walk, 0);
	} else {
#pragma clang loop unroll(disable)
		for (__u32 step = 0; step < ARG_STEPS; step++)
			if (argv_step(step, &walk))
				break;
	}
	if (walk.arg)
		event->flags |= EXEC_ARGV_TRUNCATED;
	if (event->argv_len > BPFSCOPE_ARGV_LEN) {
		/* The last chunk ran into the slack: cut it and terminate it. */
		event->argv_len = BPFSCOPE_ARGV_LEN;
		event->argv[BPFSCOPE_ARGV_LEN - 1] = 0;
		event->flags |= EXEC_ARGV_TRUNCATED;
	}
}

/*
 * The names of a task's cgroup and of its parent, into two arrays of
 * BPFSCOPE_CGROUP_NAME_LEN, left empty where they cannot be read (the root
 * has no parent).
 */
static __always_inline void cgroup_names(char *cgroup_name, char *parent_name, struct task_struct *task)
{
	struct css_set *cgroups = read_kernel(task->cgroups);
	struct cgroup *cgroup = read_kernel(cgroups->dfl_cgrp);
	struct kernfs_node *node = read_kernel(cgroup->kn), *parent;

	if (read_kernel_str(cgroup_name, BPFSCOPE_CGROUP_NAME_LEN, read_kernel(node->name)) < 0)
		cgroup_name[0] = 0;
	if (bpf_core_field_exists(node->parent))
		parent = read_kernel(node->parent);
	else
		parent = read_kernel(((struct kernfs_node___rcu *)node)->__parent);
	if (!parent || read_kernel_str(parent_name, BPFSCOPE_CGROUP_NAME_LEN, read_kernel(parent->name)) < 0)
		parent_name[0] = 0;
}

/* Fills a zeroed event with the caller and what it asks to run (at sys_enter_execve). */
static __always_inline void begin_exec(struct exec_event *event, __u64 id, const struct syscall_enter_ctx *ctx,
				       enum argv_walker walker)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *parent;
	__u64 uid_gid;
	long n;

	event->kind = RECORD_EXEC;
	event->boot_ns = now_ns();
	event->cgroup_id = bpf_get_current_cgroup_id();
	event->pid = id >> 32;
	event->tid = (__u32)id;
	parent = read_kernel(task->real_parent);
	event->ppid = read_kernel(parent->tgid);
	uid_gid = bpf_get_current_uid_gid();
	event->uid = (__u32)uid_gid;
	event->gid = uid_gid >> 32;
	cgroup_names(event->cgroup, event->cgroup_parent, task);

	n = read_user_str(event->filename, sizeof(event->filename), (const char *)ctx->args[0]);
	if (n <= 0) {
		event->filename[0] = 0;
	} else if (n == sizeof(event->filename)) {
		/* 511 bytes and the NUL, or cut: only the byte after tells. */
		char next = 0;

		read_user(&next, 1, (const char *)ctx->args[0] + sizeof(event->filename) - 1);
		if (next)
			event->flags |= EXEC_FILENAME_TRUNCATED;
	}

	read_argv(event, (const char *const *)ctx->args[1], walker);
}

/* The zeroes a cgroup's counts start from: too big for the BPF stack. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exec_count);
} exec_count_zero SEC(".maps");

/* How long execve took, entry to return, by result. Shared and added to atomically: execs are rare. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, struct duration_histogram);
} exec_durations SEC(".maps");

/* The counts of a cgroup, made on its first exec; EXEC_OTHER_CGROUP's are made by the loader. */
static __always_inline struct exec_count *exec_count_of(__u64 cgroup_id)
{
	struct exec_count *count = bpf_map_lookup_elem(&exec_counts, &cgroup_id), *zero;
	__u64 other = EXEC_OTHER_CGROUP;
	__u32 first = 0;

	if (count)
		return count;
	zero = bpf_map_lookup_elem(&exec_count_zero, &first);
	/* Fails when another CPU made it first (found below) or when the map is full. */
	if (zero)
		bpf_map_update_elem(&exec_counts, &cgroup_id, zero, BPF_NOEXIST);
	count = bpf_map_lookup_elem(&exec_counts, &cgroup_id);
	return count ? count : bpf_map_lookup_elem(&exec_counts, &other);
}

/* Atomic: other CPUs count the same cgroup, and a task-work callback may be preempted. */
static __always_inline void count_exec(__u64 cgroup_id, long ret)
{
	struct exec_count *count = exec_count_of(cgroup_id);

	if (!count)
		return;
	if (ret == 0)
		__sync_fetch_and_add(&count->success, 1);
	else
		__sync_fetch_and_add(&count->failure, 1);
}

/* An exec that took ns, by its result. */
static __always_inline void time_exec(__u64 ns, long ret)
{
	__u32 result = ret == 0 ? EXEC_SUCCEEDED : EXEC_FAILED, index = duration_index(ns);
	struct duration_histogram *durations = bpf_map_lookup_elem(&exec_durations, &result);

	if (!durations || index >= HIST_INDEXES)
		return;
	__sync_fetch_and_add(&durations->sum_ns, ns);
	__sync_fetch_and_add(&durations->counts[index], 1);
}

/*
 * Counts and times the result, completes the event in the caller's context
 * after execve returned (the comm is the new one when it succeeded) and
 * returns the size of the record to send.
 */
static __always_inline __u32 finish_exec(struct exec_event *event, long ret)
{
	__u32 size;

	count_exec(event->cgroup_id, ret);
	time_exec(now_ns() - event->boot_ns, ret);
	event->ret = (__s32)ret;
	bpf_get_current_comm(event->comm, sizeof(event->comm));
	size = offsetof(struct exec_event, argv) + event->argv_len;
	return size > sizeof(*event) ? sizeof(*event) : size;
}

/*
 * The status a parent's wait(2) gets: the group's where the process ended
 * in a group exit, else its leader's (which ended last, or before the others).
 */
static __always_inline __u32 exit_status(struct task_struct *leader, struct signal_struct *signal)
{
	if (read_kernel(signal->flags) & SIGNAL_GROUP_EXIT)
		return read_kernel(signal->group_exit_code);
	return read_kernel(leader->exit_code);
}

/* Atomic, as count_exec: a process that ended, and how long it lived. */
static __always_inline void count_exit(__u64 cgroup_id, __u32 status, __u64 lived_ns)
{
	struct exec_count *count = exec_count_of(cgroup_id);
	__u32 index = duration_index(lived_ns);

	if (!count)
		return;
	if (status & 0x7f)
		__sync_fetch_and_add(&count->killed, 1);
	else if (status)
		__sync_fetch_and_add(&count->failed, 1);
	else
		__sync_fetch_and_add(&count->exited, 1);
	__sync_fetch_and_add(&count->lifetime_ns, lived_ns);
	if (index < HIST_INDEXES)
		__sync_fetch_and_add(&count->lifetimes[index], 1);
}

/*
 * Processes already reported, by pid and start time (unique even where a
 * PID is reused). Threads that end at once may all find no thread left
 * alive: the first to claim the process here reports it. LRU: claims are
 * never removed, and only the last microseconds' ever matter.
 */
#define EEXIST 17

struct exit_claim {
	__u64 start_ns;
	__u32 pid;
	__u32 _pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 4096);
	__type(key, struct exit_claim);
	__type(value, __u8);
} exit_claims SEC(".maps");

/*
 * An exit record is built here: it does not fit the BPF stack. (Programs
 * do not nest on a CPU: the kernel skips a program's run while it runs.)
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct exit_event);
} exit_scratch SEC(".maps");

/*
 * At sched_process_exit, in the context of the thread that ends, before it
 * leaves its cgroup: counts and reports the process once its last thread
 * ends (signal->live, decremented before the tracepoint, is then 0).
 */
static __always_inline void thread_exiting(void *ctx, struct task_struct *task)
{
	struct signal_struct *signal = read_kernel(task->signal);
	struct task_struct *leader, *parent;
	struct exit_claim claim = {};
	struct exit_event *event;
	__u32 status, zero = 0;
	__u64 cgroup_id, id, now;
	__u8 claimed = 1;

	if (read_kernel(signal->live.counter) != 0)
		return;
	leader = read_kernel(task->group_leader);
	id = bpf_get_current_pid_tgid();
	claim.pid = id >> 32;
	/* start_boottime is there on every kernel with the boot clock (5.8). */
	claim.start_ns = kernel_has(KERNEL_BOOT_CLOCK) ? read_kernel(leader->start_boottime)
						       : read_kernel(leader->start_time);
	/* Any other failure reports it: a rare second record rather than a lost count. */
	if (bpf_map_update_elem(&exit_claims, &claim, &claimed, BPF_NOEXIST) == -EEXIST)
		return;
	status = exit_status(leader, signal);
	cgroup_id = bpf_get_current_cgroup_id();
	now = now_ns();
	count_exit(cgroup_id, status, now - claim.start_ns);

	event = bpf_map_lookup_elem(&exit_scratch, &zero);
	if (!event)
		return;
	event->kind = RECORD_EXIT;
	event->status = status;
	event->boot_ns = now;
	event->start_ns = claim.start_ns;
	event->cgroup_id = cgroup_id;
	event->pid = claim.pid;
	event->tid = (__u32)id;
	parent = read_kernel(leader->real_parent);
	event->ppid = read_kernel(parent->tgid);
	event->uid = (__u32)bpf_get_current_uid_gid();
	bpf_get_current_comm(event->comm, sizeof(event->comm));
	cgroup_names(event->cgroup, event->cgroup_parent, task);
	emit(ctx, &exec_events, &exec_perf, event, sizeof(*event), event->boot_ns, DROP_EXIT_BUFFER_FULL);
}

/* A raw tracepoint on every kernel: it only reads the task, through read_kernel. */
SEC("raw_tp/sched_process_exit")
int bpfscope_exited(__u64 *ctx)
{
	thread_exiting(ctx, (struct task_struct *)ctx[0]);
	return 0;
}

#endif
