package io.bpfscope.metrics;

import io.prometheus.metrics.model.snapshots.Labels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The Prometheus client's Labels for the label values of a family's series,
 * kept from one scrape to the next: the client checks every label name each
 * time it builds a Labels, and a node has thousands of write series that
 * mostly stay. What a scrape did not ask for is forgotten.
 */
final class LabelSets {

    private final List<String> names;
    private Map<List<String>, Labels> known = Map.of();

    LabelSets(List<String> names) {
        this.names = names;
    }

    /**
     * The values by their Labels, in the client's order of them: a family
     * built in that order sorts its points with one comparison each.
     */
    synchronized <V> SortedMap<Labels, V> labelled(Map<List<String>, V> values) {
        Map<List<String>, Labels> now = HashMap.newHashMap(values.size());
        SortedMap<Labels, V> labelled = new TreeMap<>();
        values.forEach((labelValues, value) -> {
            Labels labels = known.get(labelValues);
            if (labels == null) {
                labels = Labels.of(names, labelValues);
            }
            now.put(labelValues, labels);
            labelled.put(labels, value);
        });
        known = now;
        return labelled;
    }
}
