package io.bpfscope.api;

import io.bpfscope.event.Event;
import io.bpfscope.event.EventType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What an /events client asked for: which events (each filter repeatable)
 * and where to resume. Parsed strictly: a typo must not silently widen the
 * stream.
 */
record StreamRequest(EventFilter filter, long resumeAfter) {

    static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final int COMM_MAX_BYTES = 15;
    private static final Set<String> PARAMETERS = Set.of("type", "pid", "comm", "lastEventId");

    /** Thrown with the problem to answer. */
    static final class Invalid extends Exception {
        final Problem problem;

        Invalid(Problem problem) {
            super(problem.detail());
            this.problem = problem;
        }
    }

    /** No resume point: start with the next event. */
    static final long LIVE = -1;

    static StreamRequest parse(Map<String, List<String>> query, String lastEventIdHeader) throws Invalid {
        for (String name : query.keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw invalid(name, "unknown parameter '" + name + "'; /events takes type, pid, comm and lastEventId");
            }
        }
        Set<EventType> types = new HashSet<>();
        for (String value : query.getOrDefault("type", List.of())) {
            types.add(switch (value) {
                case "exec" -> EventType.EXEC;
                case "write" -> EventType.WRITE;
                default -> throw invalid("type", "type must be exec or write, not '" + value + "'");
            });
        }
        Set<Integer> pids = new HashSet<>();
        for (String value : query.getOrDefault("pid", List.of())) {
            pids.add(positiveInt("pid", value));
        }
        Set<String> comms = new HashSet<>();
        for (String value : query.getOrDefault("comm", List.of())) {
            if (value.isEmpty() || value.getBytes(StandardCharsets.UTF_8).length > COMM_MAX_BYTES) {
                throw invalid("comm", "comm must be 1 to 15 bytes (the kernel keeps no more), not '" + value + "'");
            }
            comms.add(value);
        }
        List<String> fromQuery = query.getOrDefault("lastEventId", List.of());
        String resume = lastEventIdHeader != null ? lastEventIdHeader : fromQuery.isEmpty() ? null : fromQuery.getFirst();
        long resumeAfter = resume == null ? LIVE : eventId(resume);
        int[] sortedPids = pids.stream().mapToInt(Integer::intValue).sorted().toArray();
        return new StreamRequest(new EventFilter(EventFilter.maskOf(types), sortedPids, Set.copyOf(comms)), resumeAfter);
    }

    private static int positiveInt(String field, String value) throws Invalid {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed > 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid(field, field + " must be a positive integer, not '" + value + "'");
    }

    private static long eventId(String value) throws Invalid {
        try {
            long parsed = Long.parseLong(value.strip());
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw invalid(LAST_EVENT_ID, "Last-Event-ID must be an event id (a non-negative integer), not '" + value + "'");
    }

    private static Invalid invalid(String field, String detail) {
        return new Invalid(Problem.badRequest(field, detail));
    }
}
