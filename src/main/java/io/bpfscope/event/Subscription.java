package io.bpfscope.event;

import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * One reader of an {@link EventHub}, used by one thread (an SSE client's
 * virtual thread, the export's thread): it waits with {@link #await}, then
 * takes what is there with {@link #drain}.
 *
 * <p>Losses are told by what each cause's running total adds to what this
 * subscriber was told: in the ring's order while it keeps up; at a gap, every
 * loss not told yet, at once (those the ring let go, and those it still
 * holds ahead, which are then passed over), so no loss is told twice or not
 * at all.
 */
public final class Subscription implements AutoCloseable {

    private final EventHub hub;
    private final LongAdder lost;
    /** Each cause's total this subscriber was told, by {@link LossCause#ordinal()}. */
    private final long[] told;
    private long cursor;
    volatile Thread waiter;

    Subscription(EventHub hub, long cursor, LongAdder lost, long[] told) {
        this.hub = hub;
        this.cursor = cursor;
        this.lost = lost;
        this.told = told;
    }

    /** What a drain hands over, in order. */
    public interface Sink {
        void event(EventHub.Slot slot);

        /**
         * A slot holding a {@link Loss}, of whose events this subscriber was
         * not told {@code untold} yet: its count, or fewer (0 included) when a
         * gap told some early, or more when it stands for losses missed.
         */
        void loss(EventHub.Slot slot, long untold);

        /**
         * {@code count} messages from {@code fromSeq} on were let go before this
         * subscriber read them; {@code untold} are the losses not told to it
         * yet, up to now, each with the count it was not told.
         */
        void lost(long fromSeq, long count, List<Loss> untold);
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
            if (slot.message() instanceof Loss loss) {
                int cause = loss.cause().ordinal();
                sink.loss(slot, Math.max(0, loss.total() - told[cause]));
                told[cause] = Math.max(told[cause], loss.total());
            } else {
                sink.event(slot);
            }
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
        List<Loss> untold = hub.lossesBeyond(told);
        for (Loss loss : untold) {
            told[loss.cause().ordinal()] = loss.total();
        }
        sink.lost(cursor, missed, untold);
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
