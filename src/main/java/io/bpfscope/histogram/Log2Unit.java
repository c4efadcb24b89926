package io.bpfscope.histogram;

/**
 * The unit a histogram's buckets are powers of two of, as exposed: index
 * k + 1 is bucket k of the kernel's unit, whose upper bound is 2^k bytes, or
 * 2^(k-30) seconds (the kernel counts durations in 2^-30 s). The exposed
 * bucket number is the native histogram's bucket index at schema 0.
 */
public enum Log2Unit {

    BYTES(0, 1),
    SECONDS(30, 1e-9);

    private final int offset;
    private final double perKernelUnit;

    Log2Unit(int offset, double perKernelUnit) {
        this.offset = offset;
        this.perKernelUnit = perKernelUnit;
    }

    /** The schema-0 bucket of a (non-zero) index: bucket b holds (2^(b-1), 2^b] of this unit. */
    public int bucket(int index) {
        if (index < 1 || index >= Log2Histogram.INDEXES) {
            throw new IllegalArgumentException("index " + index + " is no bucket");
        }
        return index - 1 - offset;
    }

    /** The index of bucket b. */
    public int index(int bucket) {
        return bucket + 1 + offset;
    }

    /** A histogram's sum, counted in the kernel's unit (bytes, nanoseconds), in this one. */
    public double sum(long kernelSum) {
        return kernelSum * perKernelUnit;
    }
}
