package io.bpfscope.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * Metric families read whole at scrape time, built from label values: the
 * Prometheus client's snapshots. Names are the family's, without the
 * suffix the format adds ({@code _total} for counters, {@code _info}).
 */
final class Snapshots {

    private Snapshots() {
    }

    /** The values by their label sets as the client's Labels, in its order (see LabelSets). */
    static <V> SortedMap<Labels, V> labelled(List<String> labelNames, Map<List<String>, V> values) {
        return new LabelSets(labelNames).labelled(values);
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
