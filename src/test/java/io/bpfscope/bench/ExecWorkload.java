package io.bpfscope.bench;

import java.util.List;
import java.util.Map;

/** The exec scenario's workload: two exec loops at once, their execs carrying the run's mark. */
final class ExecWorkload implements Workload {

    private final Run run;

    ExecWorkload(Run run) {
        this.run = run;
    }

    @Override
    public long target() {
        return 0;
    }

    @Override
    public List<ProcessHandle> processes() {
        return List.of();
    }

    @Override
    public Result run() throws InterruptedException {
        ExecLoops.Result loops = ExecLoops.run(run, run.operations(), run.marker());
        return new Result(loops.nsPerExec(), Map.of("failures", (double) loops.failures()),
                loops.failures() == 0 ? "" : loops.failures() + " failed execs");
    }

    @Override
    public void close() {
    }
}
