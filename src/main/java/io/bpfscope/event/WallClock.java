package io.bpfscope.event;

import io.bpfscope.libbpf.Clocks;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Turns the programs' boot-time stamps into RFC 3339 wall-clock time. The
 * offset between the two clocks moves when NTP steps or slews the wall
 * clock, so it is read again every few seconds.
 */
public final class WallClock {

    private static final long REFRESH_NANOS = 5_000_000_000L;
    private static final DateTimeFormatter RFC3339_NANOS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private volatile long offset = Clocks.realtimeMinusBoottime();
    private volatile long refreshedAt = System.nanoTime();

    /** Unix-epoch nanoseconds of a boot-time stamp. */
    public long epochNanos(long bootNs) {
        long now = System.nanoTime();
        if (now - refreshedAt > REFRESH_NANOS) {
            offset = Clocks.realtimeMinusBoottime();
            refreshedAt = now;
        }
        return bootNs + offset;
    }

    /** e.g. 2026-11-21T20:36:49.123456789Z: always nine fraction digits, always UTC. */
    public String rfc3339(long bootNs) {
        long epochNanos = epochNanos(bootNs);
        return RFC3339_NANOS.format(Instant.ofEpochSecond(Math.floorDiv(epochNanos, 1_000_000_000L),
                Math.floorMod(epochNanos, 1_000_000_000L)));
    }
}
