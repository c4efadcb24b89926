package io.bpfscope.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * What the latency of an exec on /events needs of its message: the argv,
 * to tell the harness's own execs by, and the event's "time", the kernel's
 * stamp at sys_enter_execve as wall-clock time to the nanosecond
 * (2026-11-21T20:57:39.176676715Z).
 */
record StreamedExec(List<String> argv, Instant time) {

    private static final ObjectMapper JSON = new ObjectMapper();

    StreamedExec {
        argv = List.copyOf(argv);
    }

    /** The exec a data line of /events?type=exec holds; empty for a message of another type (a loss notice). */
    static Optional<StreamedExec> parse(String data) {
        try {
            JsonNode event = JSON.readTree(data);
            if (!event.path("type").asText().equals("exec")) {
                return Optional.empty();
            }
            List<String> argv = new ArrayList<>();
            event.path("argv").forEach(word -> argv.add(word.asText()));
            return Optional.of(new StreamedExec(argv, Instant.parse(event.path("time").asText())));
        } catch (JsonProcessingException | DateTimeParseException e) {
            throw new HarnessFailure("an exec message the harness cannot read (" + e.getMessage() + "): " + data);
        }
    }

    /** From the kernel's stamp to {@code arrived}. */
    Duration latency(Instant arrived) {
        return Duration.between(time, arrived);
    }
}
