package io.bpfscope.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * GET /q/metrics, and /metrics for scrapers configured the conventional way:
 * the exposition in the format the scraper's Accept header asks for, by the
 * Prometheus client's negotiation: protobuf (which alone carries native
 * histograms), OpenMetrics 1.0, else the 0.0.4 text format, so no scraper is
 * ever refused with 406. A scrape reads BPF maps with system calls, so it runs
 * on a worker thread.
 */
@ApplicationScoped
public class ScrapeRoute {

    private static final int INITIAL_BODY_BYTES = 64 * 1024;

    private final PrometheusRegistry registry;
    private final ExpositionFormats formats = ExpositionFormats.init();

    public ScrapeRoute(PrometheusMeterRegistry meters) {
        this.registry = meters.getPrometheusRegistry();
    }

    void register(@Observes Router router) {
        for (String path : new String[] {"/q/metrics", "/metrics"}) {
            router.route(path).method(HttpMethod.GET).method(HttpMethod.HEAD).blockingHandler(this::scrape, false);
        }
    }

    private void scrape(RoutingContext context) {
        ExpositionFormatWriter writer = formats.findWriter(context.request().getHeader(HttpHeaders.ACCEPT));
        ByteArrayOutputStream body = new ByteArrayOutputStream(INITIAL_BODY_BYTES);
        try {
            writer.write(body, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, writer.getContentType())
                .end(Buffer.buffer(body.toByteArray()));
    }
}
