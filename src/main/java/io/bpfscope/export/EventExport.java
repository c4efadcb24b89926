package io.bpfscope.export;

import io.bpfscope.event.EventFilter;
import io.bpfscope.event.EventHub;
import io.bpfscope.event.EventJson;
import io.bpfscope.event.EventType;
import io.bpfscope.event.Loss;
import io.bpfscope.event.LossStage;
import io.bpfscope.event.Subscription;
import io.bpfscope.probe.StartupFailure;
import io.bpfscope.reader.EventPipeline;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jboss.logging.Logger;

/**
 * Writes every event its filter lets through, as a JSON line, to stdout
 * and/or a rotated file, on a thread of its own that reads the hub like an
 * /events client: the readers never wait for it. When it falls behind
 * (a slow disk, a stdout pipe nobody reads) the hub's ring moves past it,
 * and when a destination refuses lines (disk full, no such directory) they
 * are dropped; both are counted as {@code bpfscope_events_lost_total{stage="export"}}
 * and said in one log line per episode of loss.
 */
@ApplicationScoped
public class EventExport {

    /** Subscribes before the readers start, so it sees their first event. */
    static final int START = EventPipeline.START - 1;
    /** The smallest file size allowed: room for many of the longest lines (an exec with a long command line). */
    static final long SMALLEST_FILE = 1 << 20;
    private static final int BATCH = 4096;
    private static final long EPISODE_GAP_NANOS = 1_000_000_000L;
    /** How long a stop waits for the last lines: a stdout pipe nobody reads must not hold the daemon up. */
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);
    private static final Logger LOG = Logger.getLogger(EventExport.class);

    private final ExportConfig config;
    private final EventHub hub;
    private final EventJson json;
    private final EventFilter filter;
    private final LongAdder lost = new LongAdder();
    private final AtomicLong exported = new AtomicLong();
    private final List<byte[]> lines = new ArrayList<>();
    /** Which of {@link #lines} are word of losses, not events: they are written, not counted as events. */
    private final BitSet lossLines = new BitSet();
    private final Subscription.Sink collect = new Subscription.Sink() {
        @Override
        public void event(EventHub.Slot slot) {
            if (filter.matches(slot.message())) {
                line(json.encode(slot.message()));
            }
        }

        @Override
        public void loss(EventHub.Slot slot, long untold) {
            Loss loss = (Loss) slot.message();
            if (untold > 0 && filter.matches(loss)) {
                lossLine(json.encode(loss.told(untold)));
            }
        }

        @Override
        public void lost(long fromSeq, long count, List<Loss> untold) {
            behind += count;
            lossLine(json.gap(LossStage.EXPORT, "overwritten", count));
            for (Loss loss : untold) {
                if (filter.matches(loss)) {
                    lossLine(json.encode(loss));
                }
            }
        }

        private void lossLine(String text) {
            lossLines.set(lines.size());
            line(text);
        }

        private void line(String text) {
            lines.add((text + "\n").getBytes(StandardCharsets.UTF_8));
        }
    };
    private List<LineSink> sinks = List.of();
    private Subscription subscription;
    private Thread thread;
    private volatile boolean running = true;
    /** Events the hub let go before the export read them, in the current drain. */
    private long behind;
    /** Lost since the current episode of loss began; 0 while nothing is being lost. */
    private long losing;
    /** When the last event was lost, in {@link System#nanoTime()} terms. */
    private long lastLossNanos;

    public EventExport(ExportConfig config, EventHub hub, EventJson json) {
        this.config = config;
        this.hub = hub;
        this.json = json;
        this.filter = EventFilter.of(config.types().orElse(Set.of()), config.namespaces().orElse(Set.of()));
    }

    void onStart(@Observes @Priority(START) StartupEvent event) {
        if (config.maxFileSize() < SMALLEST_FILE) {
            new StartupFailure("bpfscope.export.max-file-size must be at least 1M, not " + config.maxFileSize()
                    + " bytes").haltProcess(LOG);
        }
        List<LineSink> chosen = new ArrayList<>();
        if (config.stdout()) {
            chosen.add(new StandardOutput());
        }
        config.file().ifPresent(file -> chosen.add(new RotatingFile(file, config.maxFileSize(), config.maxFiles())));
        if (chosen.isEmpty()) {
            return;
        }
        sinks = List.copyOf(chosen);
        subscription = hub.subscribe(hub.nextSeq(), lost);
        thread = Thread.ofPlatform().daemon().name("bpfscope-export").start(this::run);
        LOG.infof("export: %s events%s as JSON lines to %s",
                config.types().map(types -> types.stream().map(EventType::wireName).sorted().toList().toString())
                        .orElse("all"),
                config.namespaces().map(namespaces -> " from namespaces " + namespaces.stream().sorted().toList())
                        .orElse(""),
                String.join(" and ", sinks.stream().map(LineSink::name).toList()));
    }

    private void run() {
        while (running) {
            if (!exportOnce()) {
                subscription.await();
            }
        }
        while (exportOnce()) {
            // What was read before the stop still goes out.
        }
    }

    /** Writes one batch; false when there was nothing to read. */
    private boolean exportOnce() {
        lines.clear();
        lossLines.clear();
        behind = 0;
        int handed = subscription.drain(collect, BATCH);
        if (handed == 0 && behind == 0) {
            return false;
        }
        int reachedAll = lines.size();
        String why = behind > 0 ? "it fell behind the events (the replay ring moved past it)" : null;
        for (LineSink sink : sinks) {
            try {
                sink.append(lines);
            } catch (SinkFailure failure) {
                reachedAll = Math.min(reachedAll, failure.written());
                why = "cannot write to " + sink.name() + ": " + failure.getMessage();
            }
        }
        int eventsReached = reachedAll - lossLines.get(0, reachedAll).cardinality();
        exported.addAndGet(eventsReached);
        long dropped = lines.size() - lossLines.cardinality() - eventsReached;
        lost.add(dropped);
        account(behind + dropped, why);
        return true;
    }

    /**
     * Says the first loss of an episode, and its end, once each: losses less
     * than {@link #EPISODE_GAP_NANOS} apart are one episode, so a disk that
     * fits a line now and then does not log a line each time.
     */
    private void account(long lostNow, String why) {
        long now = System.nanoTime();
        if (lostNow > 0) {
            if (losing == 0) {
                LOG.warnf("export: %d events lost: %s; further losses are only counted"
                        + " (bpfscope_events_lost_total{stage=\"export\"}) until it keeps up again", lostNow, why);
            }
            losing += lostNow;
            lastLossNanos = now;
        } else if (losing > 0 && now - lastLossNanos >= EPISODE_GAP_NANOS) {
            LOG.infof("export: writing every event again, after losing %d", losing);
            losing = 0;
        }
    }

    /** Events written to every destination. */
    public long exported() {
        return exported.get();
    }

    /** Events that missed a destination: the hub let them go first, or the destination refused them. */
    public long lost() {
        return lost.sum();
    }

    /** After the readers' last drain, so what they read last goes out too. */
    void onStop(@Observes @Priority(EventPipeline.STOP + 1) ShutdownEvent event) throws InterruptedException {
        if (thread == null) {
            return;
        }
        running = false;
        // Not an interrupt: it would close a file channel in the middle of a write.
        LockSupport.unpark(thread);
        if (!thread.join(STOP_WAIT)) {
            LOG.warnf("export: stopping without its last lines: a destination took none for %s", STOP_WAIT);
        }
        subscription.close();
        for (LineSink sink : sinks) {
            try {
                sink.close();
            } catch (IOException e) {
                LOG.debugf(e, "closing %s", sink.name());
            }
        }
    }
}
