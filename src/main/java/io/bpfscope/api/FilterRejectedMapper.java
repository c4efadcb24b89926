package io.bpfscope.api;

import io.bpfscope.filter.FilterRejected;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** A refused filter change as an RFC 9457 problem. */
@Provider
public class FilterRejectedMapper implements ExceptionMapper<FilterRejected> {

    @Override
    public Response toResponse(FilterRejected rejected) {
        Problem problem = new Problem(rejected.status(), title(rejected.status()), rejected.getMessage(),
                rejected.field());
        return Response.status(rejected.status()).type(Problem.MEDIA_TYPE).entity(problem.toJson()).build();
    }

    private static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 422 -> "Unprocessable Content";
            case 503 -> "Service Unavailable";
            default -> "Error";
        };
    }
}
