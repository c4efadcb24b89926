package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * A child process that performs exactly {@code writes} write(2) calls of
 * {@code bytes} bytes each to /dev/null, under a comm no other process has:
 * dd started through a symlink of that name (the kernel takes comm from the
 * exec'd path). It waits on stdin before exec'ing, so its PID can be put in
 * the filter before its first write.
 */
public final class Writer implements AutoCloseable {

    private final Path dir;
    private final String comm;
    private final Process process;

    private Writer(Path dir, String comm, Process process) {
        this.dir = dir;
        this.comm = comm;
        this.process = process;
    }

    public static Writer prepare(int writes, int bytes) {
        return start(List.of(), writes, bytes);
    }

    /** The same, kept to one CPU (taskset), so writers prepared on the same CPU take turns on it. */
    public static Writer prepareOnCpu(int cpu, int writes, int bytes) {
        return start(List.of("taskset", "-c", Integer.toString(cpu)), writes, bytes);
    }

    /** The first CPU this process may run on. */
    public static int firstAllowedCpu() {
        try {
            String allowed = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Cpus_allowed_list:"))
                    .findFirst().orElseThrow().substring("Cpus_allowed_list:".length()).strip();
            return Integer.parseInt(allowed.split("[-,]")[0]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Writer start(List<String> prefix, int writes, int bytes) {
        try {
            Path dir = Files.createTempDirectory("bpfscope-writer");
            String comm = "bpfsw" + Long.toHexString(ThreadLocalRandom.current().nextLong(1L << 36, 1L << 40));
            Path dd = Files.createSymbolicLink(dir.resolve(comm), Path.of("/bin/dd"));
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of("/bin/sh", "-c",
                    // The shell writes once before exec'ing dd: its thread's comm slot is then cached,
                    // and the exec's rename must make dd's writes count under dd's own comm.
                    "read go && echo sh-wrote-first >/dev/null && exec \"$0\" if=/dev/zero of=/dev/null bs=" + bytes
                            + " count=" + writes + " status=none",
                    dd.toString()));
            Process process = new ProcessBuilder(command)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            return new Writer(dir, comm, process);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String comm() {
        return comm;
    }

    public int pid() {
        return (int) process.pid();
    }

    /** Lets the child exec dd and write; returns when it has exited successfully. */
    public void run() {
        release();
        try {
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("writer finished").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        assertThat(process.exitValue()).as("writer exit status").isZero();
    }

    /** Lets the child exec dd and write, and returns at once. */
    public void release() {
        try (OutputStream stdin = process.getOutputStream()) {
            stdin.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        process.destroyForcibly();
        Files.deleteIfExists(dir.resolve(comm));
        Files.deleteIfExists(dir);
    }
}
