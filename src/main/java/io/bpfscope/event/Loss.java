package io.bpfscope.event;

/**
 * {@code count} events lost for one cause, told to subscribers in the hub's
 * order, after the events read before the loss was seen.
 *
 * @param total  the cause's running total since start, this loss included: what lets a subscriber
 *               that missed a loss (or was told of it early) tell exactly what it was not told yet
 * @param seenNanos when the daemon saw the loss, in Unix-epoch nanoseconds
 */
public record Loss(LossCause cause, long count, long total, long seenNanos) implements Message {

    /** Fields, references, the record's header, and its wire form cached in the hub's slot. */
    private static final int RETAINED_BYTES = 256;

    public Loss {
        if (count <= 0 || total < count) {
            throw new IllegalArgumentException("a loss of " + count + " in a total of " + total);
        }
    }

    @Override
    public EventType type() {
        return cause.type();
    }

    @Override
    public int retainedBytes() {
        return RETAINED_BYTES;
    }

    /** The same loss told as {@code told} events (more when it stands for losses missed, fewer when some were told). */
    public Loss told(long told) {
        return new Loss(cause, told, total, seenNanos);
    }
}
