package io.bpfscope.config;

import io.quarkus.runtime.configuration.MemorySizeConverter;
import org.eclipse.microprofile.config.spi.Converter;

/** An amount of memory in bytes, given as 16M, 512K or 1G: rejected at start-up with the key named unless positive. */
public final class PositiveSize implements Converter<Long> {

    private static final MemorySizeConverter SIZES = new MemorySizeConverter();

    @Override
    public Long convert(String value) {
        long bytes;
        try {
            bytes = SIZES.convert(value).asLongValue();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("must be a size such as 16M, 512K or 1G, not " + value, e);
        }
        if (bytes < 1) {
            throw new IllegalArgumentException("must be more than 0 bytes, not " + value);
        }
        return bytes;
    }
}
