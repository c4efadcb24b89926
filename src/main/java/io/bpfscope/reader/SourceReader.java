package io.bpfscope.reader;

import io.bpfscope.buffer.RecordHandler;
import io.bpfscope.buffer.RecordSource;
import io.bpfscope.event.Event;
import io.bpfscope.event.EventHub;
import io.bpfscope.event.EventType;
import io.bpfscope.event.LossCause;
import io.bpfscope.event.MalformedRecordException;
import io.bpfscope.event.WallClock;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.jboss.logging.Logger;

/**
 * Drains one {@link RecordSource} into the hub on a platform thread of its
 * own. It never blocks in native code: consuming reads mapped memory, and
 * between drains it parks on a semaphore that the {@link WakeupThread}
 * releases. Not a virtual thread: the kernel's buffers wait for no one, so
 * the readers must get their share of the CPU from the kernel's scheduler
 * whatever the /events clients' virtual threads ask of the carriers. Under a
 * one-CPU quota the JVM has one carrier, which runs the threads a thread woke
 * before those woken from outside, and a virtual exec reader, woken by the
 * wakeup thread, waited over 10 s while the write reader and the clients it
 * woke took turns (bench/results/2026-12-04-1630-7c911ca.md). After each
 * drain it publishes what the programs dropped meanwhile, and a record it
 * cannot decode is published as a loss in its place: every loss reaches the
 * hub in order with the events.
 */
public final class SourceReader implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(SourceReader.class);
    /** Records per drain before the hub is signalled and what the programs dropped is looked at. */
    private static final int BATCH = 8192;

    /** Turns one record, in place, into an event. */
    @FunctionalInterface
    public interface Decoder {
        Event decode(MemorySegment memory, long offset, int length);
    }

    private final RecordSource source;
    private final String name;
    private final Decoder decoder;
    private final KernelLosses losses;
    private final EventHub hub;
    private final Duration pollInterval;
    private final Semaphore wake = new Semaphore(0);
    private final AtomicLongArray events = new AtomicLongArray(EventType.values().length);
    private final AtomicLong malformed = new AtomicLong();
    private final RecordHandler handler = this::onRecord;
    private volatile boolean running = true;
    private volatile long lastDrainNanos = System.nanoTime();
    private final Thread thread;

    /**
     * {@code name}: what health reports call it ("exec" reads "exec reader");
     * {@code losses}: the drops of the programs writing to {@code source};
     * {@code pollInterval}: how often at most the {@link WakeupThread} wakes it while records come.
     */
    SourceReader(RecordSource source, String name, Decoder decoder, KernelLosses losses, EventHub hub,
            Duration pollInterval) {
        this.source = source;
        this.name = name;
        this.decoder = decoder;
        this.losses = losses;
        this.hub = hub;
        this.pollInterval = pollInterval;
        this.thread = Thread.ofPlatform().daemon().name("reader-" + source.name()).start(this::run);
    }

    private void run() {
        while (running) {
            int drained = drainOnce();
            if (drained < BATCH) {
                // Ran dry: what comes next, the wakeup thread says, so no second look costs a scheduling.
                try {
                    wake.acquire();
                    wake.drainPermits();
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
        drainOnce();
    }

    private int drainOnce() {
        int drained = 0;
        try {
            drained = source.consume(handler, BATCH);
        } catch (RuntimeException e) {
            LOG.errorf(e, "reading %s failed", source.name());
        }
        boolean lost = losses.publish(hub);
        lastDrainNanos = System.nanoTime();
        if (drained > 0 || lost) {
            hub.signal();
        }
        return drained;
    }

    private void onRecord(MemorySegment memory, long offset, int length) {
        try {
            Event event = decoder.decode(memory, offset, length);
            hub.publish(event);
            events.incrementAndGet(event.type().ordinal());
        } catch (MalformedRecordException e) {
            hub.publish(LossCause.malformed(e.type()), 1, WallClock.nowEpochNanos());
            if (malformed.incrementAndGet() == 1) {
                LOG.errorf("%s: %s (further malformed records are only counted)", source.name(), e.getMessage());
            }
        }
    }

    /** Whether the programs dropped events not yet published: a reason to wake the reader. */
    boolean lossesPending() {
        return losses.pending();
    }

    /**
     * Records the programs found no room for in this reader's buffer since
     * they were loaded: the reader did not keep up. (Other drops, an exec
     * whose entry was evicted, say nothing of the reader.)
     */
    public long noRoom() {
        return losses.noRoom();
    }

    /** When the last of them was seen, in {@link System#nanoTime()} terms; meaningless while there were none. */
    public long lastNoRoomNanos() {
        return losses.lastNoRoomNanos();
    }

    /** Asks the reader to drain; cheap, never blocks, callable from any thread. */
    void wake() {
        if (wake.availablePermits() == 0) {
            wake.release();
        }
    }

    public RecordSource source() {
        return source;
    }

    Duration pollInterval() {
        return pollInterval;
    }

    public String name() {
        return name;
    }

    /** Events of this type handed to the hub. */
    public long events(EventType type) {
        return events.get(type.ordinal());
    }

    /** Records that could not be decoded (a layout mismatch): lost at the reader. */
    public long malformed() {
        return malformed.get();
    }

    /** When the reader last finished a drain, in {@link System#nanoTime()} terms. */
    public long lastDrainNanos() {
        return lastDrainNanos;
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    /** Stops after a last drain and waits for the thread to end. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        wake();
        thread.join();
    }
}
