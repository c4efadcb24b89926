package io.bpfscope.probe;

import static io.bpfscope.libbpf.BpfMap.TYPE_ARRAY;
import static io.bpfscope.libbpf.BpfMap.TYPE_HASH;
import static io.bpfscope.libbpf.BpfMap.TYPE_LRU_HASH;
import static io.bpfscope.libbpf.BpfMap.TYPE_PERCPU_ARRAY;
import static io.bpfscope.libbpf.BpfMap.TYPE_PERCPU_HASH;
import static io.bpfscope.libbpf.BpfMap.TYPE_QUEUE;
import static io.bpfscope.libbpf.BpfMap.TYPE_TASK_STORAGE;

import io.bpfscope.libbpf.MapSpec;
import io.bpfscope.libbpf.ProgramSpec;
import java.util.List;
import java.util.stream.Stream;

/**
 * write.bpf.o as Java sees it, what libbpf's generated skeleton is to C:
 * its programs, its maps and their types, its settings. BundledObjectsTest
 * holds every name, section, type and size to the object.
 */
public final class WriteObject {

    public static final String SOURCE = "write";

    /** sys_enter_write, on every kernel. */
    public static final ProgramSpec WRITE = new ProgramSpec("bpfscope_write", "tp/syscalls/sys_enter_write");
    /** sys_exit_write, loaded only with write latency on. */
    public static final ProgramSpec WRITE_EXIT = new ProgramSpec("bpfscope_write_exit", "tp/syscalls/sys_exit_write");
    /** The thread hooks where threads are known by BTF task pointers (KernelFeature.THREADS newer). */
    public static final List<ProgramSpec> BTF_HOOKS = List.of(
            new ProgramSpec("bpfscope_rename", "tp_btf/task_rename"),
            new ProgramSpec("bpfscope_cgroup_move", "tp_btf/cgroup_attach_task"),
            new ProgramSpec("bpfscope_fork", "tp_btf/sched_process_fork"),
            new ProgramSpec("bpfscope_exit", "tp_btf/sched_process_exit"));
    /** The same hooks on raw tracepoints, elsewhere. */
    public static final List<ProgramSpec> RAW_HOOKS = List.of(
            new ProgramSpec("bpfscope_rename_raw", "raw_tp/task_rename"),
            new ProgramSpec("bpfscope_cgroup_move_raw", "raw_tp/cgroup_attach_task"),
            new ProgramSpec("bpfscope_fork_raw", "raw_tp/sched_process_fork"),
            new ProgramSpec("bpfscope_exit_raw", "raw_tp/sched_process_exit"));

    /** (comm, cgroup) to its counting slot. */
    public static final MapSpec COUNT_SLOTS = new MapSpec("count_slots", TYPE_HASH, CounterLayouts.COUNT_KEY.byteSize(), 4);
    /** Each slot's counts, per CPU; the last slot is "_other". */
    public static final MapSpec SLOT_COUNTS = new MapSpec("slot_counts", TYPE_PERCPU_ARRAY, 4,
            CounterLayouts.WRITE_COUNT.byteSize());
    /** Each slot's writes over 64 KiB, by size; the last slot is "_other". */
    public static final MapSpec SLOT_SIZE_TAILS = new MapSpec("slot_size_tails", TYPE_ARRAY, 4,
            CounterLayouts.WRITE_SIZE_TAIL.byteSize());
    /** Write latency: each thread's write in flight (by task, or by thread id), durations and errors by slot. */
    public static final MapSpec TASK_WRITE_STARTS = MapSpec.untouched("task_write_starts", TYPE_TASK_STORAGE);
    public static final MapSpec THREAD_WRITE_STARTS = MapSpec.untouched("thread_write_starts", TYPE_LRU_HASH);
    public static final MapSpec SLOT_LATENCIES = new MapSpec("slot_latencies", TYPE_PERCPU_ARRAY, 4,
            CounterLayouts.WRITE_LATENCY.byteSize());
    public static final MapSpec SLOT_LATENCY_TAILS = new MapSpec("slot_latency_tails", TYPE_ARRAY, 4,
            CounterLayouts.WRITE_LATENCY_TAIL.byteSize());
    public static final MapSpec WRITE_ERRORS = new MapSpec("write_errors", TYPE_PERCPU_HASH,
            CounterLayouts.WRITE_ERROR_KEY.byteSize(), 8);
    /** Slots not in use. */
    public static final MapSpec FREE_SLOTS = new MapSpec("free_slots", TYPE_QUEUE, 0, 4);
    /** Each thread's slot, by task pointer, or by thread id where task storage is missing. */
    public static final MapSpec TASK_SLOTS = MapSpec.untouched("task_slots", TYPE_TASK_STORAGE);
    public static final MapSpec THREAD_SLOTS = MapSpec.untouched("thread_slots", TYPE_LRU_HASH);
    public static final MapSpec LAST_COUNTED = MapSpec.untouched("last_counted", TYPE_PERCPU_ARRAY);
    /** The PID filter's bitmap: two halves, one word per 64 PIDs, and the half in force. */
    public static final MapSpec PID_FILTER = new MapSpec("pid_filter", TYPE_ARRAY, 4, 8);
    public static final MapSpec PID_FILTER_BASE = new MapSpec("pid_filter_base", TYPE_ARRAY, 4, 4);
    /** followChildren's children: a flag byte per PID, mapped, or a hash of PIDs. */
    public static final MapSpec PID_CHILDREN = new MapSpec("pid_children", TYPE_ARRAY, 4, 8);
    public static final MapSpec CHILD_PIDS = new MapSpec("child_pids", TYPE_HASH, 4, 1);
    public static final MapSpec FOLLOW_CHILDREN = new MapSpec("follow_children", TYPE_ARRAY, 4, 4);
    /** Bumped after every change of who is traced (libbpf's map of the .data.epoch section). */
    public static final MapSpec CACHE_EPOCH = new MapSpec(".data.epoch", TYPE_ARRAY, 4, 8);
    public static final MapSpec EVENTS = ObjectMaps.events(SOURCE);
    public static final MapSpec PERF = ObjectMaps.perf(SOURCE);

    /** Every program of the object. */
    public static final List<ProgramSpec> PROGRAMS = Stream.of(List.of(WRITE, WRITE_EXIT), BTF_HOOKS, RAW_HOOKS)
            .flatMap(List::stream).toList();
    /** Every map of the object, libbpf's maps of its data sections included. */
    public static final List<MapSpec> MAPS = List.of(ObjectMaps.CONFIG, ObjectMaps.RODATA, ObjectMaps.BSS, ObjectMaps.DROPS, COUNT_SLOTS,
            SLOT_COUNTS, SLOT_SIZE_TAILS, TASK_WRITE_STARTS, THREAD_WRITE_STARTS, SLOT_LATENCIES, SLOT_LATENCY_TAILS,
            WRITE_ERRORS, FREE_SLOTS, TASK_SLOTS, THREAD_SLOTS, LAST_COUNTED, PID_FILTER, PID_FILTER_BASE, PID_CHILDREN,
            CHILD_PIDS, FOLLOW_CHILDREN, CACHE_EPOCH, EVENTS, PERF);

    private WriteObject() {
    }
}
