package io.bpfscope.metrics;

import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.DistributionDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * The two text expositions, Prometheus 0.0.4 and OpenMetrics 1.0, written
 * as the Prometheus client writes them (TextExpositionTest holds the bytes
 * equal) but a block of text at a time. The client's writers go through a
 * BufferedWriter a character at a time, which made the text of a node with
 * its write series all in use take over 60 ms to write. Counters, gauges,
 * infos, classic histograms and summaries: what bpfscope's collector and
 * Micrometer make ({@link #writes} says whether a scrape holds only those).
 */
final class TextExposition {

    static final String TEXT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    static final String OPEN_METRICS_TYPE = "application/openmetrics-text; version=1.0.0; charset=utf-8";
    private static final int BLOCK_BYTES = 32 * 1024;
    private static final byte[] LE = utf8("le=\"");
    private static final byte[] QUANTILE = utf8("quantile=\"");

    private final boolean openMetrics;

    TextExposition(boolean openMetrics) {
        this.openMetrics = openMetrics;
    }

    String contentType() {
        return openMetrics ? OPEN_METRICS_TYPE : TEXT_TYPE;
    }

    /** Whether every family of the scrape is of a kind this writes. */
    static boolean writes(MetricSnapshots snapshots) {
        for (MetricSnapshot family : snapshots) {
            if (!(family instanceof CounterSnapshot || family instanceof GaugeSnapshot || family instanceof InfoSnapshot
                    || family instanceof SummarySnapshot
                    || family instanceof HistogramSnapshot histogram && !histogram.isGaugeHistogram())) {
                return false;
            }
        }
        return true;
    }

    void write(OutputStream out, MetricSnapshots snapshots) throws IOException {
        Block block = new Block(out);
        for (MetricSnapshot family : snapshots) {
            if (family.getDataPoints().isEmpty()) {
                continue;
            }
            switch (family) {
                case CounterSnapshot counter -> counter(block, counter);
                case GaugeSnapshot gauge -> gauge(block, gauge);
                case InfoSnapshot info -> info(block, info);
                case HistogramSnapshot histogram -> histogram(block, histogram);
                case SummarySnapshot summary -> summary(block, summary);
                default -> throw new IllegalArgumentException("no text for " + family.getClass().getSimpleName());
            }
        }
        if (openMetrics) {
            block.text.append("# EOF\n");
        }
        block.flush();
    }

    private void counter(Block block, CounterSnapshot counter) throws IOException {
        String name = counter.getMetadata().getPrometheusName();
        header(block, counter, openMetrics ? name : name + "_total", "counter");
        byte[] sampleName = utf8(name + "_total");
        for (CounterSnapshot.CounterDataPointSnapshot point : counter.getDataPoints()) {
            sample(block, sampleName, block.labelText(point.getLabels()), null, null);
            number(block, point.getValue());
        }
    }

    private void gauge(Block block, GaugeSnapshot gauge) throws IOException {
        String name = gauge.getMetadata().getPrometheusName();
        header(block, gauge, name, "gauge");
        byte[] sampleName = utf8(name);
        for (GaugeSnapshot.GaugeDataPointSnapshot point : gauge.getDataPoints()) {
            sample(block, sampleName, block.labelText(point.getLabels()), null, null);
            number(block, point.getValue());
        }
    }

    private void info(Block block, InfoSnapshot info) throws IOException {
        String name = info.getMetadata().getPrometheusName();
        header(block, info, openMetrics ? name : name + "_info", openMetrics ? "info" : "gauge");
        byte[] sampleName = utf8(name + "_info");
        for (InfoSnapshot.InfoDataPointSnapshot point : info.getDataPoints()) {
            sample(block, sampleName, block.labelText(point.getLabels()), null, null);
            block.text.append("1\n");
        }
    }

    private void histogram(Block block, HistogramSnapshot histogram) throws IOException {
        String name = histogram.getMetadata().getPrometheusName();
        header(block, histogram, name, "histogram");
        byte[] bucketName = utf8(name + "_bucket");
        Distribution distribution = new Distribution(name);
        BoundTexts bounds = new BoundTexts();
        for (HistogramSnapshot.HistogramDataPointSnapshot point : histogram.getDataPoints()) {
            byte[] labels = block.labelText(point.getLabels());
            ClassicHistogramBuckets buckets = point.getClassicBuckets();
            long cumulative = 0;
            for (int i = 0; i < buckets.size(); i++) {
                cumulative += buckets.getCount(i);
                sample(block, bucketName, labels, LE, bounds.of(i, buckets.getUpperBound(i)));
                block.text.append(cumulative).append('\n');
            }
            distribution.countAndSum(block, labels, point);
        }
    }

    private void summary(Block block, SummarySnapshot summary) throws IOException {
        String name = summary.getMetadata().getPrometheusName();
        header(block, summary, name, "summary");
        byte[] sampleName = utf8(name);
        Distribution distribution = new Distribution(name);
        for (SummarySnapshot.SummaryDataPointSnapshot point : summary.getDataPoints()) {
            byte[] labels = block.labelText(point.getLabels());
            for (Quantile quantile : point.getQuantiles()) {
                sample(block, sampleName, labels, QUANTILE, utf8(bound(quantile.getQuantile())));
                number(block, quantile.getValue());
            }
            distribution.countAndSum(block, labels, point);
        }
    }

    /** The _count and _sum samples of a histogram or summary family. */
    private static final class Distribution {
        private final byte[] countName;
        private final byte[] sumName;

        Distribution(String name) {
            countName = utf8(name + "_count");
            sumName = utf8(name + "_sum");
        }

        void countAndSum(Block block, byte[] labels, DistributionDataPointSnapshot point) throws IOException {
            if (point.hasCount()) {
                sample(block, countName, labels, null, null);
                block.text.append(point.getCount()).append('\n');
            }
            if (point.hasSum()) {
                sample(block, sumName, labels, null, null);
                number(block, point.getSum());
            }
        }
    }

    /** HELP and TYPE, in the order each format has them. */
    private void header(Block block, MetricSnapshot family, String name, String type) throws IOException {
        String help = family.getMetadata().getHelp();
        if (openMetrics) {
            block.text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            help(block, name, help);
        } else {
            help(block, name, help);
            block.text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        }
        block.flushIfFull();
    }

    private void help(Block block, String name, String help) {
        if (help == null) {
            return;
        }
        block.text.append("# HELP ").append(name).append(' ').append(escaped(help, openMetrics)).append('\n');
    }

    /**
     * The name and labels of a sample (the label text as labelText makes it,
     * and the label {@code extra} when not null), then a space.
     */
    private static void sample(Block block, byte[] name, byte[] labels, byte[] extra, byte[] extraValue)
            throws IOException {
        block.flushIfFull();
        Utf8Block text = block.text.append(name);
        if (labels.length > 0 || extra != null) {
            text.append('{').append(labels);
            if (extra != null) {
                if (labels.length > 0) {
                    text.append(',');
                }
                text.append(extra).append(extraValue).append('"');
            }
            text.append('}');
        }
        text.append(' ');
    }

    /** {@code value} with backslashes and newlines escaped, and double quotes when {@code quotes}. */
    private static String escaped(String value, boolean quotes) {
        if (value.indexOf('\\') < 0 && value.indexOf('\n') < 0 && (!quotes || value.indexOf('"') < 0)) {
            return value;
        }
        StringBuilder text = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\n' -> text.append("\\n");
                case '"' -> text.append(quotes ? "\\\"" : "\"");
                default -> text.append(c);
            }
        }
        return text.toString();
    }

    private static void number(Block block, double value) {
        block.text.append(bound(value)).append('\n');
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static String bound(double value) {
        if (value == Double.POSITIVE_INFINITY) {
            return "+Inf";
        }
        if (value == Double.NEGATIVE_INFINITY) {
            return "-Inf";
        }
        return Double.toString(value);
    }

    /** The labels as a sample has them between its braces, encoded. */
    private static byte[] labelText(Labels labels) {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < labels.size(); i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(labels.getPrometheusName(i)).append("=\"").append(escaped(labels.getValue(i), true)).append('"');
        }
        return utf8(text.toString());
    }

    /** The text of a histogram's bucket bounds, written once: its series all have the same ones, as a rule. */
    private static final class BoundTexts {
        private double[] bounds = new double[0];
        private byte[][] texts = new byte[0][];

        byte[] of(int position, double bound) {
            if (position >= bounds.length) {
                bounds = Arrays.copyOf(bounds, position + 1);
                texts = Arrays.copyOf(texts, position + 1);
            }
            if (texts[position] == null || Double.compare(bounds[position], bound) != 0) {
                bounds[position] = bound;
                texts[position] = utf8(bound(bound));
            }
            return texts[position];
        }
    }

    /** The scrape's text, and each label set's text, written once though its series is in several families. */
    private static final class Block {
        final Utf8Block text;
        private final Map<Labels, byte[]> labelTexts = new IdentityHashMap<>();

        Block(OutputStream out) {
            text = new Utf8Block(out, BLOCK_BYTES);
        }

        byte[] labelText(Labels labels) {
            return labelTexts.computeIfAbsent(labels, TextExposition::labelText);
        }

        void flushIfFull() throws IOException {
            text.flushIfFull();
        }

        void flush() throws IOException {
            text.flush();
        }
    }
}
