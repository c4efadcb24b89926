package io.bpfscope.api;

import io.bpfscope.event.EventHub;
import io.bpfscope.event.EventJson;
import io.bpfscope.eventid.EventIds;
import io.bpfscope.probe.StartupFailure;
import io.bpfscope.reader.EventsConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The /events stream, served straight by Vert.x: each client on its own
 * virtual thread, so a slow one blocks nobody.
 */
@ApplicationScoped
public class Routes {

    private static final Duration FINISH_WAIT = Duration.ofSeconds(1);
    private static final Logger LOG = Logger.getLogger(Routes.class);

    private final EventHub hub;
    private final EventsConfig config;
    private final EventJson json;
    private final EventIds ids;
    private final SharedRuns shared;
    private final OpenStreams open;
    private final Duration idleTimeout;

    public Routes(EventHub hub, EventsConfig config, EventJson json, EventIds ids, Vertx vertx,
                  @ConfigProperty(name = "quarkus.http.idle-timeout") Duration idleTimeout) {
        this.hub = hub;
        this.json = json;
        this.ids = ids;
        this.config = config;
        this.shared = new SharedRuns(hub);
        this.idleTimeout = idleTimeout;
        this.open = new OpenStreams(vertx, config.heartbeat());
    }

    void register(@Observes Router router) {
        // The server closes a connection silent for its idle timeout: a quiet stream must speak first,
        // and its heartbeat may go out one tick late.
        if (config.heartbeat().plus(OpenStreams.tick(config.heartbeat())).compareTo(idleTimeout) >= 0) {
            new StartupFailure("bpfscope.events.heartbeat (" + config.heartbeat() + ") must be shorter than"
                    + " quarkus.http.idle-timeout (" + idleTimeout + "), which closes silent connections")
                    .haltProcess(LOG);
        }
        router.route("/events").method(HttpMethod.GET).method(HttpMethod.HEAD).handler(this::events);
    }

    private void events(RoutingContext context) {
        StreamRequest request;
        try {
            request = StreamRequest.parse(query(context), context.request().getHeader(StreamRequest.LAST_EVENT_ID));
        } catch (StreamRequest.Invalid invalid) {
            problem(context, invalid.problem);
            return;
        }
        context.response()
                .setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        if (context.request().method() == HttpMethod.HEAD) {
            context.response().end();
            return;
        }
        EventStream stream = new EventStream(context.response(), request, json, ids.space(), shared, config.heartbeat());
        open.add(stream);
        Thread.ofVirtual().name("events-client").start(() -> {
            try {
                stream.run(hub);
            } finally {
                open.remove(stream);
            }
        });
    }

    /**
     * Gives every /events client a last comment saying the server stops, and
     * the end of its stream rather than a reset connection; waits a moment
     * for them. Called when the daemon is asked to stop, before the HTTP
     * server closes its connections.
     */
    public void finishStreams() throws InterruptedException {
        open.forEach(EventStream::finish);
        long deadline = System.nanoTime() + FINISH_WAIT.toNanos();
        while (!open.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        if (open.isEmpty()) {
            LOG.infof("ended the /events streams");
        } else {
            LOG.warnf("%d /events clients did not take their last message in %s", open.size(), FINISH_WAIT);
        }
    }

    /** The /events clients connected now. */
    public int clients() {
        return open.size();
    }

    static Future<Void> problem(RoutingContext context, Problem problem) {
        return context.response()
                .setStatusCode(problem.status())
                .putHeader(HttpHeaders.CONTENT_TYPE, Problem.MEDIA_TYPE)
                .end(problem.toJson());
    }

    private static Map<String, List<String>> query(RoutingContext context) {
        Map<String, List<String>> query = new HashMap<>();
        for (String name : context.queryParams().names()) {
            query.put(name, context.queryParam(name));
        }
        return query;
    }
}
