package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;

/** sys_enter_execve + sys_exit_execve: one record per exec, failed ones included (see exec.bpf.c). */
public final class ExecProbe extends Probe {

    private final BpfMap results;

    private ExecProbe(BpfObject object, Buffers buffers) {
        super(object, "exec", buffers);
        this.results = object.map("exec_results");
    }

    public static ExecProbe load(ProbeConfig config) {
        Buffers buffers = new Buffers(config.buffer().resolve(), config.exec().bufferBytes(), config.pollInterval());
        return new ExecProbe(load("exec", buffers, object -> { }), buffers);
    }

    /** Every execve since load, by outcome, from the in-kernel counters (exact, unlike the stream). */
    public ExecCount counts() {
        return new ExecCount(results.sumPerCpu(0, 0), results.sumPerCpu(1, 0));
    }
}
