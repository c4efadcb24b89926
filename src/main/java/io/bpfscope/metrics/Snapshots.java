package io.bpfscope.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Metric families read whole at scrape time, built from label values: the
 * Prometheus client's snapshots. Names are the family's, without the
 * suffix the format adds ({@code _total} for counters, {@code _info}).
 */
final class Snapshots {

    private Snapshots() {
    }

    /**
     * The values' label sets as the client's Labels, in its order. Built once
     * for a series that is in several families; in order, the families' own
     * sort of their points takes one comparison per point.
     */
    static <V> SortedMap<Labels, V> labelled(List<String> labelNames, Map<List<String>, V> values) {
        SortedMap<Labels, V> labelled = new TreeMap<>();
        values.forEach((labels, value) -> labelled.put(Labels.of(labelNames, labels), value));
        return labelled;
    }

    static CounterSnapshot counter(String name, String help, List<String> labelNames,
                                   Map<List<String>, ? extends Number> values) {
        return counter(name, help, labelled(labelNames, values));
    }

    static CounterSnapshot counter(String name, String help, Map<Labels, ? extends Number> values) {
        CounterSnapshot.Builder family = CounterSnapshot.builder().name(name).help(help);
        values.forEach((labels, value) -> family.dataPoint(CounterSnapshot.CounterDataPointSnapshot.builder()
                .labels(labels).value(value.doubleValue()).build()));
        return family.build();
    }

    static CounterSnapshot counter(String name, String help, double value) {
        return counter(name, help, List.of(), Map.of(List.of(), value));
    }

    static GaugeSnapshot gauge(String name, String help, List<String> labelNames,
                               Map<List<String>, ? extends Number> values) {
        GaugeSnapshot.Builder family = GaugeSnapshot.builder().name(name).help(help);
        labelled(labelNames, values).forEach((labels, value) -> family.dataPoint(
                GaugeSnapshot.GaugeDataPointSnapshot.builder().labels(labels).value(value.doubleValue()).build()));
        return family.build();
    }

    static GaugeSnapshot gauge(String name, String help, double value) {
        return gauge(name, help, List.of(), Map.of(List.of(), value));
    }

    /** An info family: one series of value 1 per label set, exposed as NAME_info. */
    static InfoSnapshot info(String name, String help, List<String> labelNames, Collection<List<String>> values) {
        InfoSnapshot.Builder family = InfoSnapshot.builder().name(name).help(help);
        values.forEach(labels -> family.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                .labels(Labels.of(labelNames, labels)).build()));
        return family.build();
    }
}
