package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FlatnessTest {

    private static final double MIB = 1 << 20;

    /** A point a second from 0 s to 60 s. */
    private static List<Flatness.Point> everySecond(IntToDoubleFunction value) {
        return IntStream.rangeClosed(0, 60).mapToObj(t -> new Flatness.Point(t, value.applyAsDouble(t))).toList();
    }

    @Test
    void aSteadyClimbFailsEvenUnderTheLimit() {
        Flatness climbing = Flatness.judge(everySecond(t -> 100 * MIB * (1 + 0.0001 * t)), 10, 60);

        assertThat(climbing.ok()).isFalse();
        assertThat(climbing.text()).isEqualTo("last 5 s +0.4% over the first 5 s after the warm-up (limit +5%), rises at"
                + " every 5 s step, slope +0.60 MiB/min");
        assertThat(climbing.window()).hasSize(51);
    }

    @Test
    void aJumpPastTheLimitFailsWithoutAClimb() {
        Flatness jumped = Flatness.judge(everySecond(t -> 100 * MIB * (t >= 40 ? 1.08 : 1) + (t % 3 == 0 ? MIB : 0)), 10,
                60);

        assertThat(jumped.ok()).isFalse();
        assertThat(jumped.text()).isEqualTo("last 5 s +8.0% over the first 5 s after the warm-up (limit +5%), no steady"
                + " climb, slope +13.78 MiB/min");
    }

    @Test
    void aSawToothUnderTheLimitIsFlat() {
        Flatness flat = Flatness.judge(everySecond(t -> 100 * MIB + (t % 7) * MIB), 10, 60);

        assertThat(flat.ok()).isTrue();
        assertThat(flat.text()).contains("no steady climb");
    }

    @Test
    void twoStepsAtLeastAreWanted() {
        Flatness few = Flatness.judge(List.of(new Flatness.Point(11, 1), new Flatness.Point(12, 2)), 10, 60);

        assertThat(few.ok()).isFalse();
        assertThat(few.text()).isEqualTo("too few points after the warm-up");
    }

    @Test
    void theWindowHoldsItsBoundsAndNothingOutside() {
        Flatness judged = Flatness.judge(everySecond(t -> MIB), 10, 20);

        assertThat(judged.window()).extracting(Flatness.Point::seconds).containsExactly(10.0, 11.0, 12.0, 13.0, 14.0, 15.0,
                16.0, 17.0, 18.0, 19.0, 20.0);
    }

    @Test
    void theSlopeIsTheLeastSquaresOnePerMinute() {
        assertThat(Flatness.slopePerMinute(List.of(new Flatness.Point(0, 0), new Flatness.Point(30, 60)))).isEqualTo(120);
        assertThat(Flatness.slopePerMinute(List.of(new Flatness.Point(5, 1), new Flatness.Point(5, 9)))).isZero();
    }
}
