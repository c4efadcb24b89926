package io.bpfscope.reader;

import io.bpfscope.event.EventHub;
import io.bpfscope.event.EventType;
import io.bpfscope.event.LossCause;
import io.bpfscope.event.WallClock;
import io.bpfscope.probe.DropReason;
import io.bpfscope.probe.Probe;

/**
 * Tells the hub what one probe's programs dropped since it last looked:
 * the reader of the probe's buffer looks after each drain, so the loss
 * follows the events that filled the buffer, and the wakeup thread asks
 * whether to wake it while the buffer stays empty (an exec whose entry was
 * evicted drops a record that never filled anything). One per loaded probe,
 * outliving readers that stop and start, so each drop is told once.
 */
final class KernelLosses {

    private final Probe probe;
    /** What was told, by {@link DropReason#ordinal()}. */
    private final long[] told = new long[DropReason.values().length];
    /** Records that found no room in the buffer, told: what says the reader is behind. */
    private volatile long noRoom;
    /** When the last of them was told, in {@link System#nanoTime()} terms; meaningless while there were none. */
    private volatile long lastNoRoomNanos;

    KernelLosses(Probe probe) {
        this.probe = probe;
    }

    /** Whether the programs dropped an event since the last {@link #publish}. */
    synchronized boolean pending() {
        long[] drops = probe.drops();
        for (DropReason reason : DropReason.values()) {
            if (reason.event() && drops[reason.ordinal()] > told[reason.ordinal()]) {
                return true;
            }
        }
        return false;
    }

    /** Publishes one loss per cause that grew; returns whether it published any. */
    synchronized boolean publish(EventHub hub) {
        long[] drops = probe.drops();
        boolean published = false;
        for (DropReason reason : DropReason.values()) {
            long dropped = drops[reason.ordinal()] - told[reason.ordinal()];
            if (reason.event() && dropped > 0) {
                hub.publish(cause(reason), dropped, WallClock.nowEpochNanos());
                told[reason.ordinal()] = drops[reason.ordinal()];
                if (reason == DropReason.BUFFER_FULL || reason == DropReason.EXIT_BUFFER_FULL) {
                    noRoom += dropped;
                    lastNoRoomNanos = System.nanoTime();
                }
                published = true;
            }
        }
        return published;
    }

    /** Records that found no room in the buffer since the probe was loaded, told so far. */
    long noRoom() {
        return noRoom;
    }

    long lastNoRoomNanos() {
        return lastNoRoomNanos;
    }

    private LossCause cause(DropReason reason) {
        return switch (reason) {
            case BUFFER_FULL -> LossCause.bufferFull(probe.mainType());
            case EXIT_BUFFER_FULL -> LossCause.bufferFull(EventType.EXIT);
            case EXEC_UNMATCHED -> LossCause.EXEC_UNMATCHED;
            case EXEC_UNTRACKED -> LossCause.EXEC_UNTRACKED;
            case CHILD_UNFOLLOWED -> throw new IllegalArgumentException("not an event: " + reason);
        };
    }
}
