package io.bpfscope.event;

import java.util.Locale;

/** The kinds of event on the stream, by their SSE {@code event:} names. */
public enum EventType {
    EXEC,
    WRITE;

    private final String wireName = name().toLowerCase(Locale.ROOT);

    public String wireName() {
        return wireName;
    }
}
