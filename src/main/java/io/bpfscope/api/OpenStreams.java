package io.bpfscope.api;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The /events streams open now, and the one timer that wakes the quiet ones
 * for their heartbeat. A stream waits for events without a timeout: a timed
 * park of a virtual thread is a task for the scheduler's delay thread, set
 * and cancelled again on every batch, which at a few hundred execs a second
 * cost more CPU than the events did. The timer runs only while streams are
 * open, so an idle node has no periodic wakeup for it.
 */
final class OpenStreams {

    private static final Duration LONGEST_TICK = Duration.ofSeconds(1);

    private final Vertx vertx;
    private final Duration tick;
    private final Set<EventStream> streams = ConcurrentHashMap.newKeySet();
    private long timer = -1;

    OpenStreams(Vertx vertx, Duration heartbeat) {
        this.vertx = vertx;
        this.tick = tick(heartbeat);
    }

    /** How often quiet streams are looked at: a heartbeat goes out at most this late. */
    static Duration tick(Duration heartbeat) {
        Duration eighth = heartbeat.dividedBy(8);
        return eighth.compareTo(LONGEST_TICK) < 0 ? eighth : LONGEST_TICK;
    }

    synchronized void add(EventStream stream) {
        streams.add(stream);
        if (timer < 0) {
            timer = vertx.setPeriodic(Math.max(1, tick.toMillis()), id -> wakeQuiet());
        }
    }

    synchronized void remove(EventStream stream) {
        streams.remove(stream);
        if (streams.isEmpty() && timer >= 0) {
            vertx.cancelTimer(timer);
            timer = -1;
        }
    }

    private void wakeQuiet() {
        long now = System.nanoTime();
        streams.forEach(stream -> stream.wakeIfQuiet(now));
    }

    void forEach(Consumer<EventStream> action) {
        streams.forEach(action);
    }

    boolean isEmpty() {
        return streams.isEmpty();
    }

    int size() {
        return streams.size();
    }
}
