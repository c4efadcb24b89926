package io.bpfscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.UnknownSnapshot;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * TextExposition writes what the Prometheus client's own text writers write,
 * byte for byte, for every kind of family it takes: with and without labels,
 * values that need escaping, text that is not ASCII (up to four bytes a character, and lone
 * surrogates), and the odd numbers.
 */
class TextExpositionTest {

    private static final ExpositionFormats CLIENT = ExpositionFormats.init();

    @Test
    void theTextFormatIsTheClientsByteForByte() throws Exception {
        assertThat(ours(false)).isEqualTo(theirs(CLIENT.getPrometheusTextFormatWriter()));
    }

    @Test
    void openMetricsIsTheClientsByteForByte() throws Exception {
        assertThat(ours(true)).isEqualTo(theirs(CLIENT.getOpenMetricsTextFormatWriter())).endsWith("# EOF\n");
    }

    @Test
    void aScrapeWithAFamilyItDoesNotWriteIsLeftToTheClient() {
        assertThat(TextExposition.writes(families())).isTrue();
        assertThat(TextExposition.writes(new MetricSnapshots(UnknownSnapshot.builder().name("odd").help("?")
                .dataPoint(UnknownSnapshot.UnknownDataPointSnapshot.builder().value(1).build()).build()))).isFalse();
    }

    private static String ours(boolean openMetrics) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TextExposition(openMetrics).write(out, families());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static String theirs(ExpositionFormatWriter writer) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writer.write(out, families());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static MetricSnapshots families() {
        Labels odd = Labels.of("comm", "a\"b\\c\nd", "pod", "pöd-ü-€-\uD83D\uDE00-\uD800x-\uDC00");
        return new MetricSnapshots(
                CounterSnapshot.builder().name("writes").help("Writes with \"quotes\", a \\ and a\nnewline")
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().value(3).build())
                        .dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder().labels(odd).value(1e21).build())
                        .build(),
                CounterSnapshot.builder().name("empty").help("A counter with no series").build(),
                GaugeSnapshot.builder().name("ratio").help("Odd numbers")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("v", "nan"))
                                .value(Double.NaN).build())
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("v", "inf"))
                                .value(Double.POSITIVE_INFINITY).build())
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(Labels.of("v", "small"))
                                .value(-1.5e-9).build())
                        .build(),
                GaugeSnapshot.builder().name("no_help")
                        .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(2).build()).build(),
                InfoSnapshot.builder().name("build").help("Build")
                        .dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder().labels(odd).build()).build(),
                HistogramSnapshot.builder().name("size_bytes").help("Sizes")
                        .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder().labels(odd)
                                .classicHistogramBuckets(ClassicHistogramBuckets.of(
                                        new double[] {9.765625E-4, 1, 4, Double.POSITIVE_INFINITY}, new long[] {1, 0, 5, 2}))
                                .sum(12.25).build())
                        .dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                                .classicHistogramBuckets(ClassicHistogramBuckets.of(
                                        new double[] {1, Double.POSITIVE_INFINITY}, new long[] {0, 0}))
                                .sum(0).build())
                        .build(),
                SummarySnapshot.builder().name("pause_seconds").help("Pauses")
                        .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(Labels.of("gc", "young"))
                                .count(4).sum(0.125).build())
                        .dataPoint(SummarySnapshot.SummaryDataPointSnapshot.builder().labels(Labels.of("gc", "old"))
                                .quantiles(Quantiles.of(new Quantile(0.5, 0.01), new Quantile(0.99, 0.2)))
                                .count(2).sum(0.21).build())
                        .build());
    }
}
