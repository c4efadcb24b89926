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
#ifndef BPFSCOPE_KERNEL_H
#define BPFSCOPE_KERNEL_H

struct task_struct {
	struct task_struct *real_parent;
	int pid;
	int tgid;
} __attribute__((preserve_access_index));

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

#endif
