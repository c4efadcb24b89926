package io.bpfscope.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.ResumingSseClient;
import io.bpfscope.testing.ResumingSseClient.Message;
import io.bpfscope.testing.RingDrain;
import io.bpfscope.testing.SseClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that follows the EventSource specification, connected across a
 * SIGTERM and a start of the daemon on the same port and state directory:
 * it comes back with the last id it saw, is told of the restart window in
 * one {@code lost} message, and then gets the new instance's events, whose
 * ids are higher than the old one's. An id of another node, or one not
 * given yet, is told as an unknown window, not refused.
 */
class ResumeAcrossRestartIT {

    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration WAIT = Duration.ofSeconds(20);

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @Test
    void aClientComingBackAfterARestartIsToldOfTheWindowAndGetsTheNewEvents(@TempDir Path state) throws Exception {
        String before = "before-" + UUID.randomUUID();
        String during = "during-" + UUID.randomUUID();
        String after = "after-" + UUID.randomUUID();
        try (Daemon first = Daemon.listening(state);
                ResumingSseClient client = new ResumingSseClient(first.uri("/events?type=exec"))) {
            // The opening names the position: a client resumes from it even before any event.
            assertThat(RingDrain.await(() -> !client.lastEventId().isEmpty(), WAIT)).as("opening id").isTrue();
            exec(before);
            client.await(m -> execOf(m, before), WAIT);
            assertThat(first.terminate(START)).as("exit status after SIGTERM").isZero();
            String lastOfFirst = client.lastEventId();
            exec(during);

            try (Daemon second = Daemon.listening(first.port(), state)) {
                Message restart = client.await(m -> m.event().equals("lost"), WAIT);
                assertThat(client.sentIds()).as("Last-Event-ID sent at each connection").containsExactly("", lastOfFirst);
                assertThat(restart.connection()).isEqualTo(2);
                assertThat(restart.data().path("stage").asText()).isEqualTo("daemon");
                assertThat(restart.data().path("reason").asText()).isEqualTo("restart");
                assertThat(restart.data().path("count").isNull()).as("count unknown").isTrue();
                assertThat(Long.parseLong(restart.lastEventId())).as("restart window's id")
                        .isGreaterThan(Long.parseLong(lastOfFirst));

                exec(after);
                Message next = client.await(m -> execOf(m, after), WAIT);
                assertThat(next.connection()).isEqualTo(2);
                assertThat(Long.parseLong(next.lastEventId())).as("first id of the new instance")
                        .isGreaterThan(Long.parseLong(restart.lastEventId()));
                assertThat(client.messages()).as("nothing of the window").noneMatch(m -> execOf(m, during));
                assertThat(client.messages().indexOf(restart)).isLessThan(client.messages().indexOf(next));

                long newest = Long.parseLong(next.lastEventId());
                unknownWindow(second, newest ^ 1);
                unknownWindow(second, newest + (1L << 40));
            }
        }
    }

    /** A client coming with {@code lastEventId} is told of an unknown window, then gets what comes. */
    private static void unknownWindow(Daemon daemon, long lastEventId) throws Exception {
        String marker = "unknown-" + UUID.randomUUID();
        try (SseClient client = SseClient.connect(daemon.uri("/events?type=exec"),
                Map.of("Last-Event-ID", Long.toString(lastEventId)))) {
            SseClient.Message lost = client.await(m -> m.event().equals("lost"), WAIT);
            assertThat(lost.data().path("stage").asText()).isEqualTo("daemon");
            assertThat(lost.data().path("reason").asText()).as("for id %d", lastEventId).isEqualTo("unknown");
            exec(marker);
            client.await(m -> m.event().equals("exec") && m.data().path("argv").toString().contains(marker), WAIT);
        }
    }

    private static boolean execOf(Message message, String marker) {
        return message.event().equals("exec") && message.data().path("argv").toString().contains(marker);
    }

    private static void exec(String marker) throws Exception {
        Process echo = new ProcessBuilder("/bin/echo", marker).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(echo.waitFor()).isZero();
    }
}
