package io.bpfscope.testing;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.BucketSpan;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.Histogram;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.LabelPair;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.Metric;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_33_0.Metrics.MetricFamily;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Histograms read back from the protobuf exposition, as Prometheus reads them. */
public final class NativeHistograms {

    private NativeHistograms() {
    }

    /** Every metric family of a delimited protobuf exposition. */
    public static List<MetricFamily> families(byte[] delimited) {
        List<MetricFamily> families = new ArrayList<>();
        InputStream in = new ByteArrayInputStream(delimited);
        try {
            MetricFamily family;
            while ((family = MetricFamily.parseDelimitedFrom(in)) != null) {
                families.add(family);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return families;
    }

    /** The histogram of family {@code name} whose labels include all of {@code labels}. */
    public static Optional<Histogram> find(List<MetricFamily> families, String name, Map<String, String> labels) {
        return families.stream().filter(family -> family.getName().equals(name))
                .flatMap(family -> family.getMetricList().stream())
                .filter(metric -> hasLabels(metric, labels))
                .map(Metric::getHistogram)
                .findFirst();
    }

    /** The positive native buckets, by index: spans of consecutive buckets, counts as deltas. */
    public static Map<Integer, Long> positiveBuckets(Histogram histogram) {
        Map<Integer, Long> buckets = new TreeMap<>();
        int index = 0;
        int delta = 0;
        long count = 0;
        for (BucketSpan span : histogram.getPositiveSpanList()) {
            index += span.getOffset();
            for (int i = 0; i < span.getLength(); i++) {
                count += histogram.getPositiveDelta(delta++);
                buckets.put(index++, count);
            }
        }
        buckets.values().removeIf(atIndex -> atIndex == 0);
        return buckets;
    }

    private static boolean hasLabels(Metric metric, Map<String, String> labels) {
        Map<String, String> found = new TreeMap<>();
        for (LabelPair pair : metric.getLabelList()) {
            found.put(pair.getName(), pair.getValue());
        }
        return found.entrySet().containsAll(labels.entrySet());
    }
}
