package io.bpfscope.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * GET /q/metrics, and /metrics for scrapers configured the conventional way:
 * the exposition in the format the scraper's Accept header asks for, by the
 * Prometheus client's negotiation: protobuf (which alone carries native
 * histograms), OpenMetrics 1.0, else the 0.0.4 text format, so no scraper is
 * ever refused with 406. {@code name[]} parameters keep only the families so
 * named, as the Prometheus client's own handler does (the live view asks for
 * the few it shows). A scrape reads BPF maps with system calls, so it runs
 * on a worker thread, and its body goes out a chunk at a time as it is
 * written ({@link ResponseStream}); the text formats by {@link TextExposition}.
 */
@ApplicationScoped
public class ScrapeRoute {

    /** A scraper that takes nothing for this long is cut off: its scrape holds a worker thread. */
    private static final Duration SLOW_SCRAPER = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger(ScrapeRoute.class);

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
        ExpositionFormatWriter negotiated = formats.findWriter(context.request().getHeader(HttpHeaders.ACCEPT));
        List<String> names = context.queryParam("name[]");
        MetricSnapshots snapshots = names.isEmpty() ? registry.scrape()
                : registry.scrape(MetricNameFilter.builder().nameMustBeEqualTo(names).build());
        boolean ours = negotiated != formats.getPrometheusProtobufWriter() && TextExposition.writes(snapshots);
        TextExposition text = new TextExposition(negotiated == formats.getOpenMetricsTextFormatWriter());
        HttpServerResponse response = context.response()
                .setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, ours ? text.contentType() : negotiated.getContentType());
        if (context.request().method() == HttpMethod.HEAD) {
            response.end();
            return;
        }
        ResponseStream body = new ResponseStream(response, SLOW_SCRAPER);
        try {
            if (ours) {
                text.write(body, snapshots);
            } else {
                negotiated.write(body, snapshots);
            }
            body.close();
        } catch (IOException e) {
            LOG.debugf("a scrape ended early: %s", e.getMessage());
            response.reset();
        }
    }
}
