package io.bpfscope.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Daemon;
import io.bpfscope.testing.Kernel;
import io.bpfscope.testing.SseClient;
import io.bpfscope.testing.SseClient.Message;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * bpfscope.exec.argv other than the default (RedactedArgvTest covers that),
 * on the packaged daemon: a real exec with a password on its command line.
 */
class ArgvModesIT {

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "full | [\"/bin/true\",\"--password=hunter2\",\"--token\",\"abc123\"]",
        "OFF  | []"})
    void argvIsStreamedAsTheSettingSays(String setting, String argv) throws Exception {
        try (Daemon daemon = Daemon.start("-Dbpfscope.exec.argv=" + setting)) {
            daemon.awaitListening(Duration.ofSeconds(30));
            try (SseClient client = SseClient.connect(
                    URI.create("http://127.0.0.1:" + daemon.port() + "/events?type=exec"), Map.of())) {
                Process child = new ProcessBuilder("/bin/true", "--password=hunter2", "--token", "abc123").start();
                assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();

                // The JVM's spawn helper execs first under the same PID.
                Message exec = client.await(m -> m.data().path("pid").asLong() == child.pid()
                        && m.data().path("filename").asText().equals("/bin/true"), Duration.ofSeconds(20));

                assertThat(exec.data().path("argv").toString()).isEqualTo(argv);
                assertThat(exec.data().path("argvTruncated").asBoolean()).isFalse();
            }
            assertThat(daemon.output()).contains("exec arguments on /events: " + setting.toLowerCase());
            assertThat(daemon.terminate(Duration.ofSeconds(10))).isZero();
        }
    }
}
