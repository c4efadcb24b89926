package io.bpfscope.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The write and fan-out scenarios' workload: a write_loop waiting for its go
 * line, its PID the configuration's target; at full speed, or paced at a rate.
 */
final class WriteWorkload implements Workload {

    private final Run run;
    private final WriteLoop writer;
    private final boolean paced;

    private WriteWorkload(Run run, WriteLoop writer, boolean paced) {
        this.run = run;
        this.writer = writer;
        this.paced = paced;
    }

    /** At full speed; its bound covers its configuration's start too (a daemon's start and settling). */
    static WriteWorkload prepare(Run run) throws InterruptedException {
        return new WriteWorkload(run, WriteLoop.prepare(run.build(), run.dir(), run.operations(),
                WriteConfigurations.WRITER, run.bound().plus(run.ready()).plusSeconds(60)), false);
    }

    /** Paced at {@code rate} writes a second. */
    static WriteWorkload paced(Run run, long rate) throws InterruptedException {
        return new WriteWorkload(run, WriteLoop.paced(run.build(), run.dir(), run.operations(), rate,
                WriteConfigurations.WRITER, run.bound().plus(run.ready()).plusSeconds(60)), true);
    }

    @Override
    public long target() {
        return writer.pid();
    }

    @Override
    public List<ProcessHandle> processes() {
        return List.of(writer.tool().handle());
    }

    @Override
    public Result run() throws InterruptedException {
        writer.go();
        Map<String, Double> figures = writer.await(run.bound());
        double ns = figures.get("ns_per_write");
        if (paced) {
            return new Result(ns, Map.of("rate", figures.get("rate")),
                    "writer " + Samples.number(Math.round(figures.get("rate"))) + "/s");
        }
        // How much of the wall time the writer really had a CPU: the tell of a run other work disturbed.
        String onCpu = String.format(Locale.ROOT, "writer on CPU %.0f%%, %.0f preemptions",
                100 * figures.get("cpu_ns_per_write") / ns, figures.get("invol_cs"));
        return new Result(ns, Map.of("cpu_ns", figures.get("cpu_ns_per_write")), onCpu);
    }

    @Override
    public void close() {
        writer.close();
    }
}
