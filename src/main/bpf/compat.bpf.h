/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The loader's settings (".rodata.config") and the helpers whose kernel
 * version differs, each taking the path probe_config.kernel says the
 * running kernel has. The settings are read-only and frozen before load, so
 * the verifier knows every flag and never walks the branch not taken: a
 * helper the kernel lacks may stand there, and is removed as dead code.
 */
#ifndef BPFSCOPE_COMPAT_BPF_H
#define BPFSCOPE_COMPAT_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfscope.h"

/*
 * The loader always writes these; the defaults are a recent kernel's, for
 * tools that load an object as it is built (bench/ref/attach.c).
 */
const volatile struct probe_config probe_config SEC(".rodata.config") = {
	.wakeup_interval_ns = 5000000,
	.wakeup_bytes = 1 << 20,
	.kernel = KERNEL_BOOT_CLOCK | KERNEL_PROBE_READ_USER | KERNEL_TASK_BTF | KERNEL_MMAPABLE,
};

static __always_inline int kernel_has(enum bpfscope_kernel_has feature)
{
	return probe_config.kernel & feature;
}

/* Nanoseconds since boot; since the last boot without time asleep where the kernel has no boot clock. */
static __always_inline __u64 now_ns(void)
{
	return kernel_has(KERNEL_BOOT_CLOCK) ? bpf_ktime_get_boot_ns() : bpf_ktime_get_ns();
}

static __always_inline long read_user(void *dst, __u32 size, const void *src)
{
	return kernel_has(KERNEL_PROBE_READ_USER) ? bpf_probe_read_user(dst, size, src) : bpf_probe_read(dst, size, src);
}

static __always_inline long read_user_str(void *dst, __u32 size, const void *src)
{
	return kernel_has(KERNEL_PROBE_READ_USER) ? bpf_probe_read_user_str(dst, size, src)
						  : bpf_probe_read_str(dst, size, src);
}

static __always_inline long read_kernel_str(void *dst, __u32 size, const void *src)
{
	return kernel_has(KERNEL_PROBE_READ_USER) ? bpf_probe_read_kernel_str(dst, size, src)
						  : bpf_probe_read_str(dst, size, src);
}

/*
 * The value of a kernel struct's field, relocated by CO-RE, through a
 * pointer the verifier cannot follow itself (bpf_get_current_task, raw
 * tracepoint arguments).
 */
#define read_kernel(field)                                                                        \
	({                                                                                        \
		typeof(field) __value = 0;                                                        \
		if (kernel_has(KERNEL_PROBE_READ_USER))                                           \
			bpf_probe_read_kernel(&__value, sizeof(__value),                          \
					      __builtin_preserve_access_index(&(field)));         \
		else                                                                              \
			bpf_probe_read(&__value, sizeof(__value),                                 \
				       __builtin_preserve_access_index(&(field)));                \
		__value;                                                                          \
	})

#endif
