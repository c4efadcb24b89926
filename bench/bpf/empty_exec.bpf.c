// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * empty_exec: the floor of a tool that traces writes *and* execs the way
 * bpfscope does: empty programs on sys_enter_write, sys_enter_execve and
 * sys_exit_execve (the empty_exec configuration, run on request with -c).
 *
 * Attaching a program to any sys_exit_* tracepoint also puts every syscall's
 * exit on the traced path, so this says what bpfscope's exec programs cost
 * every write(2) of the machine before they do any work.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_write")
int bench_empty_write(void *ctx)
{
	return 0;
}

SEC("tp/syscalls/sys_enter_execve")
int bench_empty_exec(void *ctx)
{
	return 0;
}

SEC("tp/syscalls/sys_exit_execve")
int bench_empty_exec_x(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
