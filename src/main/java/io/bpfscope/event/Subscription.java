package io.bpfscope.event;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One reader of an {@link EventHub}, used by one thread (an SSE client's
 * virtual thread, the export's thread): it waits with {@link #await}, then
 * takes what is there with {@link #drain}.
 */
public final class Subscription implements AutoCloseable {

    private final EventHub hub;
    private final LongAdder lost;
    private long cursor;
    volatile Thread waiter;

    Subscription(EventHub hub, long cursor, LongAdder lost) {
        this.hub = hub;
        this.cursor = cursor;
        this.lost = lost;
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
     * Hands over every event signalled since the last drain, reporting gaps
     * where they are, and stops at {@code max} events or at an event still
     * being published. Returns how many events it handed over.
     */
    public int drain(Sink sink, int max) {
        int handed = 0;
        long end = hub.announced();
        while (handed < max && cursor < end) {
            long oldest = hub.oldest();
            if (cursor < oldest) {
                skipTo(oldest, sink);
            }
            EventHub.Slot slot = hub.slot(cursor);
            if (slot == null && cursor < hub.oldest()) {
                // Let go between the check above and the read, to keep the ring within its bytes.
                skipTo(hub.oldest(), sink);
                continue;
            }
            if (slot == null || slot.seq() < cursor) {
                break;
            }
            if (slot.seq() > cursor) {
                // Overwritten between the check above and the read: the ring moved on.
                skipTo(Math.max(cursor + 1, hub.oldest()), sink);
                continue;
            }
            sink.event(slot);
            cursor++;
            handed++;
        }
        return handed;
    }

    /**
     * Moves past events handed over another way (a run encoded by another
     * subscriber with the same filter): they count as read, not lost.
     */
    public void advance(long to) {
        if (to < cursor) {
            throw new IllegalArgumentException("cannot move back from " + cursor + " to " + to);
        }
        cursor = to;
    }

    private void skipTo(long seq, Sink sink) {
        long missed = seq - cursor;
        lost.add(missed);
        sink.lost(cursor, missed);
        cursor = seq;
    }

    /**
     * Whether {@link #drain} would hand over an event or a gap now. Reads the
     * hub's volatile mark after {@link #await} wrote the volatile waiter, while
     * {@link EventHub#signal} writes the mark before it reads the waiter: a
     * subscriber going to sleep either sees the events or is unparked.
     */
    private boolean ready() {
        if (cursor >= hub.announced()) {
            return false;
        }
        EventHub.Slot slot = hub.slot(cursor);
        return slot != null && slot.seq() >= cursor || cursor < hub.oldest();
    }

    /**
     * Parks until {@link #drain} has something, or the thread is unparked
     * otherwise. Returns whether it has. An event reserved but not yet stored
     * counts as nothing: its publisher signals once it is stored.
     */
    public boolean await() {
        if (ready()) {
            return true;
        }
        waiter = Thread.currentThread();
        try {
            if (!ready()) {
                LockSupport.park(this);
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
