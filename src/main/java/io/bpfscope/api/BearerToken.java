package io.bpfscope.api;

import io.bpfscope.probe.StartupFailure;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Guards what changes tracing or carries argv: every method but GET on
 * /filters/pids, and /events. Without a configured token everything is open
 * (the loopback default); with one, a request needs
 * {@code Authorization: Bearer <token>}: 401 without it, 403 with another.
 * Metrics and health stay open. Tokens are compared in constant time.
 */
@ApplicationScoped
public class BearerToken {

    private static final Logger LOG = Logger.getLogger(BearerToken.class);
    private static final String PREFIX = "Bearer ";

    private final ApiConfig config;
    private Optional<byte[]> token = Optional.empty();

    public BearerToken(ApiConfig config) {
        this.config = config;
    }

    private static Optional<byte[]> load(ApiConfig config) {
        if (config.tokenFile().isPresent()) {
            try {
                String text = Files.readString(config.tokenFile().get()).strip();
                if (text.isEmpty()) {
                    throw new StartupFailure("bpfscope.api.token-file " + config.tokenFile().get() + " is empty");
                }
                return Optional.of(text.getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                String why = e instanceof NoSuchFileException ? "no such file" : e.toString();
                throw new StartupFailure("cannot read bpfscope.api.token-file " + config.tokenFile().get() + ": " + why, e);
            }
        }
        return config.token().filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    void register(@Observes Router router) {
        try {
            token = load(config);
        } catch (StartupFailure failure) {
            failure.haltProcess(LOG);
        }
        if (token.isEmpty()) {
            LOG.info("no API token set: /filters/pids and /events are open to whoever reaches the port");
            return;
        }
        router.route("/filters/pids*").order(-100).handler(context -> {
            if (context.request().method() == HttpMethod.GET) {
                context.next();
            } else {
                check(context);
            }
        });
        router.route("/events").order(-100).handler(this::check);
    }

    private void check(RoutingContext context) {
        String header = context.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header == null || !header.startsWith(PREFIX)) {
            context.response().putHeader("WWW-Authenticate", "Bearer");
            Routes.problem(context, new Problem(401, "Unauthorized",
                    "this endpoint needs an Authorization: Bearer <token> header", null));
            return;
        }
        byte[] offered = header.substring(PREFIX.length()).strip().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(offered, token.orElseThrow())) {
            Routes.problem(context, new Problem(403, "Forbidden", "the bearer token is not the daemon's", null));
            return;
        }
        context.next();
    }
}
