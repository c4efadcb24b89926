package io.bpfscope.bench;

import java.util.List;

/** The exec scenario's table: µs per exec of the two loops, and the overhead over nothing attached. */
final class ExecTable {

    static final String BASELINE = "exec_nothing";

    private ExecTable() {
    }

    static String render(List<Configuration> configurations, List<Measurement> measurements) {
        Samples baseline = WriteTable.values(runsOf(BASELINE, measurements));
        StringBuilder table = new StringBuilder("| config | what is attached | runs | min us/exec | median us/exec"
                + " | overhead median us | notes |\n| --- | --- | ---: | ---: | ---: | ---: | --- |\n");
        for (Configuration configuration : configurations) {
            List<Measurement> runs = runsOf(configuration.name(), measurements);
            Samples ns = WriteTable.values(runs);
            table.append("| `").append(configuration.name()).append("` | ").append(configuration.description())
                    .append(" | ").append(ns.count())
                    .append(" | ").append(micros(ns.min()))
                    .append(" | ").append(micros(ns.median()))
                    .append(" | ").append(configuration.name().equals(BASELINE) ? "-" : micros(ns.median() - baseline.median()))
                    .append(" | ").append(Notes.of(runs)).append(" |\n");
        }
        return table.toString();
    }

    private static List<Measurement> runsOf(String configuration, List<Measurement> measurements) {
        return measurements.stream().filter(m -> m.configuration().equals(configuration)).toList();
    }

    private static String micros(double ns) {
        return Samples.number(Math.round(ns / 100) / 10.0);
    }
}
