package io.bpfscope.ui;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Serves the page and its script and style, each with headers that keep
 * what a process wrote from ever running as code in it: a policy that allows
 * scripts, styles and connections from this origin only and nothing inline,
 * no sniffing of types, no framing, no referrer.
 */
@ApplicationScoped
public class PageRoutes {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final Logger LOG = Logger.getLogger(PageRoutes.class);

    private final UiConfig config;

    public PageRoutes(UiConfig config) {
        this.config = config;
    }

    void register(@Observes Router router) {
        if (!config.enabled()) {
            LOG.info("the live view at / is off (bpfscope.ui.enabled=false)");
            return;
        }
        for (String path : List.of("/", "/ui/app.js", "/ui/overview.js", "/ui/style.css")) {
            PageAsset asset = PageAsset.load(path);
            Buffer body = Buffer.buffer(asset.bytes());
            router.route(asset.path()).method(HttpMethod.GET).method(HttpMethod.HEAD)
                    .handler(context -> serve(context, asset, body));
        }
    }

    private static void serve(RoutingContext context, PageAsset asset, Buffer body) {
        context.response()
                .putHeader(HttpHeaders.CONTENT_TYPE, asset.mediaType())
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .putHeader("X-Content-Type-Options", "nosniff")
                .putHeader("Referrer-Policy", "no-referrer")
                .putHeader("X-Frame-Options", "DENY");
        if (context.request().method() == HttpMethod.HEAD) {
            context.response().putHeader(HttpHeaders.CONTENT_LENGTH, Integer.toString(body.length())).end();
        } else {
            context.response().end(body);
        }
    }
}
