package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class WallClockTest {

    private final WallClock clock = new WallClock();

    @Test
    void everyStampIsItsOwnInstantWithNineDigitsAcrossSecondsInEitherOrder() {
        long start = System.nanoTime();
        long[] stamps = {start, start + 5, start + 1_000_000_000L, start + 2, start - 3_000_000_001L, start + 999};
        for (long stamp : stamps) {
            String text = clock.rfc3339(stamp);
            long epochNanos = clock.epochNanos(stamp);

            assertThat(text).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z");
            Instant instant = Instant.parse(text);
            assertThat(instant.getEpochSecond() * 1_000_000_000L + instant.getNano()).as(text).isEqualTo(epochNanos);
        }
    }
}
