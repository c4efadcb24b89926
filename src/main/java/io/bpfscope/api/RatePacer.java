package io.bpfscope.api;

/**
 * At most {@code perSecond} events a second, in bursts of at most a second's
 * worth: a token bucket, refilled from the clock at each ask; 0 lets every
 * event through. What it turns away is counted until {@link #takeSkipped}.
 */
final class RatePacer {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long perSecond;
    private double tokens;
    private long refilledAt;
    private long skipped;

    RatePacer(int perSecond, long now) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.refilledAt = now;
    }

    /** Whether one more event may go out at {@code now} (System.nanoTime()). */
    boolean allow(long now) {
        if (perSecond == 0) {
            return true;
        }
        tokens = Math.min(perSecond, tokens + (double) (now - refilledAt) * perSecond / NANOS_PER_SECOND);
        refilledAt = now;
        if (tokens >= 1) {
            tokens--;
            return true;
        }
        skipped++;
        return false;
    }

    /** The events turned away since the last call. */
    long takeSkipped() {
        long taken = skipped;
        skipped = 0;
        return taken;
    }
}
