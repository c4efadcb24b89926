/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * Shared between bench/bpf/ref.bpf.c (producer) and bench/ref/ref_consumer.c
 * (consumer): one definition of the record, so the two sides cannot drift.
 */
#ifndef BENCH_REF_H
#define BENCH_REF_H

#include <linux/types.h>

/* Ring buffer data size. 4 MiB: ~75k records of 56 bytes (48 + the 8-byte
 * ring header), i.e. a few tens of ms of a tight write loop, so a consumer
 * that drains every millisecond never comes close to filling it. */
#define REF_RINGBUF_BYTES (4u << 20)

/* One record per write(2) by the target process. Exactly 48 bytes, laid
 * out without implicit padding so both compilers agree on every offset. */
struct ref_write_rec {
	__u64 boot_ns;   /* bpf_ktime_get_boot_ns() at sys_enter_write */
	__u32 pid;       /* tgid, what user space calls the PID */
	__u32 tid;       /* kernel task id, what user space calls the TID */
	__u64 count;     /* the write's byte count argument */
	__s32 fd;        /* the write's fd argument */
	__u32 pad;       /* explicit, zeroed: no kernel stack bytes leak out */
	char comm[16];   /* TASK_COMM_LEN */
};

_Static_assert(sizeof(struct ref_write_rec) == 48, "ref_write_rec must be 48 bytes");

#endif
