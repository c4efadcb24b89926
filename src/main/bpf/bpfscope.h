/* SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause */
/*
 * The records bpfscope's BPF programs write and the Java decoders read.
 * This header is the one source of the layout: io.bpfscope.event's
 * WriteEventLayout, ExecEventLayout and ExitEventLayout mirror it field by
 * field, and LayoutMatchesBtfTest checks them against the BTF clang emits for
 * these structs.
 *
 * Every field is naturally aligned and padding is explicit, so the layout is
 * the same on every 64-bit architecture and needs no packing pragmas.
 */
#ifndef BPFSCOPE_H
#define BPFSCOPE_H

#define BPFSCOPE_COMM_LEN 16
/* Longer filenames are cut and flagged EXEC_FILENAME_TRUNCATED. */
#define BPFSCOPE_FILENAME_LEN 512
/*
 * Longer cgroup names are cut: the longest a runtime makes, containerd's
 * "kubepods-besteffort-pod<UID>.slice:cri-containerd:<ID>", takes 145.
 */
#define BPFSCOPE_CGROUP_NAME_LEN 192
/* Bytes of NUL-separated arguments one exec record carries at most. */
#define BPFSCOPE_ARGV_LEN 4096
/* Arguments one exec record carries at most. */
#define BPFSCOPE_ARGV_MAX_ARGS 128

/*
 * The PID filter is a bitmap over every possible PID (PID_MAX_LIMIT on
 * 64-bit, 4194304), so raising kernel.pid_max at run time cannot index past
 * it: 65536 u64 words a half, two halves (see write.bpf.c).
 */
#define BPFSCOPE_PID_FILTER_WORDS 65536
#define BPFSCOPE_PID_LIMIT (BPFSCOPE_PID_FILTER_WORDS * 64)
/*
 * followChildren's set: a byte per PID, eight to a u64 word, so the kernel
 * and user space each set and clear a PID's flag with a plain byte store.
 * Bits would need atomic and/or, which kernels before 5.12 lack.
 */
#define BPFSCOPE_PID_CHILDREN_WORDS (BPFSCOPE_PID_LIMIT / 8)
/*
 * Where arrays cannot be mapped into user space (no KERNEL_MMAPABLE), the
 * same set as the keys of a hash, which holds at most this many.
 */
#define BPFSCOPE_CHILD_PIDS_MAX 65536

/* exec_event.flags */
#define EXEC_ARGV_TRUNCATED 1
#define EXEC_FILENAME_TRUNCATED 2

/* Indexes of the drop_counts array each object keeps (drops.bpf.h). */
enum bpfscope_drop {
	DROP_BUFFER_FULL = 0,   /* no room in the ring (or perf) buffer for the object's main record (write, exec) */
	DROP_EXEC_UNMATCHED = 1, /* execve returned but its entry record was evicted */
	DROP_EXEC_UNTRACKED = 2, /* no room to follow an execve to its result: neither counted nor sent */
	DROP_CHILD_UNFOLLOWED = 3, /* followChildren's set was full: a traced process's child is not traced */
	DROP_EXIT_BUFFER_FULL = 4, /* no room in the exec object's buffer for an exit record */
	DROP_REASONS = 5,
};

/* One write(2) by a traced process, emitted at sys_enter_write. 56 bytes. */
struct write_event {
	__u64 boot_ns;                  /*  0: bpf_ktime_get_boot_ns() */
	__u32 pid;                      /*  8: thread group id */
	__u32 tid;                      /* 12 */
	__u64 count;                    /* 16: bytes requested */
	__s32 fd;                       /* 24 */
	__u32 _pad;                     /* 28 */
	char comm[BPFSCOPE_COMM_LEN];   /* 32 */
	__u64 cgroup_id;                /* 48: the writer's cgroup (v2) */
};

/*
 * The first field of every record in the exec ring buffer, which carries
 * two kinds: which struct the record is.
 */
enum bpfscope_record {
	RECORD_EXEC = 1,
	RECORD_EXIT = 2,
};

/*
 * One execve(2), emitted once its result is known, with the arguments
 * captured at sys_enter_execve. The record on the wire stops after argv_len bytes of
 * argv: readers must not read past offsetof(argv) + argv_len.
 */
struct exec_event {
	__u32 kind;                          /*  0: RECORD_EXEC */
	__u32 flags;                         /*  4: EXEC_* */
	__u64 boot_ns;                       /*  8: at sys_enter_execve */
	__u64 cgroup_id;                     /* 16 */
	__u32 pid;                           /* 24 */
	__u32 tid;                           /* 28: the tid that called execve */
	__u32 ppid;                          /* 32 */
	__u32 uid;                           /* 36 */
	__u32 gid;                           /* 40 */
	__s32 ret;                           /* 44: 0 or -errno */
	__u32 argc;                          /* 48: arguments in argv */
	__u32 argv_len;                      /* 52: bytes used in argv */
	char comm[BPFSCOPE_COMM_LEN];        /* 56: after the exec when it succeeded */
	/* The names of the caller's cgroup (cgroup2) and of its parent: they say
	 * which container and pod, even once the cgroup is gone. */
	char cgroup[BPFSCOPE_CGROUP_NAME_LEN];        /*  72 */
	char cgroup_parent[BPFSCOPE_CGROUP_NAME_LEN]; /* 264 */
	char filename[BPFSCOPE_FILENAME_LEN]; /* 456: NUL-terminated */
	char argv[BPFSCOPE_ARGV_LEN];        /* 968: argc NUL-terminated strings */
};

/*
 * A process ended: emitted when its last thread exits, so a
 * multi-threaded process is one record, whichever thread ends last.
 */
struct exit_event {
	__u32 kind;                          /*  0: RECORD_EXIT */
	__u32 status;                        /*  4: as wait(2) reports it: code << 8, or the signal (| 0x80: core dumped) */
	__u64 boot_ns;                       /*  8: at the exit */
	__u64 start_ns;                      /* 16: when the process started (forked), on boot_ns's clock */
	__u64 cgroup_id;                     /* 24 */
	__u32 pid;                           /* 32 */
	__u32 tid;                           /* 36: the thread that ended last */
	__u32 ppid;                          /* 40 */
	__u32 uid;                           /* 44 */
	char comm[BPFSCOPE_COMM_LEN];        /* 48 */
	char cgroup[BPFSCOPE_CGROUP_NAME_LEN];        /*  64: as in exec_event */
	char cgroup_parent[BPFSCOPE_CGROUP_NAME_LEN]; /* 256 */
};

/*
 * What the loader found the running kernel to offer (probe_config.kernel),
 * each with a path for kernels without it (see compat.bpf.h).
 */
enum bpfscope_kernel_has {
	KERNEL_BOOT_CLOCK = 1,      /* bpf_ktime_get_boot_ns (5.8) */
	KERNEL_PROBE_READ_USER = 2, /* bpf_probe_read_{user,kernel}{,_str} (5.5) */
	KERNEL_TASK_BTF = 4,        /* bpf_get_current_task_btf and task storage (5.11), with kernel BTF */
	KERNEL_MMAPABLE = 8,        /* arrays user space maps into its memory (BPF_F_MMAPABLE, 5.5) */
};

/*
 * Settings the loader writes into each object's ".rodata.config" before
 * load (see compat.bpf.h); constant for the verifier, so the paths not taken
 * are pruned before the kernel looks at their helpers. Mirrored by
 * io.bpfscope.probe.ProbeSettings.
 */
struct probe_config {
	__u64 wakeup_interval_ns; /*  0: wake the reader for records after this long without a wakeup */
	__u64 wakeup_bytes;       /*  8: and whenever this much is waiting in the ring buffer */
	__u32 use_perf;           /* 16: 1: perf buffer output instead of the ring buffer */
	__u32 count_slots;        /* 20: write: (comm, cgroup) pairs counted apart; slot count_slots is "_other" */
	__u32 kernel;             /* 24: enum bpfscope_kernel_has */
	__u32 write_latency;      /* 28: write: 1 to time every write(2), entry to exit */
};

/* Key of "count_slots" (comm and cgroup -> slot). */
struct count_key {
	char comm[BPFSCOPE_COMM_LEN];
	__u64 cgroup_id;
};

/*
 * Histograms: log2 buckets with upper-inclusive bounds, bucket k holding the
 * values in (2^(k-1), 2^k] of its unit, which are exactly the buckets of a
 * Prometheus native histogram of schema 0. Counters are by index: 0 for the
 * value zero, k + 1 for bucket k. Sizes are in bytes (k = 0..64); durations
 * in units of 2^-30 s (k = 1..65, bucket k ending at 2^(k-30) seconds), so
 * their buckets are powers of two of seconds too. See histogram.bpf.h.
 */
#define HIST_INDEXES 67

/*
 * Write sizes up to 64 KiB (indexes 0..17) count per CPU with the writes'
 * bytes; larger ones, whose copying dwarfs an atomic add, in a shared tail
 * per slot (slot_size_tails), so a slot's per-CPU value stays small.
 */
#define WRITE_SIZE_DENSE 18
#define WRITE_SIZE_TAIL (HIST_INDEXES - WRITE_SIZE_DENSE)

/* Value of "slot_counts", per CPU: a slot's writes are the sum of its size buckets. */
struct write_count {
	__u64 bytes;
	__u64 sizes[WRITE_SIZE_DENSE];
};

/* Value of "slot_size_tails": a slot's writes of indexes WRITE_SIZE_DENSE and up. */
struct write_size_tail {
	__u64 sizes[WRITE_SIZE_TAIL];
};

/*
 * Write durations (probe_config.write_latency): those from 2^-24 s (60 ns)
 * to 1 s, indexes 7..31, count per CPU; shorter and longer ones, which a
 * write on this path hardly takes (or takes long enough not to mind an
 * atomic add), in a shared tail per slot.
 */
#define WRITE_LATENCY_FIRST 7
#define WRITE_LATENCY_DENSE 25
#define WRITE_LATENCY_TAIL (HIST_INDEXES - WRITE_LATENCY_DENSE)

/* Value of "slot_latencies", per CPU. */
struct write_latency {
	__u64 sum_ns;
	__u64 durations[WRITE_LATENCY_DENSE];   /* indexes WRITE_LATENCY_FIRST.. */
};

/* Value of "slot_latency_tails": indexes below WRITE_LATENCY_FIRST, then those past the dense ones. */
struct write_latency_tail {
	__u64 durations[WRITE_LATENCY_TAIL];
};

/*
 * Key of "write_errors" (per CPU): failed writes by slot and errno. Past the
 * map's size they count under the "_other" slot with errno 0, made by the loader.
 */
struct write_error_key {
	__u32 slot;
	__u32 errno_value;
};

/*
 * execs and exits by cgroup ("exec_counts"): at most this many cgroups, then under
 * the cgroup id EXEC_OTHER_CGROUP, which no cgroup has.
 */
#define BPFSCOPE_EXEC_CGROUPS_MAX 8192
#define EXEC_OTHER_CGROUP 0

/*
 * execve results, and process exits by how they ended (exit_event.status),
 * with how long the processes lived: from their start (fork) to the exit of
 * their last thread, in duration buckets (see HIST_INDEXES).
 */
struct exec_count {
	__u64 success;
	__u64 failure;
	__u64 exited;   /* exit code 0 */
	__u64 failed;   /* another exit code */
	__u64 killed;   /* by a signal */
	__u64 lifetime_ns;                 /* the sum of the lifetimes */
	__u64 lifetimes[HIST_INDEXES];
};

/* "exec_durations", by result: EXEC_SUCCEEDED or EXEC_FAILED. */
#define EXEC_SUCCEEDED 0
#define EXEC_FAILED 1

/* How long things took, in duration buckets (see HIST_INDEXES), and the sum. */
struct duration_histogram {
	__u64 sum_ns;
	__u64 counts[HIST_INDEXES];
};

#endif
