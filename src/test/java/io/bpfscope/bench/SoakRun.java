package io.bpfscope.bench;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * What a soak leaves for its report: how it ran (the daemon, the writers'
 * comm, the execs' marker, its files), the machine around it, the writers'
 * figures, the daemon's metrics before and after the load and every second,
 * its threads' CPU before and after, the execs and what the clients made of
 * them, the GC log's pauses, and how the daemon stopped.
 */
record SoakRun(SoakSettings settings, String daemon, String comm, String marker, Path dir, double loadAverageBefore,
        double loadAverageAfter, String machineDuringLoad, double loadSeconds, double goWallMs,
        List<Map<String, Double>> writers, Exposition before, Exposition after, List<SoakSample> samples,
        ThreadTimes threadsBefore, ThreadTimes threadsAfter, SoakExecs.Execs execs, Deliveries deliveries,
        List<GcLog.Pause> pauses, int exitStatus, String clientSummary) {

    SoakRun {
        writers = List.copyOf(writers);
        samples = List.copyOf(samples);
        pauses = List.copyOf(pauses);
    }

    /** How much {@code series} grew over the load. */
    double growth(String series) {
        return after.growth(before, series);
    }
}
