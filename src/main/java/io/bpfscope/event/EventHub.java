package io.bpfscope.event;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * Numbers events and keeps the last {@code capacity} of them, and no more
 * than {@code maxBytes} of heap ({@link Event#retainedBytes}), in a ring that
 * is at once the replay buffer and every subscriber's queue: a subscriber
 * reads from its own position, and one that falls behind what the ring
 * holds loses the events let go (counted, and told with the count). The
 * readers that publish never wait for a subscriber.
 *
 * <p>Losses before the hub ({@link Loss}) travel in the same ring, in order
 * with the events, and the hub keeps a running total per {@link LossCause}:
 * a subscriber that skips past a loss, or misses one that the ring let go,
 * is still told its count (see {@link Subscription}).
 *
 * <p>Sequence numbers start at 1 and never repeat while the process runs.
 */
public final class EventHub {

    private final int mask;
    private final AtomicReferenceArray<Slot> ring;
    private final AtomicLong next = new AtomicLong(1);
    /** Events before this number were signalled: subscribers read no further (see {@link #signal()}). */
    private final AtomicLong announced = new AtomicLong(1);
    private final List<Subscription> subscriptions = new CopyOnWriteArrayList<>();
    private final LongAdder lostBySubscribers = new LongAdder();
    private final long maxBytes;
    /** What the events in the ring hold, by {@link Event#retainedBytes}. */
    private final AtomicLong heldBytes = new AtomicLong();
    /** Events before this number were let go to stay within {@code maxBytes}. */
    private final AtomicLong floor = new AtomicLong(1);
    /** Guards the loss totals: losses are numbered and totalled in one step, so totals grow in ring order. */
    private final Object losses = new Object();
    private final long[] lossTotals = new long[LossCause.values().length];
    private final long[] lastLossNanos = new long[LossCause.values().length];

    public EventHub(int capacity, long maxBytes) {
        if (capacity < 2 || Integer.bitCount(capacity) != 1) {
            throw new IllegalArgumentException("hub capacity must be a power of two, not " + capacity);
        }
        if (maxBytes <= 0) {
            throw new IllegalArgumentException("hub size in bytes must be positive, not " + maxBytes);
        }
        this.mask = capacity - 1;
        this.ring = new AtomicReferenceArray<>(capacity);
        this.maxBytes = maxBytes;
    }

    /** Numbers and stores one event; safe from several publishing threads. Call {@link #signal()} after a batch. */
    public long publish(Event event) {
        return store(next.getAndIncrement(), event);
    }

    /**
     * Numbers and stores word of {@code count} events lost for {@code cause},
     * seen at {@code seenNanos} (Unix-epoch), after the events published so far; rare (at
     * most one per cause per drain), so it may take a lock.
     */
    public long publish(LossCause cause, long count, long seenNanos) {
        synchronized (losses) {
            int index = cause.ordinal();
            lossTotals[index] += count;
            lastLossNanos[index] = seenNanos;
            return store(next.getAndIncrement(), new Loss(cause, count, lossTotals[index], seenNanos));
        }
    }

    /**
     * The running total of every cause, each with the time of its last loss,
     * as losses not yet told to a subscriber: {@code told} (by cause) is what
     * it was told already.
     */
    List<Loss> lossesBeyond(long[] told) {
        synchronized (losses) {
            List<Loss> untold = new ArrayList<>();
            for (LossCause cause : LossCause.values()) {
                long total = lossTotals[cause.ordinal()];
                if (total > told[cause.ordinal()]) {
                    untold.add(new Loss(cause, total - told[cause.ordinal()], total, lastLossNanos[cause.ordinal()]));
                }
            }
            return untold;
        }
    }

    /** Each cause's running total, by {@link LossCause#ordinal()}. */
    long[] lossTotals() {
        synchronized (losses) {
            return lossTotals.clone();
        }
    }

    private long store(long seq, Message message) {
        Slot slot = new Slot(seq, message);
        Slot overwritten = ring.getAndSet(index(seq), slot);
        long held = heldBytes.addAndGet(slot.bytes - (overwritten == null ? 0 : overwritten.bytes));
        if (held > maxBytes) {
            letGoOldest(seq);
        }
        return seq;
    }

    /**
     * Lets the oldest events go until the ring is within its bytes again,
     * never the one just published. A slot already overwritten (the ring
     * wrapped) or let go by another publisher is passed over.
     */
    private void letGoOldest(long newest) {
        while (heldBytes.get() > maxBytes) {
            long oldest = floor.get();
            if (oldest >= newest) {
                return;
            }
            if (floor.compareAndSet(oldest, oldest + 1)) {
                int index = index(oldest);
                Slot slot = ring.get(index);
                if (slot != null && slot.seq == oldest && ring.compareAndSet(index, slot, null)) {
                    heldBytes.addAndGet(-slot.bytes);
                }
            }
        }
    }

    /**
     * Makes the events published so far visible to subscribers and wakes
     * those waiting: once per batch, not per event. Subscribers read up to
     * the last signal only, so those woken by one signal stop at the same
     * place and can share what they encode.
     */
    public void signal() {
        long published = next.get();
        // Two publishers may signal out of order: the mark only moves forward.
        announced.accumulateAndGet(published, Math::max);
        for (Subscription subscription : subscriptions) {
            Thread waiter = subscription.waiter;
            if (waiter != null) {
                LockSupport.unpark(waiter);
            }
        }
    }

    /** The sequence number after the last event signalled. */
    long announced() {
        return announced.get();
    }

    /** The sequence number the next event will get. */
    public long nextSeq() {
        return next.get();
    }

    public int capacity() {
        return mask + 1;
    }

    /** The first sequence number the ring may still hold: what is before it is lost to a reader there. */
    long oldest() {
        return Math.max(floor.get(), next.get() - capacity());
    }

    /** Subscribers attached: the /events clients and the export. */
    public int subscribers() {
        return subscriptions.size();
    }

    /** Events the /events clients (the subscribers without a counter of their own) lost by falling behind, since start. */
    public long lostBySubscribers() {
        return lostBySubscribers.sum();
    }

    /**
     * Starts reading at {@code fromSeq}: an earlier number replays what the
     * ring still holds (the rest is reported lost), a later one than
     * {@link #nextSeq()} is clamped to it.
     */
    public Subscription subscribe(long fromSeq) {
        return subscribe(fromSeq, lostBySubscribers);
    }

    /** The same, counting what this subscriber loses in {@code lost} rather than with the clients' losses. */
    public Subscription subscribe(long fromSeq, LongAdder lost) {
        // Totals first: a loss numbered after them is either read from the ring or beyond what they say.
        long[] told = lossTotals();
        long start = Math.clamp(fromSeq, 1, nextSeq());
        toldBefore(start, told);
        Subscription subscription = new Subscription(this, start, lost, told);
        subscriptions.add(subscription);
        return subscription;
    }

    /**
     * Lowers {@code told} to what stood before the first loss of each cause
     * the ring holds from {@code start} on, so a replay tells those losses
     * again; losses the ring no longer holds fall in the replay's gap.
     */
    private void toldBefore(long start, long[] told) {
        boolean[] found = new boolean[told.length];
        long end = nextSeq();
        for (long seq = Math.max(start, oldest()); seq < end; seq++) {
            Slot slot = slot(seq);
            if (slot != null && slot.seq == seq && slot.message instanceof Loss loss
                    && !found[loss.cause().ordinal()]) {
                found[loss.cause().ordinal()] = true;
                told[loss.cause().ordinal()] = loss.total() - loss.count();
            }
        }
    }

    /** Reads from now on. */
    public Subscription subscribe() {
        return subscribe(nextSeq());
    }

    void unsubscribe(Subscription subscription) {
        subscriptions.remove(subscription);
    }

    Slot slot(long seq) {
        return ring.get(index(seq));
    }

    private int index(long seq) {
        return (int) (seq & mask);
    }

    /**
     * One numbered message. {@code encoded} caches its wire form: the first
     * subscriber to need it encodes it, the others send the same bytes (a
     * race only encodes twice; the array is filled before it is published,
     * and readers only read it).
     */
    public static final class Slot {
        private final long seq;
        private final Message message;
        private final int bytes;
        private volatile byte[] encoded;

        Slot(long seq, Message message) {
            this.seq = seq;
            this.message = message;
            this.bytes = message.retainedBytes();
        }

        public long seq() {
            return seq;
        }

        public Message message() {
            return message;
        }

        public byte[] encoded(Function<Slot, byte[]> encoder) {
            byte[] cached = encoded;
            if (cached == null) {
                cached = encoder.apply(this);
                encoded = cached;
            }
            return cached;
        }
    }
}
