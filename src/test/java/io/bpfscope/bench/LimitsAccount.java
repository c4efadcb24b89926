package io.bpfscope.bench;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the daemon's metrics say of a limits run's traced writer, between a
 * scrape before it wrote and one after: {@code writes} it made (its loop
 * and its one result line), how many the kernel counted under its comm, how
 * many reached the reader as events, and the events lost by stage.
 */
public record LimitsAccount(long writes, long counted, long streamed, long lostKernel, long lostReader, long lostClient) {

    private static final String STREAMED = "bpfscope_events_total{type=\"write\"}";
    private static final String LOST = "bpfscope_events_lost_total";
    /** A label naming an event type, however a later exposition spells it. */
    private static final Pattern TYPE = Pattern.compile("[{,](?:type|event_type|eventType)=\"([^\"]*)\"");

    static LimitsAccount between(Map<String, Double> before, Map<String, Double> after, long writes, String counter) {
        return new LimitsAccount(writes, growth(before, after, counter), growth(before, after, STREAMED),
                lost(before, after, "kernel"), lost(before, after, "reader"), lost(before, after, "client"));
    }

    /**
     * Growth of the losses of a stage: every series of that stage, of type
     * write where the series name a type (only the writes are accounted for
     * here; an exposition without the type counts the exec and exit events
     * the kernel dropped too).
     */
    private static long lost(Map<String, Double> before, Map<String, Double> after, String stage) {
        return Math.round(writeLosses(after, stage) - writeLosses(before, stage));
    }

    private static double writeLosses(Map<String, Double> samples, String stage) {
        return samples.entrySet().stream()
                .filter(e -> e.getKey().startsWith(LOST + "{") && e.getKey().contains("stage=\"" + stage + "\""))
                .filter(e -> {
                    Matcher type = TYPE.matcher(e.getKey());
                    return !type.find() || type.group(1).equals("write");
                })
                .mapToDouble(Map.Entry::getValue).sum();
    }

    /** Every write counted in the kernel, none twice. */
    public boolean countingExact() {
        return counted == writes;
    }

    /** Traced writes read as events or counted lost before the hub. */
    public long delivered() {
        return streamed + lostKernel + lostReader;
    }

    /** Every traced write either read as an event or counted lost before the hub. */
    public boolean deliveryAccounted() {
        return delivered() == writes;
    }

    private static long growth(Map<String, Double> before, Map<String, Double> after, String series) {
        return Math.round(DaemonUnderTest.delta(before, after, series, ""));
    }
}
