package io.bpfscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The daemon's probes asked every 200 ms while a limits run loads it, as a
 * kubelet would ask them (a short timeout, no retry): each answer of
 * /q/health/live and /q/health/ready kept as its status, or "no answer".
 */
final class LimitsHealth implements AutoCloseable {

    private static final Duration PERIOD = Duration.ofMillis(200);
    /** Kubernetes' default probe timeout. */
    private static final Duration TIMEOUT = Duration.ofSeconds(1);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final Function<String, URI> uri;
    private final List<Answer> live = new ArrayList<>();
    private final List<Answer> ready = new ArrayList<>();
    private final Thread thread;
    private volatile boolean running = true;

    /** One answer: the HTTP status (0: none within the timeout) and the body, or why there was none. */
    record Answer(int status, String body) {
    }

    private LimitsHealth(Function<String, URI> uri) {
        this.uri = uri;
        this.thread = Thread.ofPlatform().daemon().name("limits-health").start(this::poll);
    }

    /** Starts asking; {@code uri} makes a path on the daemon's port a URI. */
    static LimitsHealth watch(Function<String, URI> uri) {
        return new LimitsHealth(uri);
    }

    private void poll() {
        long next = System.nanoTime();
        while (running) {
            Answer l = ask("/q/health/live");
            Answer r = ask("/q/health/ready");
            if (!running) {
                // Stopped while asking: the request was cut by the interrupt, not left unanswered by the daemon.
                return;
            }
            synchronized (this) {
                live.add(l);
                ready.add(r);
            }
            next += PERIOD.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private Answer ask(String path) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(uri.apply(path)).timeout(TIMEOUT).build(),
                    HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    /** Stops asking; what was answered. */
    LimitsProbes stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
        synchronized (this) {
            return new LimitsProbes(statuses(live), statuses(ready), reasons(live), reasons(ready), silent(ready));
        }
    }

    private static Map<Integer, Integer> statuses(List<Answer> answers) {
        Map<Integer, Integer> statuses = new TreeMap<>();
        answers.forEach(a -> statuses.merge(a.status(), 1, Integer::sum));
        return statuses;
    }

    /**
     * What each answer other than 200 said, by how often: a 503's DOWN
     * checks and their data, or the body itself when it names none (or why
     * there was no answer); numbers as N, so answers that differ only in
     * their figures (how long ago, how many) count as one.
     */
    private static Map<String, Integer> reasons(List<Answer> answers) {
        Map<String, Integer> reasons = new TreeMap<>();
        answers.stream().filter(a -> a.status() != 200).forEach(a -> reasons.merge(a.status() + " " + (downChecks(a.body())
                .isEmpty() ? a.body() : downChecks(a.body())).replaceAll("[0-9]+(\\.[0-9]+)?", "N"), 1, Integer::sum));
        return reasons;
    }

    /** 503s that name no DOWN check with data: a refusal that does not say why. */
    private static int silent(List<Answer> answers) {
        return (int) answers.stream().filter(a -> a.status() == 503).filter(a -> downChecks(a.body()).isEmpty()).count();
    }

    /** "name: {data}" of each DOWN check of a health body that has data, joined; empty when none has. */
    static String downChecks(String body) {
        List<String> down = new ArrayList<>();
        try {
            for (JsonNode check : JSON.readTree(body).path("checks")) {
                if (check.path("status").asText().equals("DOWN") && !check.path("data").isEmpty()) {
                    down.add(check.path("name").asText() + ": " + check.path("data"));
                }
            }
        } catch (IOException notJson) {
            return "";
        }
        return String.join("; ", down);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join();
    }
}
