package io.bpfscope.config;

import org.eclipse.microprofile.config.spi.Converter;

/** A count that must be at least 1: rejected at start-up with the key named. */
public final class AtLeastOne implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        int parsed = Integer.parseInt(value.strip());
        if (parsed < 1) {
            throw new IllegalArgumentException("must be at least 1, not " + value);
        }
        return parsed;
    }
}
