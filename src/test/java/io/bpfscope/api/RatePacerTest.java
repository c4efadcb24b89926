package io.bpfscope.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The token bucket behind /events?maxRate: a second's worth at once, then the rate, the rest counted. */
class RatePacerTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void aSecondsWorthGoesAtOnceThenTheRateAndTheRestIsCounted() {
        RatePacer pacer = new RatePacer(10, 0);
        int allowed = 0;
        for (int i = 0; i < 25; i++) {
            allowed += pacer.allow(0) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(10);
        assertThat(pacer.takeSkipped()).isEqualTo(15);
        assertThat(pacer.takeSkipped()).isZero();

        // Half a second later, half a second's worth.
        allowed = 0;
        for (int i = 0; i < 25; i++) {
            allowed += pacer.allow(SECOND / 2) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(5);
        assertThat(pacer.takeSkipped()).isEqualTo(20);
    }

    @Test
    void idleTimeFillsNoMoreThanASecondsWorth() {
        RatePacer pacer = new RatePacer(3, 0);
        int allowed = 0;
        for (int i = 0; i < 10; i++) {
            allowed += pacer.allow(60 * SECOND) ? 1 : 0;
        }
        assertThat(allowed).isEqualTo(3);
    }

    @Test
    void noRateLetsEveryEventThrough() {
        RatePacer pacer = new RatePacer(0, 0);
        for (int i = 0; i < 1000; i++) {
            assertThat(pacer.allow(0)).isTrue();
        }
        assertThat(pacer.takeSkipped()).isZero();
    }
}
