package io.bpfscope.bench;

import java.util.List;
import java.util.Map;

/** bpfscope_events_lost_total by stage between two scrapes: "lost kernel +a, reader +b, client +c". */
final class Losses {

    private Losses() {
    }

    /** The note, and each stage's growth put in {@code figures} as lost_STAGE. */
    static String note(Map<String, Double> before, Map<String, Double> after, Map<String, Double> figures) {
        StringBuilder note = new StringBuilder("lost");
        for (String stage : List.of("kernel", "reader", "client")) {
            double lost = DaemonUnderTest.delta(before, after, "bpfscope_events_lost_total{stage=\"" + stage + "\"}", "");
            figures.put("lost_" + stage, lost);
            note.append(stage.equals("kernel") ? " " : ", ").append(stage).append(" +").append(Samples.number(lost));
        }
        return note.toString();
    }
}
