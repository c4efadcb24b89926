package io.bpfscope.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.bpfscope.testing.Kernel;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** With bpfscope.api.token set: changes and the stream need it, reads of state and metrics do not. */
@QuarkusTest
@TestProfile(BearerTokenTest.WithToken.class)
class BearerTokenTest {

    public static final class WithToken implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("bpfscope.api.token", "s3cret-t0ken");
        }
    }

    @TestHTTPResource("/")
    URI root;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    static void needsRoot() {
        Kernel.requireRoot();
    }

    @Test
    void changesNeedTheToken() throws Exception {
        String add = "{\"pid\":1}";
        HttpResponse<String> none = send("POST", "filters/pids", add, null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("content-type")).hasValue(Problem.MEDIA_TYPE);
        assertThat(none.headers().firstValue("www-authenticate")).hasValue("Bearer");

        assertThat(send("POST", "filters/pids", add, "Bearer wrong").statusCode()).isEqualTo(403);
        assertThat(send("POST", "filters/pids", add, "Basic czNjcmV0").statusCode()).isEqualTo(401);
        assertThat(send("DELETE", "filters/pids", null, null).statusCode()).isEqualTo(401);

        assertThat(send("POST", "filters/pids", add, "Bearer s3cret-t0ken").statusCode()).isEqualTo(200);
        assertThat(send("DELETE", "filters/pids", null, "Bearer s3cret-t0ken").statusCode()).isEqualTo(200);
    }

    @Test
    void theStreamNeedsItTooButStateAndMetricsAreOpen() throws Exception {
        assertThat(send("GET", "events", null, null).statusCode()).isEqualTo(401);
        assertThat(send("GET", "events", null, "Bearer nope").statusCode()).isEqualTo(403);
        assertThat(send("GET", "filters/pids", null, null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "q/metrics", null, null).statusCode()).isEqualTo(200);
    }

    private HttpResponse<String> send(String method, String path, String body, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(root.resolve(path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
