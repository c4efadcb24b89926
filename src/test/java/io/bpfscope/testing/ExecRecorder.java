package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.event.ExecEvent;
import io.bpfscope.libbpf.RecordSource;
import io.bpfscope.probe.ExecProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** The exec programs attached in the real kernel, with every record they send decoded and kept. */
public final class ExecRecorder implements AutoCloseable {

    private final ExecProbe probe;
    private final RecordSource ring;
    private final RingDrain drain;
    private final List<ExecEvent> events = new CopyOnWriteArrayList<>();

    private ExecRecorder(ExecProbe probe) {
        this.probe = probe;
        this.ring = probe.events();
        probe.attach();
        this.drain = new RingDrain(ring, (memory, offset, length) -> events.add(ExecEvent.decode(memory, offset, length)));
    }

    /** Loads and attaches the exec probe with these settings. */
    public static ExecRecorder attach(Map<String, String> properties) {
        return new ExecRecorder(Kernel.execProbe(properties));
    }

    public ExecProbe probe() {
        return probe;
    }

    /** The first exec that matches, waiting up to ten seconds for it; fails when none comes. */
    public ExecEvent await(Predicate<ExecEvent> match) throws InterruptedException {
        RingDrain.await(() -> events.stream().anyMatch(match), Duration.ofSeconds(10));
        Optional<ExecEvent> found = events.stream().filter(match).findFirst();
        assertThat(found).as("exec record among %d received", events.size()).isPresent();
        return found.orElseThrow();
    }

    @Override
    public void close() throws InterruptedException {
        drain.close();
        ring.close();
        probe.close();
    }
}
