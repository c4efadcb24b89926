package io.bpfscope.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A process the harness runs beside a workload (a tracer, a consumer, the
 * daemon, a client), its output in TAG.out and TAG.err of the run's
 * directory. It runs under {@code timeout}, so nothing outlives the harness
 * by more than its bound even if the harness is killed; a signal to the tool
 * goes through {@code timeout}, which passes it on.
 */
public final class Tool implements AutoCloseable {

    private final String tag;
    private final Process process;
    private final Path out;
    private final Path err;

    private Tool(String tag, Process process, Path out, Path err) {
        this.tag = tag;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /** Starts {@code command}, bounded to {@code bound}; its output goes to DIR/TAG.out and .err. */
    public static Tool start(Path dir, String tag, Duration bound, List<String> command) {
        List<String> bounded = new ArrayList<>(List.of("timeout", "--kill-after=15", bound.toSeconds() + "s"));
        bounded.addAll(Executables.resolved(command));
        Path out = dir.resolve(tag + ".out");
        Path err = dir.resolve(tag + ".err");
        try {
            Process process = new ProcessBuilder(Executables.resolved(bounded)).redirectOutput(out.toFile())
                    .redirectError(err.toFile()).start();
            return new Tool(tag, process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + tag + " (" + String.join(" ", command) + ")", e);
        }
    }

    public String tag() {
        return tag;
    }

    /** The process of {@code timeout}; the tool is its child. */
    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** The tool's own process (the child of {@code timeout}), once it has started. */
    public Optional<ProcessHandle> toolProcess() {
        return process.toHandle().children().findFirst();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Until a line of its standard output matches; fails if it exits first or {@code patience} passes. */
    public Matcher awaitLine(Pattern line, Duration patience) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (true) {
            for (String text : output().lines().toList()) {
                Matcher matcher = line.matcher(text);
                if (matcher.find()) {
                    return matcher;
                }
            }
            if (!process.isAlive()) {
                throw new HarnessFailure(tag + " exited (" + exitText(process.exitValue()) + ") before printing /"
                        + line + "/; its standard error ends with:\n" + errorTail(15));
            }
            if (System.nanoTime() > deadline) {
                throw new HarnessFailure(tag + " printed no /" + line + "/ within " + patience.toSeconds() + " s");
            }
            Thread.sleep(50);
        }
    }

    /** Writes {@code line} to its standard input and closes it (a go line, say). */
    public void sendLine(String line) {
        try (OutputStream in = process.getOutputStream()) {
            in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(tag + " no longer reads its standard input", e);
        }
    }

    /** Sends {@code signal} (TERM, INT, USR1...) through timeout to the tool. */
    public void signal(String signal) {
        Signals.send(process.pid(), signal);
    }

    /**
     * Sends {@code signal}, waits up to {@code grace} for the exit, then kills
     * the tool and everything it started. Returns the exit status.
     */
    public int stop(String signal, Duration grace) throws InterruptedException {
        if (process.isAlive()) {
            signal(signal);
        }
        if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
            killAll();
            process.waitFor();
        }
        return process.exitValue();
    }

    /** Waits for it to end on its own, up to {@code patience}; killed after that. Returns the exit status. */
    public int await(Duration patience) throws InterruptedException {
        if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
            killAll();
            process.waitFor();
            throw new HarnessFailure(tag + " did not finish within " + patience.toSeconds() + " s");
        }
        return process.exitValue();
    }

    /** Like {@link #stop}, failing the run unless the exit status is 0. */
    public void stopCleanly(String signal, Duration grace) throws InterruptedException {
        int status = stop(signal, grace);
        if (status != 0) {
            throw new HarnessFailure(tag + ": " + exitText(status) + " on SIG" + signal + "; its standard error ends with:\n"
                    + errorTail(5));
        }
    }

    public String output() {
        return read(out);
    }

    public String error() {
        return read(err);
    }

    public String errorTail(int lines) {
        List<String> all = error().lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    /** The tool and every process under it, children first; returns once they are gone (5 s at most). */
    private void killAll() {
        List<ProcessHandle> all = new ArrayList<>(process.toHandle().descendants().toList().reversed());
        all.add(process.toHandle());
        all.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (ProcessHandle handle : all) {
            try {
                handle.onExit().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                throw new HarnessFailure("process " + handle.pid() + " of " + tag + " survived SIGKILL");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            killAll();
        }
    }

    /** "exit status 3", "killed by SIGKILL", or "timed out" for timeout's own 124. */
    static String exitText(int status) {
        if (status == 124) {
            return "timed out (exit 124)";
        }
        return status > 128 ? "killed by signal " + (status - 128) : "exit status " + status;
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
