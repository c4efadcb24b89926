package io.bpfscope.api;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The bodies of /filters/pids, read on the event loop before the REST
 * layer sees the request, and within {@code quarkus.http.read-timeout}
 * (else 408 and the connection closed). Left to the REST layer, a body is
 * read on a worker thread: clients trickling bodies held a worker each, and
 * a few hundred of them starved the API and the metrics scrape.
 */
@ApplicationScoped
public class RequestBodies {

    private final Duration timeout;
    private final long maxBytes;

    public RequestBodies(@ConfigProperty(name = "quarkus.http.read-timeout") Duration timeout,
                         @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize maxBytes) {
        this.timeout = timeout;
        this.maxBytes = maxBytes.asLongValue();
    }

    void register(@Observes Router router) {
        // After the token check (BearerToken, -100): a refused request's body is never read.
        router.route("/filters/pids*").order(-90).handler(this::read);
    }

    private void read(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.isEnded() || request.version() == HttpVersion.HTTP_2) {
            // Nothing left to read. And the REST layer cannot take over an HTTP/2 request whose
            // body was read (it pauses the request, which throws once it has ended); HTTP/2 is off
            // (application.properties).
            context.next();
            return;
        }
        // Quarkus resumes a request as soon as a data handler is set; paused by us, it stays so
        // until the end handler is set too (else the end of a body already in goes unseen).
        request.pause();
        Buffer body = Buffer.buffer();
        long timer = context.vertx().setTimer(timeout.toMillis(), ignored -> closeAfter(context,
                new Problem(408, "Request Timeout", "the request body did not arrive within " + timeout.toMillis() + " ms", null)));
        request.handler(chunk -> {
            if (body.length() + chunk.length() > maxBytes) {
                context.vertx().cancelTimer(timer);
                closeAfter(context, new Problem(413, "Content Too Large", "a body is " + maxBytes + " bytes at most", null));
            } else {
                body.appendBuffer(chunk);
            }
        });
        request.endHandler(ignored -> {
            context.vertx().cancelTimer(timer);
            if (!context.response().ended()) {
                context.setBody(body);
                context.next();
            }
        });
        // The client closed the connection, or broke its framing, before its body was in: there
        // is nobody to answer, and nothing the daemon did wrong to log.
        request.exceptionHandler(failure -> {
            context.vertx().cancelTimer(timer);
            request.connection().close();
        });
        if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
            context.response().writeContinue();
        }
        request.resume();
    }

    /** Answers once, then closes: the rest of the body may still be coming, so the connection cannot carry another request. */
    private static void closeAfter(RoutingContext context, Problem problem) {
        if (context.response().ended()) {
            return;
        }
        context.response().putHeader(HttpHeaders.CONNECTION, "close");
        Routes.problem(context, problem).onComplete(sent -> context.request().connection().close());
    }
}
