/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The index of a value in bpfscope's log2 histograms (see HIST_INDEXES in
 * bpfscope.h): branch-light, so it costs the write path a dozen
 * instructions, and exact, so every bound is a power of two of the unit.
 */
#ifndef BPFSCOPE_HISTOGRAM_BPF_H
#define BPFSCOPE_HISTOGRAM_BPF_H

#include <linux/types.h>
#include "bpfscope.h"

#define NSEC_PER_SEC 1000000000ULL

/* The number of bits x needs: 0 for 0, 1 for 1, 2 for 2 and 3, ... 64. */
static __always_inline __u32 bit_length(__u64 x)
{
	__u32 n = 0;

	if (x >> 32) {
		x >>= 32;
		n += 32;
	}
	if (x >> 16) {
		x >>= 16;
		n += 16;
	}
	if (x >> 8) {
		x >>= 8;
		n += 8;
	}
	if (x >> 4) {
		x >>= 4;
		n += 4;
	}
	if (x >> 2) {
		x >>= 2;
		n += 2;
	}
	if (x >> 1) {
		x >>= 1;
		n += 1;
	}
	return n + (__u32)x;
}

/*
 * size_index of 0 to 256 bytes, most writes: one load from .rodata instead
 * of bit_length's six steps on every write of the node.
 */
static const __u8 small_size_index[257] = {
	0, 1, 2, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 5, 5, 5,
	5, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6, 6,
	6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
	7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
	7, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8, 8,
	8, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9,
	9,
};

/* Bytes: v in (2^(k-1), 2^k] has k = bit_length(v - 1). */
static __always_inline __u32 size_index(__u64 bytes)
{
	if (bytes <= 256)
		return small_size_index[bytes];
	return bit_length(bytes - 1) + 1;
}

/*
 * Nanoseconds, in buckets of powers of two of seconds: ns in
 * (2^(j-1), 2^j] s. Below a second, counted in units of 2^-30 s rounded up
 * (ns << 30 fits in 64 bits there), else in whole seconds rounded up; both
 * as ceil(a / b) - 1 = (a - 1) / b, which cannot overflow.
 */
static __always_inline __u32 duration_index(__u64 ns)
{
	if (!ns)
		return 0;
	if (ns < NSEC_PER_SEC)
		return bit_length(((ns << 30) - 1) / NSEC_PER_SEC) + 1;
	return bit_length((ns - 1) / NSEC_PER_SEC) + 31;
}

#endif
