package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scrapes of a Prometheus endpoint (bpfscope's samples, by series "name{labels}"), and GETs against a daemon. */
public final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile("^(bpfscope_[a-z_]+(?:\\{[^}]*})?) (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Scrape() {
    }

    /** The labels of the write counts of a host process's command, as exposed: {comm="COMM",namespace="",...}. */
    public static String onHost(String comm) {
        return "{comm=\"" + comm + "\",namespace=\"\",pod=\"\",container=\"\"}";
    }

    public static Map<String, Double> of(URI uri) {
        HttpResponse<String> response = get(uri);
        assertThat(response.statusCode()).as("status of %s", uri).isEqualTo(200);
        return samples(response.body());
    }

    /** bpfscope's own samples in an exposition, by name and labels as exposed. */
    public static Map<String, Double> samples(String exposition) {
        Map<String, Double> samples = new HashMap<>();
        for (String line : exposition.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (sample.matches()) {
                samples.put(sample.group(1), Double.parseDouble(sample.group(2)));
            }
        }
        return samples;
    }

    public static HttpResponse<String> get(URI uri) {
        try {
            return HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + uri, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The value of any sample {@code series} (name and labels as exposed, JVM ones too) in the daemon's /q/metrics. */
    public static double sample(Daemon daemon, String series) {
        HttpResponse<String> metrics = get(daemon.uri("/q/metrics"));
        assertThat(metrics.statusCode()).as("GET /q/metrics").isEqualTo(200);
        Matcher value = Pattern.compile("^" + Pattern.quote(series) + " (\\S+)$", Pattern.MULTILINE).matcher(metrics.body());
        assertThat(value.find()).as("sample %s in /q/metrics", series).isTrue();
        return Double.parseDouble(value.group(1));
    }

    /** Fails unless the daemon still answers its readiness probe and a scrape with 200. */
    public static void assertServing(Daemon daemon) {
        assertThat(get(daemon.uri("/q/health/ready")).statusCode()).as("GET /q/health/ready").isEqualTo(200);
        assertThat(get(daemon.uri("/q/metrics")).statusCode()).as("GET /q/metrics").isEqualTo(200);
    }
}
