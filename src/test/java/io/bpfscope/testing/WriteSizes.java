package io.bpfscope.testing;

import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.probe.WriteCount;
import java.util.LinkedHashMap;
import java.util.Map;

/** The write counts the kernel must hold after known writes, bucket by bucket. */
public final class WriteSizes {

    private WriteSizes() {
    }

    /** {@code calls} writes of {@code bytes} bytes each. */
    public static WriteCount uniform(long calls, long bytes) {
        return of(Map.of(bytes, calls));
    }

    /** Writes of each size (bytes to how many writes of that size). */
    public static WriteCount of(Map<Long, Long> countBySize) {
        long[] counts = new long[Log2Histogram.INDEXES];
        long sum = 0;
        for (Map.Entry<Long, Long> sized : countBySize.entrySet()) {
            counts[index(sized.getKey())] += sized.getValue();
            sum += sized.getKey() * sized.getValue();
        }
        return new WriteCount(new Log2Histogram(counts, sum));
    }

    /**
     * The classic buckets of these writes as exposed in the text format, cumulative: every
     * "le" of bpfscope_write_size_bytes (1 B, 4 B, ... 1 MiB, +Inf) to how many writes it holds.
     */
    public static Map<String, Long> classicBuckets(Map<Long, Long> countBySize) {
        Map<String, Long> buckets = new LinkedHashMap<>();
        for (int k = 0; k <= 20; k += 2) {
            long bound = 1L << k;
            buckets.put((double) bound + "", countBySize.entrySet().stream()
                    .filter(sized -> sized.getKey() <= bound).mapToLong(Map.Entry::getValue).sum());
        }
        buckets.put("+Inf", countBySize.values().stream().mapToLong(Long::longValue).sum());
        return buckets;
    }

    /**
     * The histogram index of a write of {@code bytes}: 0 for none, else k + 1 for the bucket
     * (2^(k-1), 2^k] that holds it. Written apart from the kernel's bit twiddling on purpose.
     */
    public static int index(long bytes) {
        if (bytes == 0) {
            return 0;
        }
        int k = 0;
        while (k < 64 && Long.compareUnsigned(bytes, 1L << k) > 0) {
            k++;
        }
        return k + 1;
    }
}
