package io.bpfscope.event;

import java.util.concurrent.locks.LockSupport;

/**
 * One reader of an {@link EventHub}, used by one thread (an SSE client's
 * virtual thread): it waits with {@link #await}, then takes what is there
 * with {@link #drain}.
 */
public final class Subscription implements AutoCloseable {

    private final EventHub hub;
    private long cursor;
    volatile Thread waiter;

    Subscription(EventHub hub, long cursor) {
        this.hub = hub;
        this.cursor = cursor;
    }

    /** What a drain hands over, in order. */
    public interface Sink {
        void event(EventHub.Slot slot);

        /** {@code count} events from {@code fromSeq} on were overwritten before this subscriber read them. */
        void lost(long fromSeq, long count);
    }

    /** The next sequence number this subscriber will read. */
    public long cursor() {
        return cursor;
    }

    /**
     * Hands over every event published since the last drain, reporting gaps
     * where they are, and stops at {@code max} events or at an event still
     * being published. Returns how many events it handed over.
     */
    public int drain(Sink sink, int max) {
        int handed = 0;
        while (handed < max) {
            long oldest = hub.nextSeq() - hub.capacity();
            if (cursor < oldest) {
                skipTo(oldest, sink);
            }
            EventHub.Slot slot = hub.slot(cursor);
            if (cursor >= hub.nextSeq() || slot == null || slot.seq() < cursor) {
                break;
            }
            if (slot.seq() > cursor) {
                // Overwritten between the check above and the read: the ring moved on.
                skipTo(Math.max(cursor + 1, hub.nextSeq() - hub.capacity()), sink);
                continue;
            }
            sink.event(slot);
            cursor++;
            handed++;
        }
        return handed;
    }

    private void skipTo(long seq, Sink sink) {
        long missed = seq - cursor;
        hub.countLost(missed);
        sink.lost(cursor, missed);
        cursor = seq;
    }

    /** Whether {@link #drain} would hand over an event or a gap now. */
    private boolean ready() {
        if (cursor >= hub.nextSeq()) {
            return false;
        }
        EventHub.Slot slot = hub.slot(cursor);
        return slot != null && slot.seq() >= cursor || cursor < hub.nextSeq() - hub.capacity();
    }

    /**
     * Parks until {@link #drain} has something, or {@code nanos} pass.
     * Returns whether it has. An event reserved but not yet stored counts as
     * nothing: its publisher signals once it is stored.
     */
    public boolean await(long nanos) {
        if (ready()) {
            return true;
        }
        waiter = Thread.currentThread();
        try {
            if (!ready()) {
                LockSupport.parkNanos(this, nanos);
            }
        } finally {
            waiter = null;
        }
        return ready();
    }

    @Override
    public void close() {
        hub.unsubscribe(this);
    }
}
