package io.bpfscope.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The write scenario's configurations that are not bpfscope: the baseline,
 * the floor, the parts of bpfscope's write program one at a time, bpftrace,
 * and the C reference pipeline. See bench/README.md for what each measures.
 */
public final class WriteConfigurations {

    /** The comm the measured writer runs under, which tracers that count by comm are checked against. */
    public static final String WRITER = "bench-writer";

    private static final Pattern ATTACHED = Pattern.compile("^attached");
    private static final Pattern REF_RESULT = Pattern.compile("records=(\\d+) dropped=(-?\\d+) bad=(\\d+)");

    private WriteConfigurations() {
    }

    public static final Configuration NOTHING = new Nothing("nothing");

    public static final Configuration EMPTY = attached("empty", "empty BPF program on sys_enter_write (the floor)",
            "empty.bpf.o", List.of("sys_enter_write"));

    /** Only when named: bpfscope's in-kernel cost taken apart. */
    public static final List<Configuration> PARTS = List.of(
            attached("empty_exec", "empty programs on sys_enter_write, sys_enter_execve and sys_exit_execve"
                    + " (the floor of a write+exec tracer)", "empty_exec.bpf.o",
                    List.of("sys_enter_write", "sys_enter_execve", "sys_exit_execve")),
            attached("parts_filter", "bpfscope's PID filter check alone (bpf/parts.bpf.c -DPART_FILTER)",
                    "parts_filter.bpf.o", List.of("sys_enter_write")),
            attached("parts_pid_hash", "per-CPU hash counter keyed by tgid (bpf/parts.bpf.c -DPART_PID_HASH)",
                    "parts_pid_hash.bpf.o", List.of("sys_enter_write")),
            attached("parts_comm_hash", "bpfscope's counting alone: comm + per-CPU hash keyed by comm"
                    + " (bpf/parts.bpf.c -DPART_COMM_HASH)", "parts_comm_hash.bpf.o", List.of("sys_enter_write")),
            attached("parts_all", "counting by comm + PID filter check (bpf/parts.bpf.c -DPART_ALL)",
                    "parts_all.bpf.o", List.of("sys_enter_write")));

    public static final Configuration BPFTRACE = new ToolConfiguration("bpftrace", Map.of("bpftrace", "bpftrace"),
            "bpftrace `@[comm] = count()` on sys_enter_write",
            ToolConfiguration.command(run -> List.of("bpftrace", "-e",
                    "BEGIN { printf(\"ready\\n\"); } tracepoint:syscalls:sys_enter_write { @[comm] = count(); }")),
            Optional.of(Pattern.compile("^ready")), List.of("sys_enter_write"), "INT",
            (run, tool) -> {
                // The map is printed on exit.
                Matcher counted = Pattern.compile("^@\\[" + WRITER + "\\]: (\\d+)$", Pattern.MULTILINE)
                        .matcher(tool.output());
                String n = counted.find() ? counted.group(1) : "none";
                return Configuration.Outcome.of("counted " + n + " of " + (run.operations() + 1));
            });

    public static final Configuration REF = reference("ref",
            "ring buffer record per write, NO_WAKEUP + 1/4 threshold, C consumer polling every 1 ms", List.of());

    public static final Configuration REF_DEFAULT = reference("ref_default",
            "ring buffer record per write, default wakeup (flags 0), C consumer", List.of("-d"));

    private static Configuration attached(String name, String description, String object, List<String> tracepoints) {
        return new ToolConfiguration(name, Map.of(), description,
                ToolConfiguration.command(run -> List.of(run.build().resolve("attach").toString(),
                        run.build().resolve(object).toString())),
                Optional.of(ATTACHED), tracepoints, "TERM", ToolConfiguration.silent());
    }

    /** The reference consumer following the writer; it must have read the loop's writes and its result line. */
    private static Configuration reference(String name, String description, List<String> flags) {
        return new ToolConfiguration(name, Map.of(), description, (run, target) -> {
            List<String> command = new ArrayList<>(List.of(run.build().resolve("ref_consumer").toString(),
                    "-p", Long.toString(target)));
            command.addAll(flags);
            return command;
        }, Optional.of(ATTACHED), List.of("sys_enter_write"), "INT", (run, tool) -> {
            Matcher result = REF_RESULT.matcher(tool.output());
            if (!result.find()) {
                throw new HarnessFailure(name + ": ref_consumer printed no records= line");
            }
            long expected = run.operations() + 1;
            long records = Long.parseLong(result.group(1));
            String note = "read " + records + " of " + expected + ", dropped " + result.group(2) + ", lost "
                    + (expected - records) + ("0".equals(result.group(3)) ? "" : ", " + result.group(3) + " malformed");
            return new Configuration.Outcome(note, Map.of("read", (double) records));
        });
    }
}
