package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.buffer.RecordSource;
import io.bpfscope.event.Event;
import io.bpfscope.event.ExecEvent;
import io.bpfscope.event.ExitEvent;
import io.bpfscope.event.ProcessRecords;
import io.bpfscope.probe.ExecProbe;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/** The exec and exit programs attached in the real kernel, with every record they send decoded and kept. */
public final class ExecRecorder implements AutoCloseable {

    private final ExecProbe probe;
    private final RecordSource ring;
    private final RingDrain drain;
    private final List<Event> events = new CopyOnWriteArrayList<>();

    private ExecRecorder(ExecProbe probe) {
        this.probe = probe;
        this.ring = probe.events();
        probe.attach();
        this.drain = new RingDrain(ring, (memory, offset, length) -> events.add(ProcessRecords.decode(memory, offset, length)));
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
        return await(ExecEvent.class, match);
    }

    /** The first exit that matches, as {@link #await(Predicate)}. */
    public ExitEvent awaitExit(Predicate<ExitEvent> match) throws InterruptedException {
        return await(ExitEvent.class, match);
    }

    /** Every exit received so far that matches. */
    public List<ExitEvent> exits(Predicate<ExitEvent> match) {
        return events.stream().filter(ExitEvent.class::isInstance).map(ExitEvent.class::cast).filter(match).toList();
    }

    private <T extends Event> T await(Class<T> type, Predicate<T> match) throws InterruptedException {
        RingDrain.await(() -> first(type, match).isPresent(), Duration.ofSeconds(10));
        Optional<T> found = first(type, match);
        assertThat(found).as("%s record among %d received", type.getSimpleName(), events.size()).isPresent();
        return found.orElseThrow();
    }

    private <T extends Event> Optional<T> first(Class<T> type, Predicate<T> match) {
        return events.stream().filter(type::isInstance).map(type::cast).filter(match).findFirst();
    }

    @Override
    public void close() throws InterruptedException {
        drain.close();
        ring.close();
        probe.close();
    }
}
