package io.bpfscope.config;

import io.bpfscope.event.EventType;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.eclipse.microprofile.config.spi.Converter;

/** An event type by its name on the stream (exec, write): rejected at start-up with the key named otherwise. */
public final class EventTypeName implements Converter<EventType> {

    @Override
    public EventType convert(String value) {
        String name = value.strip();
        return Arrays.stream(EventType.values()).filter(type -> type.wireName().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("must be one of " + Arrays.stream(EventType.values())
                        .map(EventType::wireName).collect(Collectors.joining(", ")) + ", not " + value));
    }
}
