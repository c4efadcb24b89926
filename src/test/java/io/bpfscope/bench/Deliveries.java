package io.bpfscope.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the clients of {@code sse_count -m MARKER} received of the marked
 * execs ({@code /bin/true MARKER I}), from its stamp lines
 * ({@code stamp client=C rx_ns=REALTIME id=ID {json}}): per client and
 * exec, how late it arrived (its receipt minus the event's own time, the
 * kernel's clock at sys_enter_execve); per exec, its event id as any client
 * saw it; per client, the id ranges of the {@code lost} messages it got.
 */
record Deliveries(Map<Due, Long> latencyNs, Map<Integer, Long> execIds, Map<Integer, List<Gap>> gaps) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Exec {@code exec} (its I) due to client {@code client}. */
    record Due(int client, int exec) {
    }

    /** Events {@code fromId} to {@code toId} that a client was told it lost. */
    record Gap(long fromId, long toId) {

        boolean holds(long id) {
            return fromId <= id && id <= toId;
        }
    }

    static Deliveries read(Stream<String> clientOutput, String marker) {
        Map<Due, Long> latency = new HashMap<>();
        Map<Integer, Long> ids = new HashMap<>();
        Map<Integer, List<Gap>> gaps = new HashMap<>();
        for (String line : (Iterable<String>) clientOutput.filter(l -> l.startsWith("stamp "))::iterator) {
            String[] f = line.split(" ", 5);
            int client = Integer.parseInt(f[1].substring("client=".length()));
            long rxNs = Long.parseLong(f[2].substring("rx_ns=".length()));
            long id = Long.parseLong(f[3].substring("id=".length()));
            JsonNode event = parse(f[4]);
            String type = event.path("type").asText();
            if (type.equals("lost")) {
                gaps.computeIfAbsent(client, c -> new ArrayList<>()).add(new Gap(event.path("fromId").asLong(),
                        event.path("toId").asLong()));
            } else if (type.equals("exec") && event.path("argv").path(1).asText().equals(marker)) {
                int exec = Integer.parseInt(event.path("argv").path(2).asText());
                latency.put(new Due(client, exec), rxNs - epochNanos(event.path("time").asText()));
                ids.put(exec, id);
            }
        }
        return new Deliveries(latency, ids, gaps);
    }

    /** An event's {@code time} (2026-11-21T20:57:39.176676715Z) in ns since the epoch, every digit kept. */
    static long epochNanos(String time) {
        return ChronoUnit.NANOS.between(Instant.EPOCH, Instant.parse(time));
    }

    /** Whether {@code due} missed its client inside a {@code lost} gap that client was told of. */
    boolean toldLost(Due due) {
        Long id = execIds.get(due.exec());
        return id != null && gaps.getOrDefault(due.client(), List.of()).stream().anyMatch(gap -> gap.holds(id));
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException("a stamp line of sse_count that is not JSON: " + json, e);
        }
    }
}
