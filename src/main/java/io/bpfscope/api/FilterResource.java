package io.bpfscope.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.bpfscope.filter.FilterRejected;
import io.bpfscope.filter.FilterState;
import io.bpfscope.filter.PidFilter;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code /filters/pids}: which processes have their writes streamed. Bodies
 * are parsed by hand so that every wrong type or missing field is answered
 * with a problem naming it, never a generic error.
 */
@Path("/filters/pids")
@Produces(MediaType.APPLICATION_JSON)
public class FilterResource {

    private static final Set<String> SET_FIELDS = Set.of("pids", "followChildren");

    private final PidFilter filter;
    private final ObjectReader strict;

    public FilterResource(PidFilter filter, ObjectMapper mapper) {
        this.filter = filter;
        this.strict = mapper.reader()
                .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .with(StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    }

    @GET
    public FilterState get() {
        return filter.state();
    }

    /** {@code {"pids":[...], "followChildren":false}} replaces the whole set. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public FilterState replace(byte[] body, @QueryParam("allowMissing") String allowMissing) {
        JsonNode json = object(body);
        for (var names = json.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!SET_FIELDS.contains(name)) {
                throw new FilterRejected(400, name, "unknown field '" + name + "'; the body takes pids and followChildren");
            }
        }
        JsonNode pids = json.get("pids");
        if (pids == null || !pids.isArray()) {
            throw new FilterRejected(400, "pids", "pids must be an array of PIDs");
        }
        List<Integer> wanted = new ArrayList<>();
        for (JsonNode pid : pids) {
            wanted.add(pid(pid, "pids"));
        }
        return filter.replace(wanted, followChildren(json.get("followChildren")), allowMissing(allowMissing));
    }

    /** {@code {"pid": n}} adds one PID. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public FilterState add(byte[] body, @QueryParam("allowMissing") String allowMissing) {
        JsonNode json = object(body);
        JsonNode pid = json.get("pid");
        if (pid == null) {
            throw new FilterRejected(400, "pid", "the body must be {\"pid\": <positive integer>}");
        }
        if (json.size() != 1) {
            throw new FilterRejected(400, null, "the body must hold only pid");
        }
        return filter.add(pid(pid, "pid"), allowMissing(allowMissing));
    }

    @DELETE
    @Path("{pid}")
    public FilterState remove(@PathParam("pid") String pid) {
        try {
            return filter.remove(Integer.parseInt(pid));
        } catch (NumberFormatException e) {
            throw new FilterRejected(400, "pid", "pid must be a positive integer, not '" + pid + "'");
        }
    }

    /**
     * Clears the filter, on the exact path only: {@code DELETE /filters/pids/}
     * is what a script with an empty PID variable sends, and must not empty
     * the whole set.
     */
    @DELETE
    public FilterState clear(@Context UriInfo uri, byte[] body) {
        if (uri.getRequestUri().getRawPath().endsWith("/")) {
            throw new FilterRejected(404, "pid", "DELETE /filters/pids/ names no PID; DELETE /filters/pids clears the filter");
        }
        if (body != null && body.length > 0) {
            throw new FilterRejected(400, null, "DELETE /filters/pids takes no body");
        }
        return filter.clear();
    }

    /**
     * The body as one JSON object, strictly: UTF-8 (RFC 8259), no second value
     * or garbage after it, no field twice (which would leave the last one to
     * win silently).
     */
    private JsonNode object(byte[] body) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(body == null ? new byte[0] : body)).toString();
        } catch (CharacterCodingException e) {
            throw new FilterRejected(400, null, "the body is not UTF-8");
        }
        try {
            JsonNode json = text.isBlank() ? null : strict.readTree(text);
            if (json == null || !json.isObject()) {
                throw new FilterRejected(400, null, "the body must be a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new FilterRejected(400, null, "the body is not JSON: " + e.getOriginalMessage());
        }
    }

    /** Absent means false; anything but true or false is refused, not read as false. */
    private static boolean allowMissing(String value) {
        if (value == null) {
            return false;
        }
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new FilterRejected(400, "allowMissing", "allowMissing must be true or false, not '" + value + "'");
        };
    }

    private static int pid(JsonNode value, String field) {
        if (!value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new FilterRejected(400, field, field + " must hold integers, not " + value);
        }
        return value.intValue();
    }

    /** Absent means false: a PUT states the whole filter. */
    private static boolean followChildren(JsonNode value) {
        if (value != null && !value.isBoolean()) {
            throw new FilterRejected(400, "followChildren", "followChildren must be true or false, not " + value);
        }
        return value != null && value.booleanValue();
    }
}
