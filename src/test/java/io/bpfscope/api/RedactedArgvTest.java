package io.bpfscope.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.eventid.IdSpace;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.SseClient.Message;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The default, bpfscope.exec.argv=redacted, end to end: a real exec with
 * secrets on its command line, read by the kernel program, decoded, and
 * streamed; the secrets reach neither the live stream nor the replay ring.
 */
@QuarkusTest
class RedactedArgvTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<String> SECRETS = List.of("hunter2", "abc123", "xyz789", "s3cr3t");

    @TestHTTPResource("/events")
    URI events;

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void secretsOnACommandLineAreMaskedBeforeAnyClientSeesThem() throws Exception {
        Message live;
        try (SseClient client = SseClient.connect(URI.create(events + "?type=exec"), Map.of())) {
            Process child = new ProcessBuilder("/bin/true", "--password=hunter2", "TOKEN=abc123", "--api-key", "xyz789",
                    "https://alice:s3cr3t@localhost/x", "--keyboard", "us").start();
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

            live = client.await(m -> m.data().path("pid").asLong() == child.pid()
                    && m.data().path("filename").asText().equals("/bin/true"), WAIT);

            assertThat(live.data().path("argv").toString()).isEqualTo("[\"/bin/true\",\"--password=***\",\"TOKEN=***\","
                    + "\"--api-key\",\"***\",\"https://alice:***@localhost/x\",\"--keyboard\",\"us\"]");
            assertThat(live.data().path("argvTruncated").asBoolean()).isFalse();
            assertNoSecretIn(client.messages());
        }
        try (SseClient resumed = SseClient.connect(URI.create(events + "?type=exec"),
                // The id before it: ids step by one past the node's tag bits.
                Map.of("Last-Event-ID", Long.toString(live.id() - (1L << IdSpace.TAG_BITS))))) {
            Message replayed = resumed.await(m -> m.id() == live.id(), WAIT);

            assertThat(replayed.data()).isEqualTo(live.data());
            assertNoSecretIn(resumed.messages());
        }
    }

    private static void assertNoSecretIn(List<Message> messages) {
        assertThat(messages).isNotEmpty().allSatisfy(m -> assertThat(m.data().toString()).doesNotContain(SECRETS));
    }
}
