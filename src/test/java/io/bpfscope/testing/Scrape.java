package io.bpfscope.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One scrape of a Prometheus endpoint: bpfscope's samples, by series ("name{labels}"). */
public final class Scrape {

    private static final Pattern SAMPLE = Pattern.compile("^(bpfscope_[a-z_]+(?:\\{[^}]*})?) (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private Scrape() {
    }

    public static Map<String, Double> of(URI uri) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).as("status of %s", uri).isEqualTo(200);
            Map<String, Double> samples = new HashMap<>();
            for (String line : response.body().split("\n")) {
                Matcher sample = SAMPLE.matcher(line);
                if (sample.matches()) {
                    samples.put(sample.group(1), Double.parseDouble(sample.group(2)));
                }
            }
            return samples;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
