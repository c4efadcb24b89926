package io.bpfscope.bench;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the daemon's probes answered during a limits run: how often each
 * status came from /q/health/live and /q/health/ready (0: no answer within
 * the probe timeout), what each said when it did not answer 200 ("503
 * readers: {...}", by how often), and how many of readiness's 503s said
 * nothing of why.
 */
public record LimitsProbes(Map<Integer, Integer> live, Map<Integer, Integer> ready, Map<String, Integer> liveReasons,
        Map<String, Integer> readyReasons, int silentReady) {

    public LimitsProbes {
        live = Map.copyOf(live);
        ready = Map.copyOf(ready);
        liveReasons = Map.copyOf(liveReasons);
        readyReasons = Map.copyOf(readyReasons);
    }

    /** "200 ×52, 503 ×1": how often each status came. */
    public static String text(Map<Integer, Integer> statuses) {
        return statuses.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> (e.getKey() == 0 ? "no answer" : e.getKey().toString()) + " ×" + e.getValue())
                .collect(Collectors.joining(", "));
    }

    /** "`503 readers: {...}` ×1; ...": what the answers other than 200 said, in order. */
    public static String reasons(Map<String, Integer> reasons) {
        return reasons.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> "`" + e.getKey() + "` ×" + e.getValue()).collect(Collectors.joining("; "));
    }

    /** Both probes' statuses, and what they said when not 200. */
    public String summary() {
        return "live " + text(live) + (liveReasons.isEmpty() ? "" : " (" + reasons(liveReasons) + ")") + ", ready "
                + text(ready) + (readyReasons.isEmpty() ? "" : " (" + reasons(readyReasons) + ")");
    }
}
