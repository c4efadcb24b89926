package io.bpfscope.event;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The kinds of event on the stream, by their SSE {@code event:} names. */
public enum EventType {
    EXEC,
    EXIT,
    WRITE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }

    /** The type of this wire name, if it is one. */
    public static Optional<EventType> byWireName(String name) {
        return Arrays.stream(values()).filter(type -> type.wireName.equals(name)).findFirst();
    }

    /** Every wire name, for error messages: "exec, exit, write". */
    public static String wireNames() {
        return Arrays.stream(values()).map(EventType::wireName).collect(Collectors.joining(", "));
    }
}
