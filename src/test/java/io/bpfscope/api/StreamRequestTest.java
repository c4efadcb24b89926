package io.bpfscope.api;

import io.bpfscope.attribution.Container;
import io.bpfscope.attribution.ContainerRuntime;
import io.bpfscope.attribution.Pod;
import io.bpfscope.attribution.Workload;
import io.bpfscope.event.EventFilter;
import io.bpfscope.event.EventType;
import io.bpfscope.event.ExecEvent;
import io.bpfscope.event.WriteEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StreamRequestTest {

    private static final WriteEvent WRITE = new WriteEvent(1, 1, 10, 10, 1, 5, "bash");
    private static final ExecEvent EXEC = new ExecEvent(1, 0, "/", 11, 11, 10, 0, 0, 0, "ls", "/bin/ls", false,
            List.of("ls"), false);

    @Test
    void noFilterTakesEverythingLive() throws Exception {
        StreamRequest request = StreamRequest.parse(Map.of(), null);

        assertThat(request.filter().matches(WRITE)).isTrue();
        assertThat(request.filter().matches(EXEC)).isTrue();
        assertThat(request.resumeAfter()).isEqualTo(StreamRequest.LIVE);
        assertThat(request.maxRate()).as("every event").isZero();
        assertThat(StreamRequest.parse(Map.of("maxRate", List.of("200")), null).maxRate()).isEqualTo(200);
    }

    @Test
    void valuesOfOneFilterAreOredAndFiltersAnded() throws Exception {
        StreamRequest request = StreamRequest.parse(Map.of("type", List.of("exec", "write"), "pid", List.of("10", "12"),
                "comm", List.of("bash")), null);

        assertThat(request.filter().typeMask()).isEqualTo(1 << EventType.EXEC.ordinal() | 1 << EventType.WRITE.ordinal());
        assertThat(request.filter().matches(WRITE)).isTrue();
        assertThat(request.filter().matches(EXEC)).isFalse();
    }

    @Test
    void theSameQueryInAnotherOrderIsAnEqualFilter() throws Exception {
        EventFilter one = StreamRequest.parse(Map.of("pid", List.of("12", "10"), "comm", List.of("a", "b")), null).filter();
        EventFilter other = StreamRequest.parse(Map.of("comm", List.of("b", "a"), "pid", List.of("10", "12")), "5").filter();
        EventFilter narrower = StreamRequest.parse(Map.of("pid", List.of("10")), null).filter();

        assertThat(one).isEqualTo(other).hasSameHashCodeAs(other).isNotEqualTo(narrower);
    }

    @Test
    void resumePointComesFromTheHeaderFirst() throws Exception {
        assertThat(StreamRequest.parse(Map.of("lastEventId", List.of("7")), "42").resumeAfter()).isEqualTo(42);
        assertThat(StreamRequest.parse(Map.of("lastEventId", List.of("7")), null).resumeAfter()).isEqualTo(7);
    }

    @Test
    void badValuesNameTheirField() {
        assertProblem(Map.of("type", List.of("read")), null, "type", "type must be one of exec, exit, write, not 'read'");
        assertProblem(Map.of("pid", List.of("0")), null, "pid", "pid must be a positive integer, not '0'");
        assertProblem(Map.of("pid", List.of("12x")), null, "pid", "pid must be a positive integer, not '12x'");
        assertProblem(Map.of("comm", List.of("a-name-longer-than-15")), null, "comm",
                "comm must be 1 to 15 bytes (the kernel keeps no more), not 'a-name-longer-than-15'");
        assertProblem(Map.of("pids", List.of("1")), null, "pids",
                "unknown parameter 'pids'; /events takes type, pid, comm, namespace, pod, container, lastEventId and maxRate");
        assertProblem(Map.of("maxRate", List.of("0")), null, "maxRate", "maxRate must be a positive integer, not '0'");
        assertProblem(Map.of("maxRate", List.of("100001")), null, "maxRate",
                "maxRate must be at most 100000 events a second, not 100001");
        assertProblem(Map.of("maxRate", List.of("5", "6")), null, "maxRate", "maxRate may be given once");
        assertProblem(Map.of("namespace", List.of("Shop")), null, "namespace",
                "namespace must be a Kubernetes namespace (lowercase letters, digits and '-', at most 63), not 'Shop'");
        assertProblem(Map.of("pod", List.of("web_0")), null, "pod",
                "pod must be a Kubernetes pod name (lowercase letters, digits, '-' and '.', at most 253), not 'web_0'");
        assertProblem(Map.of("pod", List.of("a".repeat(254))), null, "pod",
                "pod must be a Kubernetes pod name (lowercase letters, digits, '-' and '.', at most 253), not '"
                        + "a".repeat(254) + "'");
        assertProblem(Map.of("container", List.of("/app")), null, "container",
                "container must be a container name or id (letters, digits, '_', '.' and '-', at most 253), not '/app'");
        assertProblem(Map.of(), "-3", "Last-Event-ID",
                "Last-Event-ID must be an event id (a non-negative integer), not '-3'");
    }

    @Test
    void workloadFiltersMatchTheContainerAndItsPod() throws Exception {
        String id = "ab".repeat(32);
        Workload web = new Workload(new Container(id, "app", "img", ContainerRuntime.DOCKER),
                Optional.of(new Pod("web-0", "shop", "uid-1")));
        Workload plain = new Workload(new Container("cd".repeat(32), "app", "img", ContainerRuntime.DOCKER),
                Optional.empty());
        WriteEvent inWeb = WRITE.withWorkload(Optional.of(web));
        ExecEvent inPlain = EXEC.withWorkload(Optional.of(plain));

        assertThat(filter("namespace", "shop").matches(inWeb)).isTrue();
        assertThat(filter("namespace", "other").matches(inWeb)).as("a namespace nothing runs in is valid").isFalse();
        assertThat(filter("namespace", "shop").matches(inPlain)).as("a container outside Kubernetes").isFalse();
        assertThat(filter("namespace", "shop").matches(WRITE)).as("a host process").isFalse();
        assertThat(filter("pod", "web-0").matches(inWeb)).isTrue();
        assertThat(filter("pod", "web-1").matches(inWeb)).isFalse();
        assertThat(filter("container", "app").matches(inPlain)).isTrue();
        assertThat(filter("container", id).matches(inWeb)).isTrue();
        assertThat(filter("container", id.substring(0, 12)).matches(inWeb)).as("Docker's short id").isTrue();
        assertThat(filter("container", id.substring(0, 11)).matches(inWeb)).isFalse();
        assertThat(filter("container", "app").matches(WRITE)).isFalse();
        EventFilter both = StreamRequest.parse(Map.of("namespace", List.of("shop"), "container", List.of("app")), null)
                .filter();
        assertThat(both.matches(inWeb)).isTrue();
        assertThat(both.matches(inPlain)).as("filters are AND-ed").isFalse();
    }

    private static EventFilter filter(String name, String value) throws StreamRequest.Invalid {
        return StreamRequest.parse(Map.of(name, List.of(value)), null).filter();
    }

    private static void assertProblem(Map<String, List<String>> query, String header, String field, String detail) {
        assertThatThrownBy(() -> StreamRequest.parse(query, header))
                .isInstanceOfSatisfying(StreamRequest.Invalid.class, invalid -> {
                    assertThat(invalid.problem.status()).isEqualTo(400);
                    assertThat(invalid.problem.field()).isEqualTo(field);
                    assertThat(invalid.problem.detail()).isEqualTo(detail);
                });
    }
}
