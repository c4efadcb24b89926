package io.bpfscope.bench;

import java.util.Locale;

/**
 * One second of a soak: when (seconds since the writers were released,
 * negative before), the daemon's RSS and CPU, the machine's CPU, and what
 * the daemon's own /q/metrics said (heap, allocation, threads, bpfscope's
 * counters), and how long that scrape took.
 */
record SoakSample(double seconds, long rssKib, long cpuMs, MachineCpu machine, double heapUsed, double heapCommitted,
        double nonHeapUsed, double allocated, double platformThreads, double writesCounted, double writesStreamed,
        double lostInKernel, double lostByClients, double sseClients, double scrapeMs) {

    static final String TSV_HEADER = "t_s\trss_kib\tcpu_ms\tmachine_busy\tmachine_total\theap_used\theap_committed"
            + "\tnonheap_used\tallocated\tplatform_threads\twrites_counted\tevents_write\tlost_kernel\tlost_client"
            + "\tsse_clients\tscrape_ms";

    /** Its figures from the daemon's scrape; {@code comm} is the writers'. */
    static SoakSample of(double seconds, long rssKib, long cpuMs, MachineCpu machine, Exposition metrics, String comm,
            double scrapeMs) {
        return new SoakSample(seconds, rssKib, cpuMs, machine, metrics.sum("jvm_memory_used_bytes", "area=\"heap\""),
                metrics.sum("jvm_memory_committed_bytes", "area=\"heap\""),
                metrics.sum("jvm_memory_used_bytes", "area=\"nonheap\""),
                metrics.value("jvm_gc_memory_allocated_bytes_total"), metrics.value("jvm_threads_live_threads"),
                metrics.sum(SoakSeries.WRITES, SoakSeries.ofComm(comm)),
                metrics.value(SoakSeries.STREAMED), metrics.value(SoakSeries.LOST_IN_KERNEL),
                metrics.value(SoakSeries.LOST_BY_CLIENTS), metrics.value(SoakSeries.CLIENTS), scrapeMs);
    }

    String tsvRow() {
        return String.format(Locale.ROOT, "%.3f\t%d\t%d\t%d\t%d\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.0f\t%.1f",
                seconds, rssKib, cpuMs, machine.busy(), machine.total(), heapUsed, heapCommitted, nonHeapUsed, allocated,
                platformThreads, writesCounted, writesStreamed, lostInKernel, lostByClients, sseClients, scrapeMs);
    }
}
