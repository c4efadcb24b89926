package io.bpfscope.metrics;

import io.bpfscope.histogram.Log2Histogram;
import io.bpfscope.histogram.Log2Unit;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.NativeHistogramBuckets;
import java.util.List;
import java.util.Map;

/**
 * Histogram families from the kernel's log2 histograms, both kinds at once.
 * The native histogram is the kernel's own buckets at schema 0, every one,
 * with a zero bucket for zero alone (threshold 0). The classic buckets are
 * the powers of two from 2^first to 2^last of the unit and +Inf, the same
 * for every series so that they can be summed; each is the sum of whole
 * kernel buckets, so both kinds are exact.
 */
final class Log2Families {

    private Log2Families() {
    }

    /** Classic buckets ending at 2^first, 2^(first+1), ... 2^last of the unit, then +Inf. */
    record ClassicRange(int first, int last) {
        ClassicRange {
            if (first > last) {
                throw new IllegalArgumentException("2^" + first + " is above 2^" + last);
            }
        }
    }

    static HistogramSnapshot histogram(String name, String help, List<String> labelNames, Log2Unit unit,
                                       ClassicRange classic, Map<List<String>, Log2Histogram> series) {
        HistogramSnapshot.Builder family = HistogramSnapshot.builder().name(name).help(help);
        series.forEach((labels, histogram) -> family.dataPoint(HistogramSnapshot.HistogramDataPointSnapshot.builder()
                .labels(Labels.of(labelNames, labels))
                .classicHistogramBuckets(classicBuckets(unit, classic, histogram))
                .nativeSchema(0)
                .nativeZeroThreshold(0)
                .nativeZeroCount(histogram.counts()[0])
                .nativeBucketsForPositiveValues(nativeBuckets(unit, histogram))
                .sum(unit.sum(histogram.sum()))
                .build()));
        return family.build();
    }

    private static ClassicHistogramBuckets classicBuckets(Log2Unit unit, ClassicRange classic, Log2Histogram histogram) {
        int buckets = classic.last() - classic.first() + 2;
        double[] bounds = new double[buckets];
        long[] counts = new long[buckets];
        long[] byIndex = histogram.counts();
        for (int index = 0; index < Log2Histogram.INDEXES; index++) {
            int bucket = index == 0 ? classic.first() : Math.max(unit.bucket(index), classic.first());
            counts[bucket > classic.last() ? buckets - 1 : bucket - classic.first()] += byIndex[index];
        }
        for (int i = 0; i < buckets - 1; i++) {
            bounds[i] = Math.scalb(1.0, classic.first() + i);
        }
        bounds[buckets - 1] = Double.POSITIVE_INFINITY;
        return ClassicHistogramBuckets.of(bounds, counts);
    }

    private static NativeHistogramBuckets nativeBuckets(Log2Unit unit, Log2Histogram histogram) {
        NativeHistogramBuckets.Builder buckets = NativeHistogramBuckets.builder();
        long[] byIndex = histogram.counts();
        for (int index = 1; index < Log2Histogram.INDEXES; index++) {
            if (byIndex[index] != 0) {
                buckets.bucket(unit.bucket(index), byIndex[index]);
            }
        }
        return buckets.build();
    }
}
