package io.bpfscope.bench;

/** The series of the daemon's /q/metrics a soak counts with. */
final class SoakSeries {

    /** Writes counted in the kernel, by comm (and cgroup): see {@link #ofComm}. */
    static final String WRITES = "bpfscope_write_syscalls_total";
    static final String STREAMED = "bpfscope_events_total{type=\"write\"}";
    static final String LOST_IN_KERNEL = "bpfscope_events_lost_total{stage=\"kernel\"}";
    static final String LOST_BY_READER = "bpfscope_events_lost_total{stage=\"reader\"}";
    static final String LOST_BY_CLIENTS = "bpfscope_events_lost_total{stage=\"client\"}";
    static final String EXPORTED = "bpfscope_export_events_total";
    static final String LOST_AT_EXPORT = "bpfscope_events_lost_total{stage=\"export\"}";
    static final String CLIENTS = "bpfscope_sse_clients";

    private SoakSeries() {
    }

    /** The label that picks {@code comm}'s write counts in every cgroup (they also carry namespace, pod, container). */
    static String ofComm(String comm) {
        return "comm=\"" + comm + "\",";
    }
}
