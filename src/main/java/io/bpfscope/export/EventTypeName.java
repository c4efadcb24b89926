package io.bpfscope.export;

import io.bpfscope.event.EventType;
import org.eclipse.microprofile.config.spi.Converter;

/** An event type by its name on the stream (exec, exit, write): rejected at start-up with the key named otherwise. */
public final class EventTypeName implements Converter<EventType> {

    @Override
    public EventType convert(String value) {
        return EventType.byWireName(value.strip()).orElseThrow(
                () -> new IllegalArgumentException("must be one of " + EventType.wireNames() + ", not " + value));
    }
}
