package io.bpfscope.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The write scenario's table: per configuration its ns per write (minimum
 * and median over the kept runs), the overhead over nothing attached, that
 * overhead as a multiple of the floor (the empty program's), the writer's
 * own CPU per write, and the notes.
 */
final class WriteTable {

    static final String BASELINE = "nothing";
    static final String FLOOR = "empty";

    private WriteTable() {
    }

    static String render(List<Configuration> configurations, List<Measurement> measurements) {
        Map<String, List<Measurement>> byConfiguration = new LinkedHashMap<>();
        configurations.forEach(c -> byConfiguration.put(c.name(), new ArrayList<>()));
        measurements.forEach(m -> byConfiguration.get(m.configuration()).add(m));
        Samples baseline = values(byConfiguration.get(BASELINE));
        Samples floor = values(byConfiguration.getOrDefault(FLOOR, List.of()));
        double floorOverhead = floor.median() - baseline.median();
        StringBuilder table = new StringBuilder();
        table.append("| config | what is attached | runs | min ns/write | median ns/write | overhead min | overhead median"
                + " | ratio to floor | median writer CPU ns/write | notes |\n");
        table.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (Configuration configuration : configurations) {
            List<Measurement> runs = byConfiguration.get(configuration.name());
            Samples ns = values(runs);
            double overheadMedian = ns.median() - baseline.median();
            table.append("| `").append(configuration.name()).append("` | ").append(configuration.description())
                    .append(" | ").append(ns.count())
                    .append(" | ").append(Samples.number(round(ns.min())))
                    .append(" | ").append(Samples.number(round(ns.median())))
                    .append(" | ").append(Samples.number(round(ns.min() - baseline.min())))
                    .append(" | ").append(Samples.number(round(overheadMedian)))
                    .append(" | ").append(Samples.ratio(overheadMedian, floorOverhead))
                    .append(" | ").append(Samples.number(round(figure(runs, "cpu_ns").median())))
                    .append(" | ").append(Notes.of(runs)).append(" |\n");
        }
        return table.toString();
    }

    static Samples values(List<Measurement> runs) {
        return new Samples(runs.stream().map(Measurement::value).toList());
    }

    static Samples figure(List<Measurement> runs, String key) {
        return new Samples(runs.stream().filter(m -> m.figures().containsKey(key)).map(m -> m.figures().get(key))
                .toList());
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
