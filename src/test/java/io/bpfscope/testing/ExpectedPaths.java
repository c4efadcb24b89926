package io.bpfscope.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The path each kernel feature should take in this run, worked out apart
 * from the daemon: from bpftool's own feature probes and /proc/kallsyms, and
 * the suite's settings (bpfscope.buffer=perf, bpfscope.fallbacks), as system
 * properties of the run; and whether write latency is on, which adds a program.
 */
public record ExpectedPaths(boolean ringbuf, boolean bpfLoop, boolean taskBtf, boolean taskWork, boolean bootClock,
        boolean probeReadUser, boolean mappedState, boolean batchReads, boolean writeLatency) {

    private static final ExpectedPaths HERE = ofThisRun();

    public static ExpectedPaths here() {
        return HERE;
    }

    private static ExpectedPaths ofThisRun() {
        Set<String> fallbacks = Arrays.stream(System.getProperty("bpfscope.fallbacks", "").split(","))
                .map(String::strip).filter(name -> !name.isEmpty()).collect(Collectors.toSet());
        boolean all = fallbacks.contains("all");
        JsonNode probe = Kernel.bpftool("feature", "probe", "kernel");
        JsonNode maps = probe.path("map_types");
        Set<String> helpers = Stream.of(probe.path("helpers").path("tracepoint_available_helpers"))
                .flatMap(list -> java.util.stream.StreamSupport.stream(list.spliterator(), false))
                .map(JsonNode::asText).collect(Collectors.toSet());
        boolean kernelBtf = kernelBtf();
        boolean ringbuf = !all && !fallbacks.contains("buffer") && !"perf".equals(System.getProperty("bpfscope.buffer"))
                && maps.path("have_ringbuf_map_type").asBoolean();
        return new ExpectedPaths(
                ringbuf,
                !all && !fallbacks.contains("argv_loop") && helpers.contains("bpf_loop"),
                !all && !fallbacks.contains("threads") && kernelBtf && maps.path("have_task_storage_map_type").asBoolean()
                        && helpers.contains("bpf_get_current_task_btf"),
                !all && !fallbacks.contains("exec_result") && ringbuf && kernelBtf
                        && Kernel.hasSymbol("bpf_task_work_schedule_resume_impl")
                        && Kernel.bpftoolLoads(Path.of("target/classes/bpf/task_work_probe.bpf.o")),
                !all && !fallbacks.contains("clock") && helpers.contains("bpf_ktime_get_boot_ns"),
                !all && !fallbacks.contains("probe_read") && helpers.contains("bpf_probe_read_user"),
                // The function behind mmap(2) of an array map.
                !all && !fallbacks.contains("filter_state") && Kernel.hasSymbol("array_map_mmap"),
                // Batch reads of per-CPU arrays came with 5.13 and left no symbol of their own.
                !all && !fallbacks.contains("map_reads") && Kernel.atLeast(5, 13),
                false);
    }

    /** The same paths for a daemon with bpfscope.write.latency.enabled. */
    public ExpectedPaths withWriteLatency() {
        return new ExpectedPaths(ringbuf, bpfLoop, taskBtf, taskWork, bootClock, probeReadUser, mappedState, batchReads,
                true);
    }

    /** Kernel BTF as the daemon needs it: there, and not an empty file (the guests hide it with one). */
    private static boolean kernelBtf() {
        Path btf = Path.of("/sys/kernel/btf/vmlinux");
        try {
            return Files.isReadable(btf) && Files.newInputStream(btf).read() != -1;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The programs of write.bpf.o that should be loaded. */
    public List<String> writePrograms() {
        List<String> write = writeLatency ? List.of("bpfscope_write", "bpfscope_write_exit") : List.of("bpfscope_write");
        List<String> hooks = taskBtf ? List.of("bpfscope_rename", "bpfscope_cgroup_move", "bpfscope_fork", "bpfscope_exit")
                : List.of("bpfscope_rename_raw", "bpfscope_cgroup_move_raw", "bpfscope_fork_raw", "bpfscope_exit_raw");
        return Stream.concat(write.stream(), hooks.stream()).toList();
    }

    /** The exec programs: of exec.bpf.o with task work, else of exec_tp.bpf.o. */
    public List<String> execPrograms() {
        // In the objects' order: the exit program comes from exec.bpf.h, included first.
        if (taskWork) {
            return List.of("bpfscope_exited", "bpfscope_exec");
        }
        return List.of("bpfscope_exited", bpfLoop ? "bpfscope_exec" : "bpfscope_exec_bounded", "bpfscope_exec_x");
    }

    public List<String> programs() {
        return Stream.concat(writePrograms().stream(), execPrograms().stream()).toList();
    }

    /** bpfscope_kernel_feature_info's labels: feature to path (btf from the kernel itself). */
    public Map<String, String> byFeature() {
        Map<String, String> paths = new LinkedHashMap<>();
        paths.put("buffer", ringbuf ? "ringbuf" : "perf");
        paths.put("argv_loop", bpfLoop ? "bpf_loop" : "bounded_loop");
        paths.put("threads", taskBtf ? "task_storage" : "tid_hash");
        paths.put("exec_result", taskWork ? "task_work" : "exit_tracepoint");
        paths.put("clock", bootClock ? "boottime" : "monotonic");
        paths.put("probe_read", probeReadUser ? "probe_read_user" : "probe_read");
        paths.put("filter_state", mappedState ? "mmap" : "syscall");
        paths.put("map_reads", batchReads ? "batch" : "per_entry");
        return paths;
    }
}
