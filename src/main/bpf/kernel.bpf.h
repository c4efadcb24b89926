/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The few kernel types the programs read, instead of a generated vmlinux.h.
 *
 * task_struct is relocated by CO-RE against the running kernel's BTF, so only
 * the fields used are declared. The syscall tracepoint contexts are the
 * record formats tracefs publishes (events/syscalls/sys_enter_* /format),
 * a stable ABI: common header, syscall number, then the arguments or the
 * return value, each widened to 64 bits.
 */
#ifndef BPFSCOPE_KERNEL_BPF_H
#define BPFSCOPE_KERNEL_BPF_H

struct task_struct {
	struct task_struct *real_parent;
	struct task_struct *group_leader;
	void *stack;
	int pid;
	int tgid;
	int exit_code;
	__u64 start_time;     /* CLOCK_MONOTONIC */
	__u64 start_boottime; /* CLOCK_BOOTTIME (5.5; real_start_time before) */
	struct css_set *cgroups;
	struct signal_struct *signal;
} __attribute__((preserve_access_index));

/*
 * What a task's threads share: live counts the threads not yet exiting;
 * a group exit (exit_group(2), a fatal signal) gives every thread the same
 * group_exit_code.
 */
struct signal_struct {
	struct {
		int counter;
	} live;
	int group_exit_code;
	unsigned int flags;
} __attribute__((preserve_access_index));

#define SIGNAL_GROUP_EXIT 0x00000004

/* A task's cgroups; dfl_cgrp is its cgroup in the cgroup2 hierarchy, whose directory is kn. */
struct css_set {
	struct cgroup *dfl_cgrp;
} __attribute__((preserve_access_index));

struct cgroup {
	struct kernfs_node *kn;
} __attribute__((preserve_access_index));

struct kernfs_node {
	const char *name;
	struct kernfs_node *parent;
} __attribute__((preserve_access_index));

/* kernfs_node.parent became __parent when it came under RCU (6.15). */
struct kernfs_node___rcu {
	struct kernfs_node *__parent;
} __attribute__((preserve_access_index));

/*
 * Kernel stacks are whole pages, at least 4 KiB, so no two share an aligned
 * 4 KiB; none is larger than 64 KiB (arm64 with 64 KiB pages; x86-64 has 16,
 * or 32 with KASAN).
 */
#define KSTACK_UNIT_SHIFT 12
#define KSTACK_MAX_UNITS 16

struct syscall_enter_ctx {
	__u64 common;
	__s64 nr;
	__u64 args[6];
};

struct syscall_exit_ctx {
	__u64 common;
	__s64 nr;
	__s64 ret;
};

/*
 * The saved user registers of a task (bpf_task_pt_regs): the system call's
 * return value is in ax on x86-64. The ___x86 suffix is dropped by CO-RE
 * when it relocates against the kernel's struct pt_regs.
 */
struct pt_regs___x86 {
	unsigned long ax;
} __attribute__((preserve_access_index));

/*
 * BPF task work (kernel 6.18): a callback run in a task's own context when
 * it next returns to user space. libbpf 1.1 matches a kfunc's prototype
 * kind by kind and takes a forward declaration for a different kind than
 * the kernel's struct, so bpf_map is declared with a (never read) field.
 */
struct bpf_map {
	__u32 id;
} __attribute__((preserve_access_index));

struct bpf_task_work {
	__u64 opaque;
};

typedef int (*bpf_task_work_callback_t)(struct bpf_map *map, void *key, void *value);

extern int bpf_task_work_schedule_resume_impl(struct task_struct *task, struct bpf_task_work *work,
					      void *map__map, bpf_task_work_callback_t callback,
					      void *aux__prog) __ksym;

#endif
