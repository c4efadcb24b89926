package io.bpfscope.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StreamedExecTest {

    private static final String EXEC = "{\"type\":\"exec\",\"time\":\"2026-11-21T20:57:39.176676715Z\",\"node\":\"n\","
            + "\"pid\":42,\"tid\":42,\"comm\":\"true\",\"cgroupId\":\"1\",\"ppid\":1,\"uid\":0,\"gid\":0,"
            + "\"filename\":\"/bin/true\",\"filenameTruncated\":false,\"argv\":[\"/bin/true\",\"mark\",\"7\"],"
            + "\"argvTruncated\":false,\"ret\":0,\"container\":null,\"pod\":null}";

    @Test
    void theTimeKeepsItsNanosecondsAndTheArgvItsOrder() {
        StreamedExec exec = StreamedExec.parse(EXEC).orElseThrow();
        assertThat(exec.time()).isEqualTo(Instant.ofEpochSecond(1_795_294_659L, 176_676_715));
        assertThat(exec.argv()).containsExactly("/bin/true", "mark", "7");
    }

    @Test
    void theLatencyIsFromTheKernelsStampToTheArrival() {
        StreamedExec exec = StreamedExec.parse(EXEC).orElseThrow();
        assertThat(exec.latency(Instant.parse("2026-11-21T20:57:39.204176715Z"))).isEqualTo(Duration.ofNanos(27_500_000));
    }

    @Test
    void aLossNoticeIsNoExec() {
        assertThat(StreamedExec.parse("{\"type\":\"lost\",\"count\":3}")).isEmpty();
    }

    @Test
    void aMessageThatIsNotJsonStopsTheRun() {
        assertThatThrownBy(() -> StreamedExec.parse("{\"type\":")).isInstanceOf(HarnessFailure.class);
    }
}
