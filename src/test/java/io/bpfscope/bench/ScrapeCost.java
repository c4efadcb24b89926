package io.bpfscope.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Scrapes of the daemon in each exposition format, interleaved one by one,
 * timed as the scraper sees them (request sent to last byte read), with the
 * daemon's CPU and heap allocation over all of them.
 */
final class ScrapeCost {

    /** The Accept header of each format, as Prometheus sends it. */
    static final Map<String, String> FORMATS = formats();

    /** One format's scrapes: wall milliseconds each, and the body's bytes. */
    record Format(String name, double[] millis, long bytes) {

        double percentile(double p) {
            double[] sorted = millis.clone();
            Arrays.sort(sorted);
            return sorted[(int) Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
        }
    }

    /** Every format's scrapes, and the daemon's CPU and allocation per scrape over them all. */
    record Result(List<Format> formats, double cpuMillisPerScrape, double allocatedBytesPerScrape) {
    }

    private ScrapeCost() {
    }

    private static Map<String, String> formats() {
        Map<String, String> formats = new LinkedHashMap<>();
        formats.put("text 0.0.4", "text/plain;version=0.0.4;q=0.5,*/*;q=0.1");
        formats.put("OpenMetrics 1.0", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");
        formats.put("protobuf", "application/vnd.google.protobuf;proto=io.prometheus.client.MetricFamily;"
                + "encoding=delimited,application/openmetrics-text;version=1.0.0;q=0.8");
        return formats;
    }

    /** {@code warm} scrapes of each format first (unmeasured), then {@code scrapes} of each. */
    static Result measure(DaemonUnderTest daemon, int warm, int scrapes) {
        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < warm; i++) {
            FORMATS.values().forEach(accept -> get(http, daemon, accept));
        }
        double allocatedBefore = Exposition.of(daemon).value("jvm_gc_memory_allocated_bytes_total");
        long cpuBefore = daemon.cpuMillis();
        Map<String, double[]> millis = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        FORMATS.keySet().forEach(name -> millis.put(name, new double[scrapes]));
        for (int i = 0; i < scrapes; i++) {
            for (Map.Entry<String, String> format : FORMATS.entrySet()) {
                long start = System.nanoTime();
                byte[] body = get(http, daemon, format.getValue());
                millis.get(format.getKey())[i] = (System.nanoTime() - start) / 1e6;
                bytes.put(format.getKey(), (long) body.length);
            }
        }
        long cpu = daemon.cpuMillis() - cpuBefore;
        // One scrape more to read the counter: its own allocation is in the figure, as a scrape's share.
        double allocated = Exposition.of(daemon).value("jvm_gc_memory_allocated_bytes_total") - allocatedBefore;
        int total = scrapes * FORMATS.size();
        List<Format> formats = new ArrayList<>();
        millis.forEach((name, each) -> formats.add(new Format(name, each, bytes.get(name))));
        return new Result(formats, (double) cpu / total, allocated / (total + 1));
    }

    private static byte[] get(HttpClient http, DaemonUnderTest daemon, String accept) {
        try {
            HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(daemon.uri("/q/metrics"))
                    .header("Accept", accept).timeout(Duration.ofSeconds(30)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (response.statusCode() != 200) {
                throw new HarnessFailure("GET /q/metrics (Accept: " + accept + "): " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
