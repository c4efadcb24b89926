package io.bpfscope.event;

import io.bpfscope.sys.Clocks;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.BooleanSupplier;

/**
 * Turns the programs' stamps into RFC 3339 wall-clock time. They are on the
 * boot clock, or on the monotonic clock where the kernel has no boot clock
 * for BPF, as {@code bootClock} says once the programs are loaded. The
 * offset between the clocks moves when NTP steps or slews the wall clock, so
 * it is read again every few seconds.
 */
public final class WallClock {

    private static final long REFRESH_NANOS = 5_000_000_000L;
    /**
     * A new reading replaces the offset only when it moved by this much: an
     * event encoded twice (for /events and for the export) must read the
     * same time, and two readings of an unchanged offset differ by a few
     * hundred ns of measurement alone.
     */
    private static final long MOVE_NANOS = 10_000;
    private static final DateTimeFormatter RFC3339_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final BooleanSupplier bootClock;
    private volatile long offset;
    private volatile long refreshedAt;
    private volatile boolean read;

    public WallClock(BooleanSupplier bootClock) {
        this.bootClock = bootClock;
    }

    /** Stamps on the boot clock. */
    public WallClock() {
        this(() -> true);
    }

    /** Unix-epoch nanoseconds of a stamp. */
    public long epochNanos(long bootNs) {
        long now = System.nanoTime();
        if (!read || now - refreshedAt > REFRESH_NANOS) {
            long measured = Clocks.realtimeMinus(bootClock.getAsBoolean());
            if (!read || Math.abs(measured - offset) >= MOVE_NANOS) {
                offset = measured;
            }
            refreshedAt = now;
            read = true;
        }
        return bootNs + offset;
    }

    /** e.g. 2026-11-21T20:36:49.123456789Z: always nine fraction digits, always UTC. */
    public String rfc3339(long bootNs) {
        return rfc3339Epoch(epochNanos(bootNs));
    }

    /** Unix-epoch nanoseconds now. */
    public static long nowEpochNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** The same for Unix-epoch nanoseconds. */
    public static String rfc3339Epoch(long epochNanos) {
        return RFC3339_NANOS.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)));
    }
}
