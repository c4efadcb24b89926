package io.bpfscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What the kernel says is attached, from {@code bpftool perf show}: a
 * tool's own "ready" line says what it thinks, this says what runs. Also
 * the syscall tracers that are not the harness's: any program on a syscall
 * tracepoint puts every system call of every task on the slow path, so
 * another session's tracer inflates every figure, "nothing" included.
 */
public final class BpfView {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One program on a tracepoint, held by a process. */
    public record Attachment(long pid, long programId, String type, String tracepoint) {

        boolean onSyscall() {
            return tracepoint.startsWith("sys_enter") || tracepoint.startsWith("sys_exit");
        }
    }

    private BpfView() {
    }

    public static List<Attachment> attachments() {
        List<Attachment> attachments = new ArrayList<>();
        for (JsonNode entry : bpftool("perf", "show")) {
            if (entry.has("tracepoint")) {
                attachments.add(new Attachment(entry.path("pid").asLong(), entry.path("prog_id").asLong(),
                        entry.path("fd_type").asText(), entry.path("tracepoint").asText()));
            }
        }
        return attachments;
    }

    /** Until {@code tool} or a process under it holds a program on {@code tracepoint}. */
    public static void awaitAttached(Tool tool, String tracepoint, Duration patience) throws InterruptedException {
        awaitAttached(tool.handle(), tool.tag(), tracepoint, patience, () -> tool.errorTail(10));
    }

    /** The same for any process; {@code said} is what it said, for a failure. */
    public static void awaitAttached(ProcessHandle root, String what, String tracepoint, Duration patience,
            Supplier<String> said) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Set<Long> tree = tree(root);
            if (attachments().stream().anyMatch(a -> tree.contains(a.pid()) && a.tracepoint().equals(tracepoint))) {
                return;
            }
            if (!root.isAlive()) {
                throw new HarnessFailure(what + " exited before attaching to " + tracepoint + "; it said:\n" + said.get());
            }
            if (System.nanoTime() > deadline) {
                throw new HarnessFailure(what + " did not attach to " + tracepoint + " within " + patience.toSeconds()
                        + " s");
            }
            Thread.sleep(100);
        }
    }

    /** The ids of the programs {@code pid} holds on tracepoints. */
    public static Set<Long> programsOf(long pid) {
        Set<Long> ids = new HashSet<>();
        attachments().stream().filter(a -> a.pid() == pid).forEach(a -> ids.add(a.programId()));
        return ids;
    }

    /** Until none of {@code ids} is loaded any more (the kernel frees programs after an RCU grace period). */
    public static void awaitUnloaded(Set<Long> ids, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            Set<Long> loaded = new HashSet<>();
            for (JsonNode program : bpftool("prog", "show")) {
                if (ids.contains(program.path("id").asLong())) {
                    loaded.add(program.path("id").asLong());
                }
            }
            if (loaded.isEmpty()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new HarnessFailure("programs " + loaded + " still loaded " + patience.toSeconds()
                        + " s after their daemon exited");
            }
            Thread.sleep(100);
        }
    }

    /** "comm(pid) on tracepoint" for each syscall tracer held by none of {@code ours} or the processes under them. */
    public static List<String> foreignSyscallTracers(List<ProcessHandle> ours) {
        Set<Long> mine = new HashSet<>();
        ours.forEach(handle -> mine.addAll(tree(handle)));
        return attachments().stream()
                .filter(a -> a.onSyscall() && !mine.contains(a.pid()))
                .map(a -> comm(a.pid()) + "(" + a.pid() + ") on " + a.tracepoint())
                .distinct()
                .toList();
    }

    /**
     * "BPF run-time statistics on (…)" when a program of {@code ours} counted
     * its runs, else empty. With the kernel's statistics on (the sysctl, or a
     * bpf_enable_stats descriptor another session holds, which the sysctl
     * does not show) every program run is timed, which adds to every figure.
     */
    public static List<String> statisticsOn(List<ProcessHandle> ours) {
        Set<Long> mine = new HashSet<>();
        ours.forEach(handle -> mine.addAll(tree(handle)));
        Set<Long> programs = new HashSet<>();
        attachments().stream().filter(a -> mine.contains(a.pid())).forEach(a -> programs.add(a.programId()));
        for (JsonNode program : bpftool("prog", "show")) {
            long runs = program.path("run_cnt").asLong();
            if (programs.contains(program.path("id").asLong()) && runs > 0) {
                return List.of("BPF run-time statistics on (our program " + program.path("id").asLong() + " counted "
                        + runs + " runs)");
            }
        }
        return List.of();
    }

    static Set<Long> tree(ProcessHandle root) {
        Set<Long> pids = new HashSet<>();
        pids.add(root.pid());
        root.descendants().forEach(handle -> pids.add(handle.pid()));
        return pids;
    }

    private static String comm(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException gone) {
            return "?";
        }
    }

    private static JsonNode bpftool(String... arguments) {
        List<String> command = new ArrayList<>(List.of("bpftool", "--json"));
        command.addAll(List.of(arguments));
        String output = Commands.output(command);
        try {
            return output.isBlank() ? JSON.createArrayNode() : JSON.readTree(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
