package io.bpfscope.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.histogram.Log2Unit;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.NativeHistograms;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.SizedWriter;
import io.bpfscope.testing.WriteSizes;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.Histogram;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * bpfscope_write_size_bytes against a workload of known sizes, in both kinds
 * of histogram: every bucket exact, its count and sum the write counters'.
 * Runs with ring buffers, perf buffers and every older path (pom.xml).
 */
@QuarkusTest
class WriteSizeHistogramTest {

    /** Zero, one byte, sizes inside buckets and on their bounds, the largest per-CPU one, and past it. */
    private static final Map<Long, Long> SIZES = sizes(0L, 5L, 1L, 1000L, 100L, 700L, 4096L, 300L, 65_536L, 7L,
            65_537L, 3L, 1L << 20, 20L);

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void everyClassicBucketHoldsExactlyTheWritesUpToItsBound() {
        String comm = SizedWriter.run(SIZES);

        Map<String, Double> samples = Scrape.of(metrics);

        String series = Scrape.onHost(comm);
        WriteSizes.classicBuckets(SIZES).forEach((le, count) -> assertThat(samples)
                .containsEntry("bpfscope_write_size_bytes_bucket" + series.replace("}", ",le=\"" + le + "\"}"),
                        (double) count));
        Log2Histogram expected = WriteSizes.of(SIZES).sizes();
        assertThat(samples).containsEntry("bpfscope_write_size_bytes_count" + series, (double) expected.count())
                .containsEntry("bpfscope_write_size_bytes_sum" + series, (double) expected.sum())
                .containsEntry("bpfscope_write_syscalls_total" + series, (double) expected.count())
                .containsEntry("bpfscope_write_bytes_total" + series, (double) expected.sum());
    }

    @Test
    void theNativeHistogramIsEveryBucketTheKernelCounted() throws Exception {
        String comm = SizedWriter.run(SIZES);

        Histogram histogram = NativeHistograms.find(
                NativeHistograms.families(ExpositionFormatsTest.get(metrics, ExpositionFormatsTest.NATIVE_HISTOGRAMS_ACCEPT).body()),
                "bpfscope_write_size_bytes", Map.of("comm", comm)).orElseThrow();

        Log2Histogram expected = WriteSizes.of(SIZES).sizes();
        Map<Integer, Long> buckets = new TreeMap<>();
        for (int index = 1; index < Log2Histogram.INDEXES; index++) {
            if (expected.counts()[index] != 0) {
                buckets.put(Log2Unit.BYTES.bucket(index), expected.counts()[index]);
            }
        }
        assertThat(histogram.getSchema()).isZero();
        assertThat(histogram.getZeroThreshold()).isZero();
        assertThat(histogram.getZeroCount()).isEqualTo(SIZES.get(0L));
        assertThat(NativeHistograms.positiveBuckets(histogram)).isEqualTo(buckets)
                .containsEntry(0, 1000L).containsEntry(7, 700L).containsEntry(12, 300L).containsEntry(16, 7L)
                .containsEntry(17, 3L).containsEntry(20, 20L);
        assertThat(histogram.getSampleCount()).isEqualTo(expected.count());
        assertThat(histogram.getSampleSum()).isEqualTo((double) expected.sum());
    }

    private static Map<Long, Long> sizes(long... sizeThenCount) {
        Map<Long, Long> sizes = new LinkedHashMap<>();
        for (int i = 0; i < sizeThenCount.length; i += 2) {
            sizes.put(sizeThenCount[i], sizeThenCount[i + 1]);
        }
        return sizes;
    }
}
