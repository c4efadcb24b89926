package io.bpfscope.histogram;

import java.util.Arrays;

/**
 * One of the kernel's histograms, read: how many values fell at each index
 * (0 for zero, k + 1 for the bucket (2^(k-1), 2^k] of the unit) and their
 * sum, in the unit the kernel counts in (bytes, nanoseconds).
 */
public record Log2Histogram(long[] counts, long sum) {

    /** Indexes of every histogram (HIST_INDEXES). */
    public static final int INDEXES = 67;
    public static final Log2Histogram EMPTY = new Log2Histogram(new long[INDEXES], 0);

    public Log2Histogram {
        if (counts.length != INDEXES) {
            throw new IllegalArgumentException("a histogram has " + INDEXES + " indexes, not " + counts.length);
        }
    }

    /** The values counted: the sum over every index. */
    public long count() {
        long count = 0;
        for (long atIndex : counts) {
            count += atIndex;
        }
        return count;
    }

    public Log2Histogram plus(Log2Histogram other) {
        long[] sums = counts.clone();
        for (int i = 0; i < INDEXES; i++) {
            sums[i] += other.counts[i];
        }
        return new Log2Histogram(sums, sum + other.sum);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Log2Histogram that && sum == that.sum && Arrays.equals(counts, that.counts);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(counts) + Long.hashCode(sum);
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("Log2Histogram[sum=").append(sum).append(", counts={");
        String separator = "";
        for (int i = 0; i < INDEXES; i++) {
            if (counts[i] != 0) {
                text.append(separator).append(i).append('=').append(counts[i]);
                separator = ", ";
            }
        }
        return text.append("}]").toString();
    }
}
