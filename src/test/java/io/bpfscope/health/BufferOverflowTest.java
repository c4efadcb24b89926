package io.bpfscope.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.filter.PidFilter;
import io.bpfscope.probe.BundledProbes;
import io.bpfscope.probe.DropReason;
import io.bpfscope.reader.EventPipeline;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.Scrape;
import io.bpfscope.testing.Writer;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A write buffer of 64 KiB (about 1,170 records) overflowed on purpose with
 * its reader stopped: the kernel's drops are counted, the counts stay
 * exact, readiness says the reader is behind until a reader stall passes
 * without drops, and once the reader runs again the stream is lossless.
 */
@QuarkusTest
@TestProfile(BufferOverflowTest.TinyBuffer.class)
class BufferOverflowTest {

    private static final String LOST_IN_KERNEL = "bpfscope_events_lost_total{stage=\"kernel\"}";
    private static final String WRITE_EVENTS = "bpfscope_events_total{type=\"write\"}";
    private static final Duration WAIT = Duration.ofSeconds(20);

    public static final class TinyBuffer implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bpfscope.write.buffer-bytes", "65536", "bpfscope.health.reader-stall", "2s");
        }
    }

    @TestHTTPResource("/q/metrics")
    URI metrics;

    @TestHTTPResource("/q/health/ready")
    URI ready;

    @Inject
    EventPipeline pipeline;

    @Inject
    PidFilter filter;

    @Inject
    BundledProbes probes;

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void dropsAreCountedWhileTheReaderIsStoppedAndNoneOnceItRunsAgain() throws Exception {
        int writes = 5_000;
        try (Writer overflowing = Writer.prepare(writes, 3); Writer after = Writer.prepare(500, 3)) {
            filter.replace(Set.of(overflowing.pid(), after.pid()), false, true);
            Map<String, Double> before = Scrape.of(metrics);
            long writeDropsBefore = writeDrops();
            pipeline.stop();
            try {
                overflowing.run();
                assertThat(readyStatus()).as("readiness with the reader stopped").isEqualTo(503);
            } finally {
                pipeline.start();
            }
            // Everything the reader could not take is counted as dropped in the kernel; the shell writes once too.
            // The write program's drops alone: the metric counts the exec program's too, which other
            // processes on the machine may cause meanwhile.
            RingDrain.await(() -> delta(before, WRITE_EVENTS) + writeDrops() - writeDropsBefore == writes + 1, WAIT);
            Map<String, Double> overflowed = Scrape.of(metrics);
            long dropped = writeDrops() - writeDropsBefore;
            assertThat(delta(before, WRITE_EVENTS) + dropped).as("streamed + dropped").isEqualTo(writes + 1);
            assertThat(dropped).as("dropped in the kernel").isGreaterThan(writes / 2);
            assertThat(delta(before, LOST_IN_KERNEL)).as("counted in the metric").isGreaterThanOrEqualTo(dropped);
            assertThat(overflowed).containsEntry("bpfscope_write_syscalls_total" + Scrape.onHost(overflowing.comm()),
                    (double) writes);
            HttpResponse<String> behind = ready();
            assertThat(behind.statusCode()).as("readiness just after the drops").isEqualTo(503);
            assertThat(behind.body()).contains("write reader", "behind: events found no room in write_");
            assertThat(RingDrain.await(() -> ready().statusCode() == 200, WAIT)).as("ready once drops stop").isTrue();

            long writeDrops = writeDrops();
            after.run();

            RingDrain.await(() -> delta(overflowed, WRITE_EVENTS) == 501, WAIT);
            Map<String, Double> recovered = Scrape.of(metrics);
            assertThat(writeDrops()).as("no drop once the reader runs").isEqualTo(writeDrops);
            assertThat(recovered).containsEntry("bpfscope_write_syscalls_total" + Scrape.onHost(after.comm()), 500.0);
        } finally {
            filter.clear();
        }
    }

    private long writeDrops() {
        return probes.probes().orElseThrow().write().drops(DropReason.BUFFER_FULL);
    }

    private double delta(Map<String, Double> before, String series) {
        return Scrape.of(metrics).get(series) - before.get(series);
    }

    private int readyStatus() throws Exception {
        return ready().statusCode();
    }

    private HttpResponse<String> ready() {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(ready).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
