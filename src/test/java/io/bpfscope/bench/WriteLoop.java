package io.bpfscope.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * bench/workloads/write_loop.c, started with {@code -w}: it prints its PID
 * and waits for a go line, so a configuration can put the PID in a filter
 * (or attach) before the measured loop starts; then it writes and prints
 * one line of figures (ns_per_write, cpu_ns_per_write, invol_cs...).
 */
public final class WriteLoop implements AutoCloseable {

    private static final Pattern PID = Pattern.compile("^pid=(\\d+)$");
    private static final Pattern RESULT = Pattern.compile("^ns_per_write=");

    private final Tool tool;
    private final long pid;

    private WriteLoop(Tool tool, long pid) {
        this.tool = tool;
        this.pid = pid;
    }

    /** Starts the loop of {@code writes} writes under comm {@code comm} and returns once it waits for its go line. */
    public static WriteLoop prepare(Path build, Path dir, long writes, String comm, Duration bound)
            throws InterruptedException {
        return prepare(build, dir, writes, comm, bound, List.of());
    }

    /** The same paced at {@code rate} writes a second (bursts every ms on an absolute schedule). */
    public static WriteLoop paced(Path build, Path dir, long writes, long rate, String comm, Duration bound)
            throws InterruptedException {
        return prepare(build, dir, writes, comm, bound, List.of("-R", Long.toString(rate)));
    }

    private static WriteLoop prepare(Path build, Path dir, long writes, String comm, Duration bound, List<String> more)
            throws InterruptedException {
        List<String> command = new ArrayList<>(List.of(build.resolve("write_loop").toString(), "-w", "-n",
                Long.toString(writes), "-c", comm));
        command.addAll(more);
        Tool tool = Tool.start(dir, comm, bound, command);
        try {
            return new WriteLoop(tool, Long.parseLong(tool.awaitLine(PID, Duration.ofSeconds(30)).group(1)));
        } catch (RuntimeException | InterruptedException e) {
            tool.close();
            throw e;
        }
    }

    public long pid() {
        return pid;
    }

    public Tool tool() {
        return tool;
    }

    /** Lets it write. */
    public void go() {
        tool.sendLine("go");
    }

    /** Waits for the loop to end; its figures by name (ns_per_write, writes, cpu_ns_per_write, invol_cs...). */
    public Map<String, Double> await(Duration patience) throws InterruptedException {
        int status = tool.await(patience);
        if (status != 0) {
            throw new HarnessFailure("write_loop failed, " + Tool.exitText(status) + ": " + tool.errorTail(5));
        }
        String line = tool.output().lines().filter(text -> RESULT.matcher(text).find()).findFirst()
                .orElseThrow(() -> new HarnessFailure("write_loop printed no result"));
        Map<String, Double> figures = new HashMap<>();
        for (String pair : line.split(" ")) {
            String[] kv = pair.split("=", 2);
            figures.put(kv[0], Double.parseDouble(kv[1]));
        }
        return figures;
    }

    @Override
    public void close() {
        tool.close();
    }
}
