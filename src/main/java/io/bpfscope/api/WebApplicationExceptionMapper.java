package io.bpfscope.api;

import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * What the REST layer itself refuses (a wrong Content-Type, a method the
 * path does not take, an unknown path) as an RFC 9457 problem too, with
 * the status it chose.
 */
@Provider
public class WebApplicationExceptionMapper implements ExceptionMapper<WebApplicationException> {

    @Override
    public Response toResponse(WebApplicationException exception) {
        Response refused = exception.getResponse();
        Response.StatusType status = refused.getStatusInfo();
        String detail = exception.getMessage() == null || exception.getMessage().isBlank()
                ? status.getReasonPhrase() : exception.getMessage();
        Problem problem = new Problem(status.getStatusCode(), status.getReasonPhrase(), detail, null);
        return Response.fromResponse(refused).type(Problem.MEDIA_TYPE).entity(problem.toJson()).build();
    }
}
