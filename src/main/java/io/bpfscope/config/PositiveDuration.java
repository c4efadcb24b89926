package io.bpfscope.config;

import io.quarkus.runtime.configuration.DurationConverter;
import java.time.Duration;
import org.eclipse.microprofile.config.spi.Converter;

/** A duration (as Quarkus writes them: 5ms, 1s, PT1S) that must be more than zero. */
public final class PositiveDuration implements Converter<Duration> {

    private final DurationConverter durations = new DurationConverter();

    @Override
    public Duration convert(String value) {
        Duration parsed = durations.convert(value);
        if (parsed == null || parsed.isNegative() || parsed.isZero()) {
            throw new IllegalArgumentException("must be a duration of more than zero, not " + value);
        }
        return parsed;
    }
}
