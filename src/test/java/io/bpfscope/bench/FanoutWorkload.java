package io.bpfscope.bench;

import java.util.List;
import java.util.Map;

/** The fan-out scenario's workload: a write_loop paced at a rate, its PID the configuration's target. */
final class FanoutWorkload implements Workload {

    private final Run run;
    private final WriteLoop writer;

    private FanoutWorkload(Run run, WriteLoop writer) {
        this.run = run;
        this.writer = writer;
    }

    static FanoutWorkload prepare(Run run, long rate) throws InterruptedException {
        return new FanoutWorkload(run, WriteLoop.paced(run.build(), run.dir(), run.operations(), rate,
                WriteConfigurations.WRITER, run.bound().plus(run.ready()).plusSeconds(60)));
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
        return new Result(figures.get("ns_per_write"), Map.of("rate", figures.get("rate")),
                "writer " + Samples.number(Math.round(figures.get("rate"))) + "/s");
    }

    @Override
    public void close() {
        writer.close();
    }
}
