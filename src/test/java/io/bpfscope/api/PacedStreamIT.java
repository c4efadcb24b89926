package io.bpfscope.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.SseClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * /events?maxRate against the packaged daemon and real execs: a burst past
 * the rate reaches the client as a second's worth of events, and every
 * event turned away is told in {@code sampled} messages, so that what it got
 * and what it was told add up to what matched.
 */
class PacedStreamIT {

    private static final int EXECS = 60;
    private static final int RATE = 5;

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void aBurstPastTheRateIsSentAtTheRateAndTheRestTold(@TempDir Path state, @TempDir Path bin) throws Exception {
        String comm = "paced" + Long.toHexString(ThreadLocalRandom.current().nextLong(1L << 36, 1L << 40));
        Path command = Files.createSymbolicLink(bin.resolve(comm), Path.of("/bin/true"));
        try (Daemon daemon = Daemon.listening(state, "-Dbpfscope.events.heartbeat=1s");
                SseClient client = SseClient.connect(daemon.uri("/events?type=exec&comm=" + comm + "&maxRate=" + RATE),
                        Map.of())) {
            long started = System.nanoTime();
            for (int i = 0; i < EXECS; i++) {
                Process process = new ProcessBuilder(command.toString()).start();
                assertThat(process.waitFor()).isZero();
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            assertThat(RingDrain.await(() -> sent(client) + told(client) == EXECS, Duration.ofSeconds(20)))
                    .as("sent %d + told %d = %d execs", sent(client), told(client), EXECS).isTrue();
            assertThat(sent(client)).as("execs sent in %.2f s at %d/s", seconds, RATE)
                    .isBetween((long) RATE, RATE + (long) Math.ceil(seconds * RATE) + 1);
            assertThat(client.messages().stream().filter(m -> m.event().equals("sampled")))
                    .allSatisfy(m -> assertThat(m.data().path("maxRate").asInt()).isEqualTo(RATE));
            assertThat(client.violations()).isEmpty();
        }
    }

    private static long sent(SseClient client) {
        return client.messages().stream().filter(m -> m.event().equals("exec")).count();
    }

    private static long told(SseClient client) {
        return client.messages().stream().filter(m -> m.event().equals("sampled"))
                .mapToLong(m -> m.data().path("skipped").asLong()).sum();
    }
}
