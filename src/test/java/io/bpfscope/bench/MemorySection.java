package io.bpfscope.bench;

import static io.bpfscope.bench.SoakReport.format;
import static io.bpfscope.bench.SoakReport.mib;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The report's memory and CPU: a row every 5 s of the samples, then, from
 * the end of the warm-up to the end of the load, how RSS and the heap after
 * each collection moved and whether they stayed flat (the heap is judged
 * after each young collection, not at the samples: the heap in use
 * saw-tooths between collections by design), the live heap after the full
 * GCs before and after the load, the GC pauses, and the daemon's CPU.
 */
record MemorySection(String text, Flatness rss, Flatness heap) {

    /** Slots of the hub's ring, empty of write events before the load and full of them after it. */
    private static final int RING_SLOTS = 65_536;

    static MemorySection of(SoakRun run) {
        StringBuilder out = new StringBuilder("## Memory and CPU, every 5 s\n\n");
        out.append("t: seconds since the writers were released. writes/s: growth of the kernel's count; streamed/s: of"
                + " `bpfscope_events_total{type=\"write\"}`; client-lost/s: of `bpfscope_events_lost_total{stage=\"client\"}`"
                + " (hub events the clients skipped). Heap used: `jvm_memory_used_bytes{area=\"heap\"}` (saw-tooth); after"
                + " GC: after the last collection before t (GC log). Daemon CPU: user + system over the 5 s, 100% = one"
                + " CPU; machine: all CPUs.\n\n");
        out.append("| t s | writes/s | streamed/s | client-lost/s | RSS MiB | heap used MiB | heap after GC MiB"
                + " | heap committed MiB | non-heap MiB | daemon CPU | machine |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        table(out, run);

        double start = run.settings().warmUpSeconds();
        double end = Math.min(run.loadSeconds(), run.settings().seconds());
        Flatness rss = Flatness.judge(run.samples().stream().map(s -> new Flatness.Point(s.seconds(), s.rssKib() * 1024.0))
                .toList(), start, end);
        Flatness heap = Flatness.judge(run.pauses().stream().filter(p -> p.hasHeap() && !p.full())
                .map(p -> new Flatness.Point((p.wallMs() - run.goWallMs()) / 1000, p.usedAfterKib() * 1024.0)).toList(),
                start, end);
        out.append('\n');
        window(out, "RSS", rss, start, end);
        window(out, "heap after GC", heap, start, end);
        List<SoakSample> judged = run.samples().stream().filter(s -> start <= s.seconds() && s.seconds() <= end).toList();
        if (!judged.isEmpty()) {
            // Where RSS growth went: the heap's commitment, or non-heap (JIT code, metaspace) still growing.
            SoakSample first = judged.getFirst();
            SoakSample last = judged.getLast();
            out.append(format("- from %.0f s to %.0f s: RSS %.1f -> %.1f MiB, heap committed %s -> %s MiB, non-heap used"
                    + " (code cache, metaspace) %s -> %s MiB, platform threads %.0f -> %.0f\n", start, end,
                    first.rssKib() / 1024.0, last.rssKib() / 1024.0, mib(first.heapCommitted()), mib(last.heapCommitted()),
                    mib(first.nonHeapUsed()), mib(last.nonHeapUsed()), first.platformThreads(), last.platformThreads()));
        }
        liveHeap(out, run.pauses());
        pauses(out, run);
        cpu(out, run);
        return new MemorySection(out.toString(), rss, heap);
    }

    private static void table(StringBuilder out, SoakRun run) {
        List<SoakSample> shown = new ArrayList<>();
        for (int k = 0; k < run.samples().size(); k++) {
            SoakSample s = run.samples().get(k);
            if (k == 0 || (long) Math.rint(s.seconds()) % 5 == 0) {
                shown.add(s);
            }
        }
        SoakSample previous = null;
        for (SoakSample s : shown) {
            double at = run.goWallMs() + 1000 * s.seconds();
            String afterGc = run.pauses().stream().filter(p -> p.hasHeap() && p.wallMs() <= at)
                    .reduce((first, last) -> last).map(p -> format("%.1f", p.usedAfterKib() / 1024.0)).orElse("-");
            String[] rates = {"-", "-", "-", "-", "-"};
            if (previous != null) {
                double dt = s.seconds() - previous.seconds();
                rates = new String[] {format("%,.0f", (s.writesCounted() - previous.writesCounted()) / dt),
                    format("%,.0f", (s.writesStreamed() - previous.writesStreamed()) / dt),
                    format("%,.0f", (s.lostByClients() - previous.lostByClients()) / dt),
                    format("%.0f%%", 100 * (s.cpuMs() - previous.cpuMs()) / 1000.0 / dt),
                    previous.machine().usageUntil(s.machine())};
            }
            out.append(format("| %.0f | %s | %s | %s | %.1f | %s | %s | %s | %s | %s | %s |\n", s.seconds(), rates[0],
                    rates[1], rates[2], s.rssKib() / 1024.0, mib(s.heapUsed()), afterGc, mib(s.heapCommitted()),
                    mib(s.nonHeapUsed()), rates[3], rates[4]));
            previous = s;
        }
    }

    private static void window(StringBuilder out, String name, Flatness flatness, double start, double end) {
        if (flatness.window().isEmpty()) {
            return;
        }
        Samples values = new Samples(flatness.window().stream().map(Flatness.Point::value).toList());
        out.append(format("- %s from %.0f s to %.0f s (%d points): min %s MiB, max %s MiB; %s\n", name, start, end,
                values.count(), mib(values.min()), mib(values.max()), flatness.text()));
    }

    /** The heap after the full GC before the load and after the one after it, and the growth per slot of the ring. */
    private static void liveHeap(StringBuilder out, List<GcLog.Pause> pauses) {
        List<GcLog.Pause> fulls = pauses.stream().filter(p -> p.full() && p.hasHeap()).toList();
        if (fulls.size() < 2) {
            return;
        }
        double grown = (fulls.getLast().usedAfterKib() - fulls.getFirst().usedAfterKib()) * 1024.0;
        out.append(format("- live heap (after a full GC, `jcmd GC.run`): %.1f MiB before the load, %.1f MiB after it: %s"
                + " MiB more, %.0f bytes per slot of the hub's %,d-event ring, full of write events by then\n",
                fulls.getFirst().usedAfterKib() / 1024.0, fulls.getLast().usedAfterKib() / 1024.0, mib(grown),
                grown / RING_SLOTS, RING_SLOTS));
    }

    private static void pauses(StringBuilder out, SoakRun run) {
        Samples ms = new Samples(run.pauses().stream().filter(p -> run.goWallMs() <= p.wallMs()
                && p.wallMs() <= run.goWallMs() + 1000 * run.loadSeconds()).map(GcLog.Pause::ms).toList());
        if (!ms.isEmpty()) {
            out.append(format("- GC pauses during the load: %d, p50 %.1f ms, max %.1f ms\n", ms.count(), ms.percentile(0.5),
                    ms.max()));
        }
    }

    /** Over the load, per streamed write, the allocation rate, and by thread. */
    private static void cpu(StringBuilder out, SoakRun run) {
        List<SoakSample> load = run.samples().stream().filter(s -> 0 <= s.seconds() && s.seconds() <= run.loadSeconds())
                .toList();
        if (load.size() >= 2) {
            SoakSample first = load.getFirst();
            SoakSample last = load.getLast();
            double cpuSeconds = (last.cpuMs() - first.cpuMs()) / 1000.0;
            double dt = last.seconds() - first.seconds();
            double events = Math.max(1, last.writesStreamed() - first.writesStreamed());
            out.append(format("- daemon CPU during the load: %.1f s in %.1f s (%.0f%% of one CPU), %.0f ns per streamed"
                    + " write; allocated %,.0f MiB/s\n", cpuSeconds, dt, 100 * cpuSeconds / dt, 1e9 * cpuSeconds / events,
                    (last.allocated() - first.allocated()) / dt / (1 << 20)));
        }
        List<String> threads = run.threadsAfter().since(run.threadsBefore()).byName().entrySet().stream()
                .filter(e -> e.getValue().cpuNs() > 0)
                .sorted(Comparator.comparingLong((Map.Entry<String, ThreadTimes.Usage> e) -> e.getValue().cpuNs())
                        .reversed())
                .limit(6).map(e -> format("`%s` %.1f s", e.getKey(), e.getValue().cpuNs() / 1e9)).toList();
        out.append("- daemon CPU by thread (names with digits folded to N): ").append(String.join(", ", threads))
                .append("\n\n");
    }
}
