/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The "drops" map every bpfscope object has: per-CPU counts of records its
 * programs could not deliver, by enum bpfscope_drop. The kernel counts no
 * failed ring buffer reserve, so the programs count them here and the daemon
 * exports the sums: nothing is lost without being counted.
 */
#ifndef BPFSCOPE_DROPS_BPF_H
#define BPFSCOPE_DROPS_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfscope.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, DROP_REASONS);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

static __always_inline void count_drop(__u32 reason)
{
	__u64 *dropped = bpf_map_lookup_elem(&drops, &reason);

	if (dropped)
		(*dropped)++;
}

#endif
