package io.bpfscope.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What a configuration's runs said, for a table's last column. */
final class Notes {

    private Notes() {
    }

    /** The notes of the runs: one when all agree, else the ranges of the runs' figures, else each in turn. */
    static String of(List<Measurement> runs) {
        List<String> notes = runs.stream().map(Measurement::note).distinct().toList();
        String text;
        if (notes.size() <= 1) {
            text = notes.isEmpty() ? "" : notes.getFirst();
        } else {
            Map<String, Samples> figures = new TreeMap<>();
            runs.getFirst().figures().keySet().stream().filter(key -> !key.equals("cpu_ns"))
                    .forEach(key -> figures.put(key, WriteTable.figure(runs, key)));
            text = figures.isEmpty() ? String.join(" / ", runs.stream().map(Measurement::note).toList())
                    : "per run: " + String.join(", ", figures.entrySet().stream()
                            .map(e -> e.getKey() + " " + e.getValue().range()).toList());
        }
        List<String> foreign = runs.stream().filter(m -> !m.foreign().isEmpty())
                .map(m -> "run " + m.round() + ": " + m.foreign()).toList();
        return foreign.isEmpty() ? text : text + (text.isEmpty() ? "" : "; ") + "FOREIGN TRACERS: "
                + String.join("; ", foreign);
    }

}
