package io.bpfscope.config;

import org.eclipse.microprofile.config.spi.Converter;

/** A size that must be a power of two (at least 2): rejected at start-up with the key named. */
public final class PowerOfTwo implements Converter<Integer> {

    @Override
    public Integer convert(String value) {
        int parsed = Integer.parseInt(value.strip());
        if (parsed < 2 || Integer.bitCount(parsed) != 1) {
            throw new IllegalArgumentException("must be a power of two of at least 2, not " + value);
        }
        return parsed;
    }
}
