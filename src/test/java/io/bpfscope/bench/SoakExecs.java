package io.bpfscope.bench;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /bin/true MARKER I} (I from 0) run and waited for every {@code gap},
 * on a fixed schedule, until stopped: execs the clients' output can be told
 * apart by, each with the wall-clock time just before it was asked for.
 * Each is one execve ({@link DirectExec}): the JVM's own spawn goes through
 * jspawnhelper, a second execve that every exec client would receive too.
 */
final class SoakExecs implements AutoCloseable {

    static final String PROGRAM = "/bin/true";

    private final String marker;
    private final List<Long> spawnedNs = new ArrayList<>();
    private int failures;
    private FixedRate schedule;

    SoakExecs(String marker) {
        this.marker = marker;
    }

    /** From now on, one exec every {@code gap}. */
    void start(Duration gap) {
        schedule = FixedRate.start("marked-execs", gap, () -> {
            spawnedNs.add(ChronoUnit.NANOS.between(Instant.EPOCH, Instant.now()));
            int pid = DirectExec.spawn(List.of(PROGRAM, marker, Integer.toString(spawnedNs.size() - 1)));
            if (DirectExec.await(pid) != 0) {
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
    }
}
