package io.bpfscope.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bpfscope.libbpf.BpfLink;
import io.bpfscope.probe.BundledProbes;
import io.bpfscope.probe.WriteProbe;
import io.bpfscope.reader.EventPipeline;
import io.bpfscope.testing.Kernel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SmallRye Health endpoints, made to go DOWN for real and to come back. */
@QuarkusTest
class HealthChecksTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TestHTTPResource("/q/health")
    URI health;

    @Inject
    BundledProbes probes;

    @Inject
    EventPipeline pipeline;

    @BeforeAll
    static void root() {
        Kernel.requireRoot();
    }

    private record Answer(int status, JsonNode body) {
        JsonNode data() {
            return body.path("checks").path(0).path("data");
        }
    }

    private Answer get(String which) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(health + "/" + which)).build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(response.statusCode(), JSON.readTree(response.body()));
    }

    private static void assertUp(Answer answer) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("UP");
    }

    private static void assertDown(Answer answer) {
        assertThat(answer.status()).as("status of %s", answer.body()).isEqualTo(503);
        assertThat(answer.body().path("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void everythingIsUpWhileTheProgramsRunAndTheReadersDrain() throws Exception {
        Answer started = get("started");
        assertUp(started);
        assertThat(started.data().path("loaded").asText()).contains("bpfscope_write", "bpfscope_exec");
        assertUp(get("ready"));
        assertThat(get("ready").data().path("http").asText()).isEqualTo("serving");
        assertUp(get("live"));
    }

    @Test
    void aDetachedProgramIsNotReadyAndReadyAgainOnceAttached() throws Exception {
        WriteProbe write = probes.probes().orElseThrow().write();
        BpfLink link = write.links().stream().filter(l -> l.program().equals("bpfscope_write")).findFirst().orElseThrow();
        Set<Long> linkedBefore = linkedProgramIds();

        link.close();

        assertThat(linkedProgramIds()).as("links the kernel has").hasSizeLessThan(linkedBefore.size());
        Answer ready = get("ready");
        assertDown(ready);
        assertThat(ready.data().path("programs").asText()).isEqualTo("not attached: bpfscope_write");
        assertUp(get("live"));

        write.program("bpfscope_write").attach();

        assertUp(get("ready"));
        assertThat(linkedProgramIds()).isEqualTo(linkedBefore);
    }

    @Test
    void stoppedReadersAreNeitherReadyNorLiveAndBothAgainOnceRestarted() throws Exception {
        pipeline.stop();
        try {
            Answer ready = get("ready");
            assertDown(ready);
            assertThat(ready.data().path("write reader").asText()).isEqualTo("not running");
            assertThat(ready.data().path("exec reader").asText()).isEqualTo("not running");
            Answer live = get("live");
            assertDown(live);
            assertThat(live.data().path("write reader").asText()).isEqualTo("not running");
        } finally {
            pipeline.start();
        }
        assertUp(get("ready"));
        assertUp(get("live"));
    }

    private static Set<Long> linkedProgramIds() {
        Set<Long> ids = new HashSet<>();
        for (JsonNode link : Kernel.bpftool("link", "show")) {
            ids.add(link.path("prog_id").asLong());
        }
        Set<Long> ours = Kernel.programIdsHeldBy(ProcessHandle.current().pid());
        ids.retainAll(ours);
        return ids;
    }
}
