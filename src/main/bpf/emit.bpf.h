/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * Record output shared by the programs: to a BPF ring buffer, or to a
 * per-CPU perf buffer on kernels without ring buffers (before 5.8) or by
 * choice, as probe_config.use_perf says. In perf mode the ring buffer map is
 * not created, and the ring buffer helpers are dead code.
 *
 * A consumer wakeup costs more than the write(2) being traced, so records
 * do not wake the reader one by one: a record wakes it only when the ring
 * holds wakeup_bytes, or when no wakeup happened for wakeup_interval_ns (so
 * the first record after a quiet spell is seen at once). In between, the
 * reader polls every wakeup_interval. Perf buffers wake by their watermark,
 * set by the reader.
 */
#ifndef BPFSCOPE_EMIT_BPF_H
#define BPFSCOPE_EMIT_BPF_H

#include "compat.bpf.h"
#include "drops.bpf.h"

/* Racy across CPUs on purpose: a lost update costs one extra wakeup. */
__u64 last_wakeup_ns;

static __always_inline __u64 wakeup_flags(void *ring, __u64 now)
{
	if (bpf_ringbuf_query(ring, BPF_RB_AVAIL_DATA) >= probe_config.wakeup_bytes)
		return BPF_RB_FORCE_WAKEUP;
	if (now - last_wakeup_ns >= probe_config.wakeup_interval_ns) {
		last_wakeup_ns = now;
		return BPF_RB_FORCE_WAKEUP;
	}
	return BPF_RB_NO_WAKEUP;
}

/*
 * Sends size bytes of data to the ring buffer; a record that finds no room
 * is counted as a drop of the reason given (which says what kind it was).
 */
static __always_inline void emit_ring(void *ring, void *data, __u64 size, __u64 now, __u32 no_room)
{
	if (bpf_ringbuf_output(ring, data, size, wakeup_flags(ring, now)))
		count_drop(no_room);
}

/*
 * The same to the ring or the perf buffer, as probe_config.use_perf says.
 * A perf buffer with no room also makes the kernel send a lost-record count
 * later; the reader ignores it, as this count already has the record.
 */
static __always_inline void emit(void *ctx, void *ring, void *perf, void *data, __u64 size, __u64 now,
				 __u32 no_room)
{
	if (!probe_config.use_perf)
		emit_ring(ring, data, size, now, no_room);
	else if (bpf_perf_event_output(ctx, perf, BPF_F_CURRENT_CPU, data, size))
		count_drop(no_room);
}

#endif
