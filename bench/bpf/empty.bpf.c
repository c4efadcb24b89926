// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * The floor: an empty program on sys_enter_write.
 *
 * Attaching any program to a syscall tracepoint makes every syscall of every
 * process take the slow (traced) entry path, whether or not the program does
 * any work. No tracepoint-based tool can cost less than this, so the harness
 * reports every other configuration relative to it.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

SEC("tp/syscalls/sys_enter_write")
int bench_empty(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
