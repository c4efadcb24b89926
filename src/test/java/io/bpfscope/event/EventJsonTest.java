package io.bpfscope.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.attribution.Container;
import io.bpfscope.attribution.ContainerRuntime;
import io.bpfscope.attribution.Pod;
import io.bpfscope.attribution.Workload;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventJsonTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final WallClock clock = new WallClock();
    private final EventJson json = new EventJson(clock, "node-1");

    @Test
    void execCarriesEveryFieldAsValidJson() throws Exception {
        String nasty = "quote\" back\\slash\nnew\tline \u0001 \u2028 \uFFFD é";
        ExecEvent exec = new ExecEvent(123_000_000_007L, 4026531835L, "/", 10, 11, 1, 1000, 1001, -2, "sh", "/no/" + nasty,
                false, List.of("a", nasty, ""), true);

        JsonNode node = mapper.readTree(json.encode(exec));

        assertThat(node.path("type").asText()).isEqualTo("exec");
        assertThat(node.path("pid").asInt()).isEqualTo(10);
        assertThat(node.path("tid").asInt()).isEqualTo(11);
        assertThat(node.path("ppid").asInt()).isEqualTo(1);
        assertThat(node.path("uid").asLong()).isEqualTo(1000);
        assertThat(node.path("gid").asLong()).isEqualTo(1001);
        assertThat(node.path("cgroupId").isTextual()).as("64 bits, beyond a JavaScript number").isTrue();
        assertThat(node.path("cgroupId").asText()).isEqualTo("4026531835");
        assertThat(node.path("comm").asText()).isEqualTo("sh");
        assertThat(node.path("filename").asText()).isEqualTo("/no/" + nasty);
        assertThat(node.path("argv")).extracting(JsonNode::asText).containsExactly("a", nasty, "");
        assertThat(node.path("argvTruncated").asBoolean()).isTrue();
        assertThat(node.path("ret").asInt()).isEqualTo(-2);
        assertThat(node.path("node").asText()).isEqualTo("node-1");
        assertThat(node.path("container").isNull()).as("a host process").isTrue();
        assertThat(node.path("pod").isNull()).isTrue();
        assertThat(json.encode(exec)).doesNotContain("\n");
    }

    @Test
    void anExitSaysHowTheProcessEndedAndHowLongItLived() throws Exception {
        ExitEvent exited = new ExitEvent(5_000_000_000L, 1_500_000_000L, 7L, "/", 10, 12, 1, 1000, 3 << 8, "sh");
        ExitEvent killed = new ExitEvent(5L, 4L, 7L, "/", 11, 11, 1, 0, 9 | 0x80, "sleep");

        JsonNode code = mapper.readTree(json.encode(exited));
        JsonNode signal = mapper.readTree(json.encode(killed));

        assertThat(code.path("type").asText()).isEqualTo("exit");
        assertThat(code.path("pid").asInt()).isEqualTo(10);
        assertThat(code.path("tid").asInt()).as("the thread that ended last").isEqualTo(12);
        assertThat(code.path("ppid").asInt()).isEqualTo(1);
        assertThat(code.path("uid").asLong()).isEqualTo(1000);
        assertThat(code.path("result").asText()).isEqualTo("failure");
        assertThat(code.path("exitCode").asInt()).isEqualTo(3);
        assertThat(code.path("signal").isNull()).isTrue();
        assertThat(code.path("coreDumped").asBoolean()).isFalse();
        assertThat(code.path("durationNs").asLong()).isEqualTo(3_500_000_000L);
        assertThat(signal.path("result").asText()).isEqualTo("signal");
        assertThat(signal.path("exitCode").isNull()).isTrue();
        assertThat(signal.path("signal").asText()).isEqualTo("SIGKILL");
        assertThat(signal.path("coreDumped").asBoolean()).isTrue();
        assertThat(mapper.readTree(json.encode(new ExitEvent(2L, 1L, 7L, "/", 1, 1, 0, 0, 0, "init")))
                .path("result").asText()).isEqualTo("success");
    }

    @Test
    void anAttributedExecNamesItsContainerAndPod() throws Exception {
        ExecEvent exec = new ExecEvent(1L, 2L, "/", 3, 4, 5, 6, 7, 0, "sh", "/bin/sh", false, List.of("sh"), false)
                .withWorkload(Optional.of(new Workload(new Container("ab".repeat(32), "app", "debian:12",
                        ContainerRuntime.DOCKER), Optional.of(new Pod("web-0", "shop", "uid-1")))));

        JsonNode node = mapper.readTree(json.encode(exec));

        assertThat(node.path("container").path("id").asText()).isEqualTo("ab".repeat(32));
        assertThat(node.path("container").path("name").asText()).isEqualTo("app");
        assertThat(node.path("container").path("image").asText()).isEqualTo("debian:12");
        assertThat(node.path("container").path("runtime").asText()).isEqualTo("docker");
        assertThat(node.path("pod").path("name").asText()).isEqualTo("web-0");
        assertThat(node.path("pod").path("namespace").asText()).isEqualTo("shop");
        assertThat(node.path("pod").path("uid").asText()).isEqualTo("uid-1");
        assertThat(mapper.readTree(json.encode(exec.withWorkload(Optional.of(new Workload(
                new Container("cd".repeat(32), "plain", "img", ContainerRuntime.DOCKER), Optional.empty())))))
                .path("pod").isNull()).as("a container outside Kubernetes").isTrue();
    }

    @Test
    void aWriteNamesItsCgroupContainerAndPodToo() throws Exception {
        WriteEvent write = new WriteEvent(1L, 77L, 3, 4, 1, 10, "app");

        JsonNode host = mapper.readTree(json.encode(write));
        JsonNode attributed = mapper.readTree(json.encode(write.withWorkload(Optional.of(new Workload(
                new Container("ab".repeat(32), "app", "img", ContainerRuntime.DOCKER),
                Optional.of(new Pod("web-0", "shop", "uid-1")))))));

        assertThat(host.path("cgroupId").asText()).isEqualTo("77");
        assertThat(host.path("node").asText()).isEqualTo("node-1");
        assertThat(host.path("container").isNull()).isTrue();
        assertThat(host.path("pod").isNull()).isTrue();
        assertThat(attributed.path("container").path("name").asText()).isEqualTo("app");
        assertThat(attributed.path("pod").path("namespace").asText()).isEqualTo("shop");
    }

    @Test
    void timeIsRfc3339WithNanosecondsInUtc() throws Exception {
        WriteEvent write = new WriteEvent(5_000_000_123L, 1, 1, 2, 3, 4, "w");

        JsonNode node = mapper.readTree(json.encode(write));

        String time = node.path("time").asText();
        assertThat(time).matches("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{9}Z");
        Instant instant = Instant.parse(time);
        long epochNanos = instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
        assertThat(epochNanos).isEqualTo(clock.epochNanos(5_000_000_123L));
        assertThat(node.path("fd").asInt()).isEqualTo(3);
        assertThat(node.path("count").asLong()).isEqualTo(4);
    }
}
