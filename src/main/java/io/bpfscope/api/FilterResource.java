package io.bpfscope.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
    private final ObjectMapper mapper;

    public FilterResource(PidFilter filter, ObjectMapper mapper) {
        this.filter = filter;
        this.mapper = mapper;
    }

    @GET
    public FilterState get() {
        return filter.state();
    }

    /** {@code {"pids":[...], "followChildren":false}} replaces the whole set. */
    @PUT
    @Consumes(MediaType.APPLICATION_JSON)
    public FilterState replace(String body, @QueryParam("allowMissing") boolean allowMissing) {
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
        return filter.replace(wanted, followChildren(json.get("followChildren")), allowMissing);
    }

    /** {@code {"pid": n}} adds one PID. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public FilterState add(String body, @QueryParam("allowMissing") boolean allowMissing) {
        JsonNode json = object(body);
        JsonNode pid = json.get("pid");
        if (pid == null) {
            throw new FilterRejected(400, "pid", "the body must be {\"pid\": <positive integer>}");
        }
        if (json.size() != 1) {
            throw new FilterRejected(400, null, "the body must hold only pid");
        }
        return filter.add(pid(pid, "pid"), allowMissing);
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
    public FilterState clear(@Context UriInfo uri, String body) {
        if (uri.getRequestUri().getRawPath().endsWith("/")) {
            throw new FilterRejected(404, "pid", "DELETE /filters/pids/ names no PID; DELETE /filters/pids clears the filter");
        }
        if (body != null && !body.isEmpty()) {
            throw new FilterRejected(400, null, "DELETE /filters/pids takes no body");
        }
        return filter.clear();
    }

    private JsonNode object(String body) {
        try {
            JsonNode json = body == null || body.isBlank() ? null : mapper.readTree(body);
            if (json == null || !json.isObject()) {
                throw new FilterRejected(400, null, "the body must be a JSON object");
            }
            return json;
        } catch (JsonProcessingException e) {
            throw new FilterRejected(400, null, "the body is not JSON: " + e.getOriginalMessage());
        }
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
