package io.bpfscope.api;

import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * What no handler should have to check, refused up front as problems:
 * a request target that is not ASCII or whose percent-escapes are not
 * UTF-8 (400), a method the read-only endpoints do not take (405).
 */
@ApplicationScoped
public class RequestGuards {

    private static final String READ_ONLY = "GET, HEAD";

    void register(@Observes Router router) {
        router.route().order(-300).handler(RequestGuards::wellFormedTarget);
        for (String readOnly : new String[] {"/events", "/metrics", "/q/*"}) {
            router.route(readOnly).order(-290).handler(RequestGuards::readOnly);
        }
    }

    private static void wellFormedTarget(RoutingContext context) {
        String problem = malformed(context.request().uri());
        if (problem == null) {
            context.next();
        } else {
            Routes.problem(context, Problem.badRequest(null, problem));
        }
    }

    /**
     * Why a request target is refused, or null. Netty hands over its bytes as
     * ISO-8859-1 characters, so a byte outside ASCII is a character past 0x7E.
     */
    static String malformed(String target) {
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(target.length());
        for (int i = 0; i < target.length(); i++) {
            char c = target.charAt(i);
            if (c <= 0x20 || c >= 0x7F) {
                return "the request target must be ASCII; other bytes are percent-encoded UTF-8";
            }
            if (c == '%') {
                if (i + 2 >= target.length() || !HexFormat.isHexDigit(target.charAt(i + 1))
                        || !HexFormat.isHexDigit(target.charAt(i + 2))) {
                    return "the request target has a malformed percent-escape at " + i;
                }
                decoded.write(HexFormat.fromHexDigits(target, i + 1, i + 3));
                i += 2;
            } else {
                decoded.write(c);
            }
        }
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(decoded.toByteArray()));
            return null;
        } catch (CharacterCodingException e) {
            return "the request target's percent-escapes are not UTF-8";
        }
    }

    private static void readOnly(RoutingContext context) {
        HttpMethod method = context.request().method();
        if (method == HttpMethod.GET || method == HttpMethod.HEAD) {
            context.next();
            return;
        }
        context.response().putHeader(HttpHeaders.ALLOW, READ_ONLY);
        Routes.problem(context, new Problem(405, "Method Not Allowed",
                context.request().path() + " takes " + READ_ONLY + ", not " + method.name(), null));
    }
}
