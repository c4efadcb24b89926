// SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
/*
 * sys_enter_write: counts every write on the node per comm, and streams a
 * record for the processes in the PID filter. This runs on every write(2)
 * of the machine, so it does the least it can: one comm copy, one per-CPU
 * hash lookup, two inlined array lookups for the filter, and a ring buffer
 * record only for traced processes.
 *
 * Two ways of knowing threads, as the kernel allows (KERNEL_TASK_BTF): with
 * BTF task pointers, task storage and tp_btf programs on 5.11+; before that,
 * a hash by thread id, CO-RE reads and raw tracepoints. The loader sets the
 * flag and loads only the hook programs of the way taken.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "kernel.bpf.h"
#include "bpfscope.h"
#include "emit.bpf.h"
#include "histogram.bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/*
 * Counting per comm and cgroup (the cgroup says which container), in two
 * steps so the common case is cheap: each thread carries its pair's slot
 * (in task storage, or in thread_slots), and the counts are a per-CPU array
 * indexed by slot. Only a thread's first write, or its first after a comm
 * change or a move to another cgroup, reads its comm and cgroup and finds
 * or assigns the slot in count_slots. Free slots wait in free_slots, put
 * there by the loader and again by user space when it retires the pairs of
 * a cgroup that is gone; when none is free, a pair shares the last slot,
 * "_other" (probe_config.count_slots), so totals stay exact.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 512);
	__type(key, struct count_key);
	__type(value, __u32);
} count_slots SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 513);
	__type(key, __u32);
	__type(value, struct write_count);
} slot_counts SEC(".maps");

/* The writes over 64 KiB of each slot, sized with slot_counts by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 513);
	__type(key, __u32);
	__type(value, struct write_size_tail);
} slot_size_tails SEC(".maps");

/* Sized with count_slots by the loader. A pop is atomic on every kernel this runs on (4.20). */
struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__uint(max_entries, 512);
	__type(value, __u32);
} free_slots SEC(".maps");

/*
 * Write latency (probe_config.write_latency): each thread's write in flight
 * (when it entered, and the slot it counts in) from sys_enter_write to
 * sys_exit_write, kept in task storage, or by thread id where there is none
 * (LRU: a thread evicted while in a write goes untimed, never mistimed);
 * the durations by slot, per CPU and in a tail (see struct write_latency);
 * and the failed writes by slot and errno. The loader creates these maps
 * and loads the exit program only when latency is on.
 */
struct write_start {
	__u64 ns;
	__u32 slot;
	__u32 _pad;
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct write_start);
} task_write_starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct write_start);
} thread_write_starts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 513);
	__type(key, __u32);
	__type(value, struct write_latency);
} slot_latencies SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 513);
	__type(key, __u32);
	__type(value, struct write_latency_tail);
} slot_latency_tails SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 16384);
	__type(key, struct write_error_key);
	__type(value, __u64);
} write_errors SEC(".maps");

/* A thread's slot, and the cgroup_moves it was found in. */
struct thread_slot {
	__u32 slot;
	__u32 moves;
};

/*
 * Bumped whenever a task moves to another cgroup: the kernel reports a
 * process's move once, with its leader, so its other threads learn of it by
 * finding their slot older than this.
 */
__u32 cgroup_moves;

/* A thread's slot, with KERNEL_TASK_BTF: freed by the kernel with the task. */
struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct thread_slot);
} task_slots SEC(".maps");

/*
 * A thread's slot, without: by thread id, removed when the thread ends. LRU,
 * so an entry whose removal was missed is evicted rather than leaked; an
 * evicted thread finds its slot again on its next write.
 */
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 65536);
	__type(key, __u32);
	__type(value, struct thread_slot);
} thread_slots SEC(".maps");

/*
 * Even the task-storage lookup and the filter check are too dear for every
 * write: each CPU remembers the last thread it saw, that thread's slot and
 * whether it is traced. The entry is trusted while the cache_epoch it was
 * made in holds.
 *
 * The thread is known without a helper call (one costs about as much as all
 * the rest of the untraced path, see bench/README.md): the tracepoint's
 * context lies on the writing thread's kernel stack (the kernel builds it in
 * a local variable of the syscall tracepoint's BPF caller), and an aligned
 * 4 KiB of a kernel stack belongs to one live thread. Those 4 KiB, not the
 * address: the kernel may randomize the stack offset at every syscall. A
 * stack is freed and reused only after its thread exited, which bumps the
 * epoch, so equal 4 KiB in the same epoch are the same thread. The program
 * checks, when it fills an entry, that the context is within the current
 * thread's stack; on a kernel where it is not, it never trusts an entry and
 * every write takes the full path: slower, never wrong. (Not the program's
 * own stack address: the JIT may give tracing programs a private per-CPU
 * stack, the same for every thread.)
 */
struct last_counted {
	__u64 context;
	__u64 stack_unit;
	__u64 epoch;
	__u32 slot;
	__u32 traced;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct last_counted);
} last_counted SEC(".maps");

/*
 * Bumped by everything that can make a CPU's last_counted wrong: a change of
 * who is traced (by user space, by the fork and exit programs), a comm
 * change (rename) and the end of any thread (its kernel stack may then serve
 * another). One word for all, so a write checks one; a global in a section
 * of its own (a one-word map user space maps, or updates by system call
 * where the kernel cannot map it), so a write reads it with one load instead
 * of a map lookup. Only its changes matter, never its value.
 */
__u64 cache_epoch SEC(".data.epoch");

/*
 * The PID filter: a bitmap over pid_max, twice. pid_filter_base[0] holds the
 * index of the first word of the half in force, so user space rewrites the
 * other half and switches with one 32-bit store; a program sees either the
 * old set or the new one, never a mix.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2 * BPFSCOPE_PID_FILTER_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} pid_filter SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} pid_filter_base SEC(".maps");

/*
 * followChildren: processes forked by a traced process, set here by the
 * kernel at fork and cleared at exit, a byte per PID (see bpfscope.h; not
 * double-buffered: each flag is one byte store). User space maps it to read
 * it, and clears the flags of PIDs it is told to stop tracing.
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, BPFSCOPE_PID_CHILDREN_WORDS);
	__type(key, __u32);
	__type(value, __u64);
} pid_children SEC(".maps");

/*
 * The same set where user space cannot map an array (no KERNEL_MMAPABLE):
 * PIDs as keys, which user space reads and deletes one system call each.
 * Clearing a byte in a word it read and wrote back would race with the
 * kernel setting another PID's byte in the same word.
 */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, BPFSCOPE_CHILD_PIDS_MAX);
	__type(key, __u32);
	__type(value, __u8);
} child_pids SEC(".maps");

/* 1 while followChildren is on; written by user space. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u32);
} follow_children SEC(".maps");

/* max_entries (bytes, a power of two) is set by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 22);
} write_events SEC(".maps");

/* The same records when probe_config.use_perf is set. */
struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} write_perf SEC(".maps");

/* The slot of the current thread's comm and cgroup: found, or assigned on the pair's first write. */
static __noinline __u32 count_slot(void)
{
	struct count_key key = {};
	__u32 *known, slot;

	bpf_get_current_comm(key.comm, sizeof(key.comm));
	key.cgroup_id = bpf_get_current_cgroup_id();
	known = bpf_map_lookup_elem(&count_slots, &key);
	if (known)
		return *known;
	if (bpf_map_pop_elem(&free_slots, &slot))
		return probe_config.count_slots;
	if (bpf_map_update_elem(&count_slots, &key, &slot, BPF_NOEXIST)) {
		/* Another CPU assigned this pair first: the slot goes back. */
		bpf_map_push_elem(&free_slots, &slot, 0);
		known = bpf_map_lookup_elem(&count_slots, &key);
		slot = known ? *known : probe_config.count_slots;
	}
	return slot;
}

/* A thread's slot as it keeps it: found again when it moved cgroups since. */
static __always_inline __u32 kept_slot(struct thread_slot *kept)
{
	__u32 moves = *(volatile __u32 *)&cgroup_moves;

	if (kept->moves != moves) {
		kept->moves = moves;
		kept->slot = count_slot();
	}
	return kept->slot;
}

/* followChildren's flag of pid, as a pointer to its byte (NULL past the map). */
static __always_inline __u8 *child_flag(__u32 pid)
{
	__u32 index = (pid >> 3) & (BPFSCOPE_PID_CHILDREN_WORDS - 1);
	__u8 *word = bpf_map_lookup_elem(&pid_children, &index);

	return word ? word + (pid & 7) : NULL;
}

static __always_inline int is_child(__u32 pid)
{
	__u8 *flag;

	if (!kernel_has(KERNEL_MMAPABLE))
		return bpf_map_lookup_elem(&child_pids, &pid) != NULL;
	flag = child_flag(pid);
	return flag && *(volatile __u8 *)flag;
}

static __always_inline int pid_traced(__u32 pid)
{
	__u32 zero = 0, index;
	__u32 *base;
	__u64 *word;

	base = bpf_map_lookup_elem(&pid_filter_base, &zero);
	if (!base)
		return 0;
	index = *base + ((pid >> 6) & (BPFSCOPE_PID_FILTER_WORDS - 1));
	word = bpf_map_lookup_elem(&pid_filter, &index);
	if (word && (*word >> (pid & 63)) & 1)
		return 1;
	return is_child(pid);
}

/*
 * The 4 KiB unit of kernel stack the tracepoint context is on. The verifier
 * forbids arithmetic on a context pointer but lets a privileged program
 * store it: read back from the map, it is a number.
 */
static __always_inline __u64 context_unit(struct last_counted *last, void *ctx)
{
	last->context = (__u64)ctx;
	return *(volatile __u64 *)&last->context >> KSTACK_UNIT_SHIFT;
}

/* Whether unit (see context_unit) is one of the kernel stack at stack. */
static __always_inline int on_stack(__u64 stack, __u64 unit)
{
	return unit - (stack >> KSTACK_UNIT_SHIFT) < KSTACK_MAX_UNITS;
}

/*
 * What a write needs to know of the current thread when the CPU's cache
 * does not hold it, found the way the kernel allows (KERNEL_TASK_BTF).
 */
struct current_thread {
	__u64 stack;
	__u32 tgid;
	__u32 slot;
};

static __always_inline struct current_thread current_thread(void)
{
	struct current_thread thread;
	struct thread_slot *cached, fresh;

	if (kernel_has(KERNEL_TASK_BTF)) {
		struct task_struct *task = bpf_get_current_task_btf();

		cached = bpf_task_storage_get(&task_slots, task, 0, 0);
		if (cached) {
			thread.slot = kept_slot(cached);
		} else {
			fresh.moves = *(volatile __u32 *)&cgroup_moves;
			fresh.slot = count_slot();
			thread.slot = fresh.slot;
			cached = bpf_task_storage_get(&task_slots, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
			if (cached)
				*cached = fresh;
		}
		thread.tgid = task->tgid;
		thread.stack = (__u64)task->stack;
	} else {
		struct task_struct *task = (struct task_struct *)bpf_get_current_task();
		__u64 id = bpf_get_current_pid_tgid();
		__u32 tid = (__u32)id;

		cached = bpf_map_lookup_elem(&thread_slots, &tid);
		if (cached) {
			thread.slot = kept_slot(cached);
		} else {
			fresh.moves = *(volatile __u32 *)&cgroup_moves;
			fresh.slot = count_slot();
			thread.slot = fresh.slot;
			bpf_map_update_elem(&thread_slots, &tid, &fresh, BPF_ANY);
		}
		thread.tgid = id >> 32;
		thread.stack = (__u64)read_kernel(task->stack);
	}
	return thread;
}

/* A write over 64 KiB: shared by CPUs, so added atomically; rare, and dwarfed by its copying. */
static __noinline void count_large_write(__u32 slot, __u32 index)
{
	struct write_size_tail *tail = bpf_map_lookup_elem(&slot_size_tails, &slot);

	index -= WRITE_SIZE_DENSE;
	if (tail && index < WRITE_SIZE_TAIL)
		__sync_fetch_and_add(&tail->sizes[index], 1);
}

/*
 * Counts one write of the current thread, by size, and says whether its
 * process is traced, from this CPU's cache when it still holds (see
 * last_counted).
 */
static __always_inline int count_write(void *ctx, __u64 bytes)
{
	struct last_counted *last;
	struct write_count *count;
	__u32 zero = 0, slot;
	__u64 now = *(volatile __u64 *)&cache_epoch, unit;

	last = bpf_map_lookup_elem(&last_counted, &zero);
	if (!last)
		return 0;
	unit = context_unit(last, ctx);
	if (last->stack_unit != unit || last->epoch != now) {
		/* The epoch is read before the slot and the filter: a change meanwhile
		 * leaves an entry that the next write finds stale. */
		struct current_thread thread = current_thread();

		last->slot = thread.slot;
		last->traced = pid_traced(thread.tgid);
		last->stack_unit = unit;
		last->epoch = on_stack(thread.stack, unit) ? now : now - 1;
	}
	slot = last->slot;
	count = bpf_map_lookup_elem(&slot_counts, &slot);
	if (count) {
		/* Per-CPU values, and syscall tracepoint programs run with
		 * preemption off: plain increments are exact. */
		__u32 index = size_index(bytes);

		count->bytes += bytes;
		if (index < WRITE_SIZE_DENSE)
			count->sizes[index]++;
		else
			count_large_write(slot, index);
	}
	return last->traced;
}

/* The current thread's write in flight, made if need be; NULL if there is no room. */
static __always_inline struct write_start *write_start(int create)
{
	if (kernel_has(KERNEL_TASK_BTF))
		return bpf_task_storage_get(&task_write_starts, bpf_get_current_task_btf(), 0,
					    create ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	__u32 tid = (__u32)bpf_get_current_pid_tgid();
	struct write_start *start = bpf_map_lookup_elem(&thread_write_starts, &tid), fresh = {};

	if (start || !create)
		return start;
	bpf_map_update_elem(&thread_write_starts, &tid, &fresh, BPF_ANY);
	return bpf_map_lookup_elem(&thread_write_starts, &tid);
}

SEC("tp/syscalls/sys_enter_write")
int bpfscope_write(struct syscall_enter_ctx *ctx)
{
	struct write_event event;
	int traced = count_write(ctx, ctx->args[2]);

	if (probe_config.write_latency) {
		struct write_start *start = write_start(1);
		__u32 zero = 0;
		struct last_counted *last = bpf_map_lookup_elem(&last_counted, &zero);

		if (start && last) {
			start->slot = last->slot;
			start->ns = bpf_ktime_get_ns();
		}
	}
	if (!traced)
		return 0;

	if (kernel_has(KERNEL_TASK_BTF)) {
		/* One helper call either way; the task's own fields where the kernel has BTF task pointers. */
		struct task_struct *task = bpf_get_current_task_btf();

		event.pid = task->tgid;
		event.tid = task->pid;
	} else {
		__u64 id = bpf_get_current_pid_tgid();

		event.pid = id >> 32;
		event.tid = (__u32)id;
	}
	event.boot_ns = now_ns();
	event.count = ctx->args[2];
	event.fd = (__s32)ctx->args[0];
	event._pad = 0;
	bpf_get_current_comm(event.comm, sizeof(event.comm));
	event.cgroup_id = bpf_get_current_cgroup_id();
	emit(ctx, &write_events, &write_perf, &event, sizeof(event), event.boot_ns, DROP_BUFFER_FULL);
	return 0;
}

/* A write duration outside the per-CPU range: shared by CPUs, so added atomically. */
static __noinline void count_rare_latency(__u32 slot, __u32 index)
{
	struct write_latency_tail *tail = bpf_map_lookup_elem(&slot_latency_tails, &slot);

	if (index >= WRITE_LATENCY_FIRST)
		index -= WRITE_LATENCY_DENSE;
	if (tail && index < WRITE_LATENCY_TAIL)
		__sync_fetch_and_add(&tail->durations[index], 1);
}

/* Per CPU, past the first insertion; "_other" errno 0 when the map is full. */
static __noinline void count_write_error(__u32 slot, __u32 errno_value)
{
	struct write_error_key key = { .slot = slot, .errno_value = errno_value };
	__u64 *count = bpf_map_lookup_elem(&write_errors, &key), one = 1;

	if (count) {
		(*count)++;
		return;
	}
	/* Fails when the map is full, or when another CPU made it meanwhile (found below). */
	if (!bpf_map_update_elem(&write_errors, &key, &one, BPF_NOEXIST))
		return;
	count = bpf_map_lookup_elem(&write_errors, &key);
	if (!count) {
		key.slot = probe_config.count_slots;
		key.errno_value = 0;
		count = bpf_map_lookup_elem(&write_errors, &key);
	}
	if (count)
		(*count)++;
}

/* The end of a timed write: its duration, and its error if it failed. */
SEC("tp/syscalls/sys_exit_write")
int bpfscope_write_exit(struct syscall_exit_ctx *ctx)
{
	struct write_start *start = write_start(0);
	struct write_latency *latency;
	__u64 ns;
	__u32 slot, index;

	if (!start || !start->ns)
		return 0;
	ns = bpf_ktime_get_ns() - start->ns;
	slot = start->slot;
	start->ns = 0;
	index = duration_index(ns);
	latency = bpf_map_lookup_elem(&slot_latencies, &slot);
	if (latency) {
		/* Per CPU, with preemption off in the tracepoint: plain adds are exact. */
		latency->sum_ns += ns;
		if (index - WRITE_LATENCY_FIRST < WRITE_LATENCY_DENSE)
			latency->durations[index - WRITE_LATENCY_FIRST]++;
		else
			count_rare_latency(slot, index);
	}
	if (ctx->ret < 0)
		count_write_error(slot, (__u32)-ctx->ret);
	return 0;
}

/*
 * Hooks on the life of threads, each in two programs of the same logic: a
 * tp_btf one where the kernel has task BTF, a raw tracepoint one (4.17+,
 * no kernel BTF needed) elsewhere. The tracepoints' arguments reach both as
 * ctx[0], ctx[1]; fields are read with CO-RE reads, which serve both.
 */
static __always_inline void bump_cache_epoch(void)
{
	/* No fetch: an atomic add that returns nothing is the one older kernels have. */
	__sync_fetch_and_add(&cache_epoch, 1);
}

/* A thread's comm changed (exec, prctl, /proc/PID/comm): its next write looks its slot up again. */
SEC("tp_btf/task_rename")
int bpfscope_rename(__u64 *ctx)
{
	bpf_task_storage_delete(&task_slots, (struct task_struct *)ctx[0]);
	bump_cache_epoch();
	return 0;
}

SEC("raw_tp/task_rename")
int bpfscope_rename_raw(__u64 *ctx)
{
	__u32 tid = read_kernel(((struct task_struct *)ctx[0])->pid);

	bpf_map_delete_elem(&thread_slots, &tid);
	bump_cache_epoch();
	return 0;
}

/*
 * A task moved to another cgroup (a container's first process, or anything
 * moved by hand): every thread finds its slot again on its next write.
 */
static __always_inline void cgroup_moved(void)
{
	__sync_fetch_and_add(&cgroup_moves, 1);
	bump_cache_epoch();
}

SEC("tp_btf/cgroup_attach_task")
int bpfscope_cgroup_move(__u64 *ctx)
{
	cgroup_moved();
	return 0;
}

SEC("raw_tp/cgroup_attach_task")
int bpfscope_cgroup_move_raw(__u64 *ctx)
{
	cgroup_moved();
	return 0;
}

/* followChildren: a new process forked by a traced one is traced from its first instruction. */
static __always_inline void process_forked(struct task_struct *parent, struct task_struct *child)
{
	__u32 zero = 0, parent_pid = read_kernel(parent->tgid), pid = read_kernel(child->tgid);
	__u32 *follow = bpf_map_lookup_elem(&follow_children, &zero);
	__u8 *flag, one = 1;

	if (!follow || !*follow || pid == parent_pid || !pid_traced(parent_pid))
		return;
	if (!kernel_has(KERNEL_MMAPABLE)) {
		if (bpf_map_update_elem(&child_pids, &pid, &one, BPF_ANY)) {
			count_drop(DROP_CHILD_UNFOLLOWED);
			return;
		}
		bump_cache_epoch();
		return;
	}
	flag = child_flag(pid);
	if (flag) {
		*(volatile __u8 *)flag = 1;
		bump_cache_epoch();
	}
}

SEC("tp_btf/sched_process_fork")
int bpfscope_fork(__u64 *ctx)
{
	process_forked((struct task_struct *)ctx[0], (struct task_struct *)ctx[1]);
	return 0;
}

SEC("raw_tp/sched_process_fork")
int bpfscope_fork_raw(__u64 *ctx)
{
	process_forked((struct task_struct *)ctx[0], (struct task_struct *)ctx[1]);
	return 0;
}

/*
 * A thread ended: its kernel stack may serve another thread next (see
 * last_counted). A followed child's PID leaves the set when its process
 * ends (its leader exits). Returns the thread's id.
 */
static __always_inline __u32 thread_exited(struct task_struct *task)
{
	__u32 tid = read_kernel(task->pid), pid = read_kernel(task->tgid);
	__u8 *flag;

	if (tid == pid && !kernel_has(KERNEL_MMAPABLE)) {
		bpf_map_delete_elem(&child_pids, &pid);
	} else if (tid == pid) {
		flag = child_flag(pid);
		if (flag && *(volatile __u8 *)flag)
			*(volatile __u8 *)flag = 0;
	}
	bump_cache_epoch();
	return tid;
}

SEC("tp_btf/sched_process_exit")
int bpfscope_exit(__u64 *ctx)
{
	/* Task storage goes with the task. */
	thread_exited((struct task_struct *)ctx[0]);
	return 0;
}

SEC("raw_tp/sched_process_exit")
int bpfscope_exit_raw(__u64 *ctx)
{
	__u32 tid = thread_exited((struct task_struct *)ctx[0]);

	bpf_map_delete_elem(&thread_slots, &tid);
	return 0;
}
