package io.bpfscope.bench;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One {@code lost} message an /events client got: where the events were
 * lost ({@code stage}: kernel, reader, client, daemon), why, of which type,
 * and how many; {@code count} is null when the daemon cannot know (a
 * restart), and {@code eventType} absent when the loss spans every type (a
 * client that fell behind the replay ring counts the hub's events).
 */
public record LimitsLost(String stage, String reason, String eventType, Long count) {

    static LimitsLost of(JsonNode data) {
        return new LimitsLost(text(data, "stage"), text(data, "reason"), text(data, "eventType"),
                data.path("count").isIntegralNumber() ? data.path("count").asLong() : null);
    }

    /** Whether it may stand for writes a write client missed: of type write, or of no one type. */
    boolean mayBeWrites() {
        return eventType == null || eventType.equals("write");
    }

    private static String text(JsonNode data, String field) {
        return data.path(field).isTextual() ? data.path(field).asText() : null;
    }
}
