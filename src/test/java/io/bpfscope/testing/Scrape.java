package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Scrapes of a Prometheus endpoint (bpfscope's samples, by series "name{labels}"), and GETs against a daemon. */
public final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile("^(bpfscope_[a-z_]+(?:\\{[^}]*})?) (\\S+)$");
    private static final Pattern ANY_SAMPLE = Pattern.compile("^([a-zA-Z_:][\\w:]*(?:\\{[^}]*})?) (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("\\w+=\"(?:[^\"\\\\]|\\\\.)*\"");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Scrape() {
    }

    /** The labels of the write counts of a host process's command, with no container: {comm="COMM",container="",...}. */
    public static String onHost(String comm) {
        return "{comm=\"" + comm + "\",container=\"\",namespace=\"\",pod=\"\"}";
    }

    public static Map<String, Double> of(URI uri) {
        HttpResponse<String> response = get(uri);
        assertThat(response.statusCode()).as("status of %s", uri).isEqualTo(200);
        return samples(response.body());
    }

    /**
     * bpfscope's own samples in an exposition, by name and labels as exposed; looked up with
     * the labels in any order (the client writes them sorted by name).
     */
    public static Map<String, Double> samples(String exposition) {
        return parse(exposition, SAMPLE);
    }

    private static Map<String, Double> parse(String exposition, Pattern wanted) {
        Map<String, Double> samples = new TreeMap<>(Comparator.comparing(Scrape::canonical));
        for (String line : exposition.split("\n")) {
            Matcher sample = wanted.matcher(line);
            if (sample.matches()) {
                samples.put(sample.group(1), Double.parseDouble(sample.group(2)));
            }
        }
        return samples;
    }

    /** A series "name{labels}" with its labels sorted, so two spellings of one series compare equal. */
    private static String canonical(String series) {
        int open = series.indexOf('{');
        if (open < 0) {
            return series;
        }
        List<String> labels = new ArrayList<>();
        Matcher label = LABEL.matcher(series.substring(open + 1, series.length() - 1));
        while (label.find()) {
            labels.add(label.group());
        }
        Collections.sort(labels);
        return series.substring(0, open) + "{" + String.join(",", labels) + "}";
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

    /** The value of any sample {@code series} (name and labels in any order, JVM ones too) in the daemon's /q/metrics. */
    public static double sample(Daemon daemon, String series) {
        HttpResponse<String> metrics = get(daemon.uri("/q/metrics"));
        assertThat(metrics.statusCode()).as("GET /q/metrics").isEqualTo(200);
        Map<String, Double> samples = parse(metrics.body(), ANY_SAMPLE);
        assertThat(samples).as("sample %s in /q/metrics", series).containsKey(series);
        return samples.get(series);
    }

    /** Fails unless the daemon still answers its readiness probe and a scrape with 200. */
    public static void assertServing(Daemon daemon) {
        assertThat(get(daemon.uri("/q/health/ready")).statusCode()).as("GET /q/health/ready").isEqualTo(200);
        assertThat(get(daemon.uri("/q/metrics")).statusCode()).as("GET /q/metrics").isEqualTo(200);
    }
}
