/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * What every bpfscope object counts of the records its programs could not
 * deliver, by enum bpfscope_drop. The kernel counts no failed ring buffer
 * reserve, so the programs count them here and the daemon both exports the
 * sums and tells its stream clients: nothing is lost without being counted.
 *
 * The counters are global data, not a per-CPU map, so the daemon reads them
 * from its own mapping after every drain at the cost of a memory load
 * (where the kernel cannot map them, one lookup reads them all). Drops only
 * happen when the buffer is already full, so the atomic add shared by CPUs
 * costs nothing on the path that delivers.
 */
#ifndef BPFSCOPE_DROPS_BPF_H
#define BPFSCOPE_DROPS_BPF_H

#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "bpfscope.h"

__u64 drop_counts[DROP_REASONS] SEC(".data.drops");

static __always_inline void count_drop(__u32 reason)
{
	if (reason < DROP_REASONS)
		__sync_fetch_and_add(&drop_counts[reason], 1);
}

#endif
