package io.bpfscope.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /bin/true MARKER I} (I from 0) run and waited for every {@code gap},
 * on a fixed schedule, until stopped: execs the clients' output can be told
 * apart by, each with the wall-clock time just before it was asked for.
 * A shell started beforehand runs them, one execve each: the JVM's own
 * spawn goes through jspawnhelper, a second execve that every exec client
 * would receive too. The shell ends when its input closes, with the harness
 * if need be.
 */
final class SoakExecs implements AutoCloseable {

    static final String PROGRAM = "/bin/true";

    private final Process shell;
    private final Writer toShell;
    private final BufferedReader fromShell;
    private final List<Long> spawnedNs = new ArrayList<>();
    private int failures;
    private FixedRate schedule;

    private SoakExecs(Process shell) {
        this.shell = shell;
        this.toShell = new OutputStreamWriter(shell.getOutputStream(), StandardCharsets.US_ASCII);
        this.fromShell = new BufferedReader(new InputStreamReader(shell.getInputStream(), StandardCharsets.US_ASCII));
    }

    /** The shell, ready for the first exec. */
    static SoakExecs prepare(String marker) {
        try {
            return new SoakExecs(new ProcessBuilder(Executables.resolved(List.of("sh", "-c",
                    "while read -r i; do " + PROGRAM + " \"$0\" \"$i\"; echo $?; done", marker)))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the shell of the marked execs", e);
        }
    }

    /** From now on, one exec every {@code gap}. */
    void start(Duration gap) {
        schedule = FixedRate.start("marked-execs", gap, () -> {
            spawnedNs.add(ChronoUnit.NANOS.between(Instant.EPOCH, Instant.now()));
            toShell.write((spawnedNs.size() - 1) + "\n");
            toShell.flush();
            String status = fromShell.readLine();
            if (status == null) {
                throw new HarnessFailure("the shell of the marked execs ended");
            }
            if (!status.equals("0")) {
                failures++;
            }
        });
    }

    /** Stops them; what they were. */
    Execs stop() throws InterruptedException {
        schedule.stop();
        return new Execs(spawnedNs, failures);
    }

    /** When each exec was asked for (wall clock, ns since the epoch), and how many did not exit 0. */
    record Execs(List<Long> spawnedNs, int failures) {

        Execs {
            spawnedNs = List.copyOf(spawnedNs);
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.close();
        }
        shell.destroy();
    }
}
