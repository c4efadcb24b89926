package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class SamplesTest {

    @Test
    void theMedianIsTheMiddleValueOrTheMeanOfTheTwoMiddleOnes() {
        assertThat(Samples.of(5, 1, 3).median()).isEqualTo(3);
        assertThat(Samples.of(4, 1, 3, 10).median()).isEqualTo(3.5);
        assertThat(Samples.of(7).median()).isEqualTo(7);
        assertThat(Samples.of().median()).isNaN();
    }

    @Test
    void aPercentileIsTheSortedValueAtTheFloorOfItsRankWithoutInterpolation() {
        Samples hundred = new Samples(IntStream.rangeClosed(1, 100).mapToObj(i -> (double) (101 - i)).toList());
        assertThat(hundred.percentile(0.5)).isEqualTo(51);
        assertThat(hundred.percentile(0.99)).isEqualTo(100);
        assertThat(hundred.percentile(0)).isEqualTo(1);
        assertThat(Samples.of(3, 1, 2, 4).percentile(0.5)).isEqualTo(3);
        assertThat(Samples.of(3, 1, 2, 4).percentile(1)).isEqualTo(4);
        assertThat(Samples.of().percentile(0.99)).isNaN();
        // A delivery that never came counts as infinitely late.
        assertThat(Samples.of(3, Double.POSITIVE_INFINITY, 1).percentile(0.99)).isInfinite();
    }

    @Test
    void aPercentileIsAFraction() {
        assertThatThrownBy(() -> Samples.of(1).percentile(99)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theRangeSaysWhetherTheRunsAgree() {
        assertThat(Samples.of(3, 1, 2).range()).isEqualTo("1..3");
        assertThat(Samples.of(10_000_001, 10_000_001).range()).isEqualTo("10000001");
        assertThat(Samples.of(0.25, 1.5).range()).isEqualTo("0.3..1.5");
        assertThat(Samples.of().range()).isEqualTo("-");
    }

    @Test
    void runsWithinABoundAreCounted() {
        assertThat(Samples.of(0, 3, 0, 1).countAtMost(0)).isEqualTo("2 of 4");
    }

    @Test
    void aRatioNeedsBothFiguresAndAPositiveDivisor() {
        assertThat(Samples.ratio(3, 2)).isEqualTo("1.50");
        assertThat(Samples.ratio(3, 0)).isEqualTo("n/a");
        assertThat(Samples.ratio(Double.NaN, 2)).isEqualTo("n/a");
    }

    @Test
    void theValuesAreKeptAsGiven() {
        Samples samples = new Samples(List.of(2.0, 1.0));
        assertThat(samples.values()).containsExactly(2.0, 1.0);
        assertThat(samples.min()).isEqualTo(1);
        assertThat(samples.max()).isEqualTo(2);
        assertThat(samples.count()).isEqualTo(2);
    }
}
