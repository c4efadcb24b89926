package io.bpfscope.api;

import io.bpfscope.event.EventJson;

/**
 * An RFC 9457 problem detail: what every 4xx of the API carries, as
 * {@code application/problem+json}. {@code field} names the offending
 * parameter or body field, when there is one.
 */
public record Problem(int status, String title, String detail, String field) {

    public static final String MEDIA_TYPE = "application/problem+json";

    public static Problem badRequest(String field, String detail) {
        return new Problem(400, "Bad Request", detail, field);
    }

    public String toJson() {
        StringBuilder json = new StringBuilder("{\"type\":\"about:blank\",\"title\":");
        EventJson.string(json, title);
        json.append(",\"status\":").append(status).append(",\"detail\":");
        EventJson.string(json, detail);
        if (field != null) {
            json.append(",\"field\":");
            EventJson.string(json, field);
        }
        return json.append('}').toString();
    }
}
