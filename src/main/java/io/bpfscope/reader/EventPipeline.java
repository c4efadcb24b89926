package io.bpfscope.reader;

import io.bpfscope.attribution.Attribution;
import io.bpfscope.event.ArgvMode;
import io.bpfscope.event.Event;
import io.bpfscope.event.EventHub;
import io.bpfscope.event.ExecEvent;
import io.bpfscope.event.ExitEvent;
import io.bpfscope.event.ProcessRecords;
import io.bpfscope.event.WriteEvent;
import io.bpfscope.probe.BufferMode;
import io.bpfscope.probe.BundledProbes;
import io.bpfscope.probe.LoadedProbes;
import io.bpfscope.probe.Probe;
import io.bpfscope.probe.ProbeConfig;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Connects the loaded programs' buffers to the hub: one reader per buffer,
 * one wakeup thread for all. Starts after the programs are attached and
 * stops before they are unloaded, so no reader ever touches an unmapped
 * buffer.
 */
@ApplicationScoped
public class EventPipeline {

    /** Observer priorities: probes load before the pipeline starts and unload after it stops. */
    public static final int START = BundledProbes.START + 10;
    public static final int STOP = BundledProbes.STOP - 10;

    /** The readers, by name: one for the write buffer, one for the exec buffer (execs and exits). */
    public static final String WRITE_READER = "write";
    public static final String EXEC_READER = "exec";
    public static final List<String> READERS = List.of(WRITE_READER, EXEC_READER);

    private static final Logger LOG = Logger.getLogger(EventPipeline.class);

    private final BundledProbes probes;
    private final ProbeConfig config;
    private final EventHub hub;
    private final Attribution attribution;
    private final List<SourceReader> readers = new ArrayList<>();
    /** The drops told of each loaded probe: kept across a stop and a start, so none is told twice. */
    private final Map<Probe, KernelLosses> losses = new IdentityHashMap<>();
    private WakeupThread wakeups;

    public EventPipeline(BundledProbes probes, ProbeConfig config, EventHub hub, Attribution attribution) {
        this.probes = probes;
        this.config = config;
        this.hub = hub;
        this.attribution = attribution;
    }

    @Produces
    @Singleton
    static EventHub hub(EventsConfig config) {
        return new EventHub(config.replaySize(), config.replayMemory());
    }

    void onStart(@Observes @Priority(START) StartupEvent event) {
        start();
    }

    /** Starts reading the loaded programs' buffers; does nothing while reading already. */
    public synchronized void start() {
        if (readers.isEmpty()) {
            probes.probes().ifPresent(this::start);
        }
    }

    private void start(LoadedProbes loaded) {
        readers.add(new SourceReader(loaded.write().events(), WRITE_READER, (memory, offset, length) -> {
            WriteEvent write = WriteEvent.decode(memory, offset, length);
            return write.withWorkload(attribution.of(write.cgroupId(), write.pid()));
        }, lossesOf(loaded.write()), hub, config.pollInterval()));
        // Checked by Preflight before anything was loaded.
        ArgvMode argv = ArgvMode.parse(config.exec().argv()).orElseThrow();
        readers.add(new SourceReader(loaded.exec().events(), EXEC_READER, (memory, offset, length) -> {
            Event event = ProcessRecords.decode(memory, offset, length);
            if (event instanceof ExitEvent exit) {
                return exit.withWorkload(attribution.of(exit.cgroupId(), exit.pid(), Optional.of(exit.cgroupTail())));
            }
            ExecEvent exec = argv.apply((ExecEvent) event);
            return exec.withWorkload(attribution.of(exec.cgroupId(), exec.pid(), Optional.of(exec.cgroupTail())));
        }, lossesOf(loaded.exec()), hub, config.exec().pollInterval()));
        // Ring buffers are written through emit.h, which wakes the reader after a quiet spell.
        Duration idle = loaded.write().mode() == BufferMode.PERF ? config.pollInterval() : Duration.ofSeconds(1);
        wakeups = new WakeupThread(readers, idle);
        LOG.infof("reading %s (%s)", readers.stream().map(r -> r.source().name()).toList(),
                loaded.write().mode().name().toLowerCase(java.util.Locale.ROOT));
        LOG.infof("exec arguments on /events: %s (bpfscope.exec.argv)", argv.name().toLowerCase(java.util.Locale.ROOT));
    }

    private KernelLosses lossesOf(Probe probe) {
        return losses.computeIfAbsent(probe, KernelLosses::new);
    }

    void onStop(@Observes @Priority(STOP) ShutdownEvent event) throws InterruptedException {
        stop();
    }

    /**
     * Stops the readers after a last drain and lets go of the buffers'
     * mappings; the programs keep writing until the buffers are full, and
     * count what they drop.
     */
    public synchronized void stop() throws InterruptedException {
        if (wakeups != null) {
            wakeups.close();
            wakeups = null;
        }
        for (SourceReader reader : readers) {
            reader.close();
            reader.source().close();
        }
        readers.clear();
    }

    /** The running readers, for metrics and health. */
    public synchronized List<SourceReader> readers() {
        return List.copyOf(readers);
    }

    public synchronized boolean wakeupsAlive() {
        return wakeups != null && wakeups.isAlive();
    }
}
