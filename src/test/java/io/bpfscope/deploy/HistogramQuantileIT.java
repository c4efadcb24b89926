package io.bpfscope.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.PrometheusServer;
import io.bpfscope.testing.SizedWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The size histogram as Prometheus reads it, both kinds: Debian's Prometheus
 * scrapes the packaged daemon twice, once as it comes (text or OpenMetrics:
 * classic buckets) and once with native histograms on (protobuf: Prometheus
 * 2.42 then keeps only the native one), and histogram_quantile over each
 * answers what the workload's sizes imply.
 */
class HistogramQuantileIT {

    private static final String NODE = "quantile-node";
    private static final Duration PATIENCE = Duration.ofSeconds(45);

    @TempDir
    static Path dir;
    private static Daemon daemon;
    private static PrometheusServer classic;
    private static PrometheusServer nativeHistograms;

    @BeforeAll
    static void start() throws Exception {
        Kernel.requireRoot();
        daemon = Daemon.start(List.of(), dir.resolve("state"), "-Dbpfscope.write.max-series=8192");
        daemon.awaitListening(Duration.ofSeconds(30));
        classic = PrometheusServer.start(ExampleScrapeConfig.writeFor(Files.createDirectories(dir.resolve("classic")),
                daemon.port(), NODE));
        nativeHistograms = PrometheusServer.startWithNativeHistograms(ExampleScrapeConfig.writeFor(
                Files.createDirectories(dir.resolve("native")), daemon.port(), NODE));
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable running : new AutoCloseable[] {classic, nativeHistograms, daemon}) {
            if (running != null) {
                running.close();
            }
        }
    }

    @Test
    void theMedianWriteSizeIsWhatTheSizesImplyInBothKinds() throws Exception {
        Map<Long, Long> sizes = new LinkedHashMap<>();
        sizes.put(1L, 100L);
        sizes.put(100L, 300L);
        sizes.put(4096L, 100L);
        sizes.put(1L << 20, 10L);
        String comm = SizedWriter.run(sizes);
        // 510 writes: the 255th is among the 300 of 100 bytes, after the 100 of 1 byte. Both kinds
        // interpolate linearly within its bucket: the native one (64, 128], the classic one (64, 256].
        double nativeMedian = 64 + 64 * (0.5 * 510 - 100) / 300;
        double classicMedian = 64 + 192 * (0.5 * 510 - 100) / 300;

        String overClassic = "histogram_quantile(0.5, sum by (le) (bpfscope_write_size_bytes_bucket{comm=\"" + comm + "\"}))";
        String overNative = "histogram_quantile(0.5, sum(bpfscope_write_size_bytes{comm=\"" + comm + "\"}))";

        assertThat(await(classic, overClassic)).as(overClassic).isCloseTo(classicMedian, Offset.offset(1e-9));
        assertThat(await(nativeHistograms, overNative)).as(overNative).isCloseTo(nativeMedian, Offset.offset(1e-9));
        assertThat(nativeHistograms.vector("bpfscope_write_size_bytes_bucket{comm=\"" + comm + "\"}"))
                .as("with native histograms on, Prometheus 2.42 keeps only the native one").isEmpty();
        assertThat(await(nativeHistograms, "histogram_count(sum(bpfscope_write_size_bytes{comm=\"" + comm + "\"}))"))
                .isEqualTo(510.0);
        assertThat(await(nativeHistograms, "histogram_sum(sum(bpfscope_write_size_bytes{comm=\"" + comm + "\"}))"))
                .isEqualTo(100.0 + 300 * 100 + 100 * 4096 + 10 * (1 << 20));
    }

    /** The value of a one-element instant vector, asked for until it has one. */
    private static double await(PrometheusServer prometheus, String promql) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        List<JsonNode> result = prometheus.vector(promql);
        while (result.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no answer to " + promql + " within " + PATIENCE + "\nprometheus output:\n"
                        + prometheus.output() + "\ndaemon output:\n" + daemon.output());
            }
            Thread.sleep(250);
            result = prometheus.vector(promql);
        }
        assertThat(result).as(promql).hasSize(1);
        return result.getFirst().path("value").get(1).asDouble();
    }
}
