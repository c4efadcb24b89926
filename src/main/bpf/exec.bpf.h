/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * execve, shared by the two ways of learning its result (exec.bpf.c and
 * exec_tp.bpf.c): the filename and arguments are read at sys_enter_execve,
 * while the caller's memory still holds them, and parked per thread until
 * the result is known, so failed execs are reported with their error and
 * successful ones with the new comm.
 */
#ifndef BPFSCOPE_EXEC_BPF_H
#define BPFSCOPE_EXEC_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include "kernel.bpf.h"
#include "bpfscope.h"
#include "emit.bpf.h"

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
 * The names of the caller's cgroup and of its parent, left empty where they
 * cannot be read (the root has no parent).
 */
static __always_inline void cgroup_names(struct exec_event *event, struct task_struct *task)
{
	struct css_set *cgroups = read_kernel(task->cgroups);
	struct cgroup *cgroup = read_kernel(cgroups->dfl_cgrp);
	struct kernfs_node *node = read_kernel(cgroup->kn), *parent;

	if (read_kernel_str(event->cgroup, sizeof(event->cgroup), read_kernel(node->name)) < 0)
		event->cgroup[0] = 0;
	if (bpf_core_field_exists(node->parent))
		parent = read_kernel(node->parent);
	else
		parent = read_kernel(((struct kernfs_node___rcu *)node)->__parent);
	if (!parent || read_kernel_str(event->cgroup_parent, sizeof(event->cgroup_parent), read_kernel(parent->name)) < 0)
		event->cgroup_parent[0] = 0;
}

/* Fills a zeroed event with the caller and what it asks to run (at sys_enter_execve). */
static __always_inline void begin_exec(struct exec_event *event, __u64 id, const struct syscall_enter_ctx *ctx,
				       enum argv_walker walker)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	struct task_struct *parent;
	__u64 uid_gid;
	long n;

	event->boot_ns = now_ns();
	event->cgroup_id = bpf_get_current_cgroup_id();
	event->pid = id >> 32;
	event->tid = (__u32)id;
	parent = read_kernel(task->real_parent);
	event->ppid = read_kernel(parent->tgid);
	uid_gid = bpf_get_current_uid_gid();
	event->uid = (__u32)uid_gid;
	event->gid = uid_gid >> 32;
	cgroup_names(event, task);

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

/* The counts of a cgroup, made on its first exec; EXEC_OTHER_CGROUP's are made by the loader. */
static __always_inline struct exec_count *exec_count_of(__u64 cgroup_id)
{
	struct exec_count *count = bpf_map_lookup_elem(&exec_counts, &cgroup_id), zero = {};
	__u64 other = EXEC_OTHER_CGROUP;

	if (count)
		return count;
	/* Fails when another CPU made it first (found below) or when the map is full. */
	bpf_map_update_elem(&exec_counts, &cgroup_id, &zero, BPF_NOEXIST);
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

/*
 * Counts the result, completes the event in the caller's context after
 * execve returned (the comm is the new one when it succeeded) and returns
 * the size of the record to send.
 */
static __always_inline __u32 finish_exec(struct exec_event *event, long ret)
{
	__u32 size;

	count_exec(event->cgroup_id, ret);
	event->ret = (__s32)ret;
	bpf_get_current_comm(event->comm, sizeof(event->comm));
	size = offsetof(struct exec_event, argv) + event->argv_len;
	return size > sizeof(*event) ? sizeof(*event) : size;
}

#endif
