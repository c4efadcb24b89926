package io.bpfscope.api;

import io.bpfscope.event.Event;
import io.bpfscope.event.EventFilter;
import io.bpfscope.event.EventType;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an /events client asked for: which events (each filter repeatable),
 * where to resume, and at most how many events a second it wants
 * ({@code maxRate}, 0 for all). Parsed strictly: a typo must not silently
 * widen the stream.
 */
record StreamRequest(EventFilter filter, long resumeAfter, int maxRate) {

    static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final int COMM_MAX_BYTES = 15;
    private static final Set<String> PARAMETERS = Set.of("type", "pid", "comm", "namespace", "pod", "container",
            "lastEventId", "maxRate");
    /** More than a person or a page can read, and less than a stream carries. */
    static final int MAX_RATE_LIMIT = 100_000;
    /** Kubernetes' names: a namespace is a DNS label, a pod name a DNS subdomain. */
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("(?=.{1,253}$)[a-z0-9]([-a-z0-9.]*[a-z0-9])?");
    /** A Docker or Kubernetes container name, or a container id, whole or short. */
    private static final Pattern CONTAINER = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,252}");

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
                throw invalid(name, "unknown parameter '" + name
                        + "'; /events takes type, pid, comm, namespace, pod, container, lastEventId and maxRate");
            }
        }
        Set<EventType> types = new HashSet<>();
        for (String value : query.getOrDefault("type", List.of())) {
            types.add(EventType.byWireName(value).orElseThrow(
                    () -> invalid("type", "type must be one of " + EventType.wireNames() + ", not '" + value + "'")));
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
        Set<String> namespaces = names(query, "namespace", DNS_LABEL,
                "a Kubernetes namespace (lowercase letters, digits and '-', at most 63)");
        Set<String> pods = names(query, "pod", DNS_SUBDOMAIN,
                "a Kubernetes pod name (lowercase letters, digits, '-' and '.', at most 253)");
        Set<String> containers = names(query, "container", CONTAINER,
                "a container name or id (letters, digits, '_', '.' and '-', at most 253)");
        List<String> fromQuery = query.getOrDefault("lastEventId", List.of());
        String resume = lastEventIdHeader != null ? lastEventIdHeader : fromQuery.isEmpty() ? null : fromQuery.getFirst();
        long resumeAfter = resume == null ? LIVE : eventId(resume);
        int[] sortedPids = pids.stream().mapToInt(Integer::intValue).sorted().toArray();
        List<String> rates = query.getOrDefault("maxRate", List.of());
        if (rates.size() > 1) {
            throw invalid("maxRate", "maxRate may be given once");
        }
        int maxRate = rates.isEmpty() ? 0 : positiveInt("maxRate", rates.getFirst());
        if (maxRate > MAX_RATE_LIMIT) {
            throw invalid("maxRate", "maxRate must be at most " + MAX_RATE_LIMIT + " events a second, not " + maxRate);
        }
        return new StreamRequest(new EventFilter(EventFilter.maskOf(types), sortedPids, Set.copyOf(comms), namespaces,
                pods, containers), resumeAfter, maxRate);
    }

    private static Set<String> names(Map<String, List<String>> query, String field, Pattern valid, String what)
            throws Invalid {
        Set<String> names = new HashSet<>();
        for (String value : query.getOrDefault(field, List.of())) {
            if (!valid.matcher(value).matches()) {
                throw invalid(field, field + " must be " + what + ", not '" + value + "'");
            }
            names.add(value);
        }
        return Set.copyOf(names);
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
