package io.bpfscope.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link SoakSample} of the daemon every second from its start until
 * stopped: /q/metrics first, then the machine's CPU, the daemon's RSS and
 * its CPU.
 */
final class SoakSampler implements AutoCloseable {

    private final List<SoakSample> samples = new ArrayList<>();
    private final FixedRate schedule;

    /** {@code goNanos}: the release of the writers on System.nanoTime's clock, the samples' time 0. */
    private SoakSampler(DaemonUnderTest daemon, String comm, long goNanos) {
        long pid = daemon.process().pid();
        this.schedule = FixedRate.start("soak-sampler", Duration.ofSeconds(1), () -> {
            long started = System.nanoTime();
            Exposition metrics = Exposition.of(daemon);
            MachineCpu machine = MachineCpu.now();
            samples.add(SoakSample.of((started - goNanos) / 1e9, Rss.kib(pid), MachineCpu.processMillis(pid), machine,
                    metrics, comm, (System.nanoTime() - started) / 1e6));
        });
    }

    static SoakSampler start(DaemonUnderTest daemon, String comm, long goNanos) {
        return new SoakSampler(daemon, comm, goNanos);
    }

    List<SoakSample> stop() throws InterruptedException {
        schedule.stop();
        return List.copyOf(samples);
    }

    @Override
    public void close() {
        schedule.close();
    }
}
