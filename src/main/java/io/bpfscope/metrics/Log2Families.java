package io.bpfscope.metrics;

import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.histogram.Log2Unit;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import java.util.Map;

/**
 * Histogram families from the kernel's log2 histograms, both kinds at once.
 * The native histogram is the kernel's own buckets at schema 0, every one,
 * with a zero bucket for zero alone (threshold 0). The classic buckets are
 * powers of two of the unit, 2^first to 2^last every step-th one, and +Inf,
 * the same for every series so that they can be summed; each is the sum of
 * whole kernel buckets, so both kinds are exact.
 */
final class Log2Families {

    private Log2Families() {
    }

    /** Classic buckets ending at 2^first, 2^(first+step), ... 2^last of the unit, then +Inf. */
    record ClassicRange(int first, int last, int step) {
        ClassicRange {
            if (first > last || step < 1 || (last - first) % step != 0) {
                throw new IllegalArgumentException("no steps of " + step + " from 2^" + first + " to 2^" + last);
            }
        }

        /** The finite bounds' count. */
        int bounds() {
            return (last - first) / step + 1;
        }

        /** Which finite bound holds native bucket b (at most 2^b): the first at or above it; bounds() past the last. */
        int boundOf(int bucket) {
            return bucket <= first ? 0 : Math.ceilDiv(bucket - first, step);
        }

        /** The classic upper bounds, +Inf last. */
        double[] upperBounds() {
            double[] bounds = new double[bounds() + 1];
            for (int i = 0; i < bounds(); i++) {
                bounds[i] = Math.scalb(1.0, first + i * step);
            }
            bounds[bounds()] = Double.POSITIVE_INFINITY;
            return bounds;
        }

        /** For each kernel index of a histogram in unit, the classic bucket (of upperBounds()) holding it. */
        int[] boundsOf(Log2Unit unit) {
            int[] byIndex = new int[Log2Histogram.INDEXES];
            for (int index = 1; index < Log2Histogram.INDEXES; index++) {
                byIndex[index] = Math.min(boundOf(unit.bucket(index)), bounds());
            }
            return byIndex;
        }
    }

    static HistogramSnapshot histogram(String name, String help, Log2Unit unit, ClassicRange classic,
                                       Map<Labels, Log2Histogram> series) {
        HistogramSnapshot.Builder family = HistogramSnapshot.builder().name(name).help(help);
        double[] bounds = classic.upperBounds();
        int[] boundByIndex = classic.boundsOf(unit);
        series.forEach((labels, histogram) -> family.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .labels(labels)
                .classicHistogramBuckets(classicBuckets(bounds, boundByIndex, histogram))
                .nativeSchema(0)
                .nativeZeroThreshold(0)
                .nativeZeroCount(histogram.counts()[0])
                .nativeBucketsForPositiveValues(nativeBuckets(unit, histogram))
                .sum(unit.sum(histogram.sum()))
                .build()));
        return family.build();
    }

    private static ClassicHistogramBuckets classicBuckets(double[] bounds, int[] boundByIndex, Log2Histogram histogram) {
        long[] counts = new long[bounds.length];
        long[] byIndex = histogram.counts();
        for (int index = 0; index < Log2Histogram.INDEXES; index++) {
            counts[boundByIndex[index]] += byIndex[index];
        }
        return ClassicHistogramBuckets.of(bounds, counts);
    }

    private static NativeHistogramBuckets nativeBuckets(Log2Unit unit, Log2Histogram histogram) {
        long[] byIndex = histogram.counts();
        int used = 0;
        for (int index = 1; index < Log2Histogram.INDEXES; index++) {
            used += byIndex[index] != 0 ? 1 : 0;
        }
        int[] buckets = new int[used];
        long[] counts = new long[used];
        for (int index = 1, next = 0; index < Log2Histogram.INDEXES; index++) {
            if (byIndex[index] != 0) {
                buckets[next] = unit.bucket(index);
                counts[next++] = byIndex[index];
            }
        }
        return NativeHistogramBuckets.of(buckets, counts);
    }
}
