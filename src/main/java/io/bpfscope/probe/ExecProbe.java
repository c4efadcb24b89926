package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.RingBuffer;

/** sys_enter_execve + sys_exit_execve: one record per exec, failed ones included (see exec.bpf.c). */
public final class ExecProbe extends Probe {

    private final BpfMap results;

    private ExecProbe(BpfObject object) {
        super(object);
        this.results = object.map("exec_results");
    }

    public static ExecProbe load(ProbeConfig.Exec config) {
        return new ExecProbe(load("exec", object -> object.map("exec_events").setMaxEntries(config.bufferBytes())));
    }

    /** Every execve since load, by outcome, from the in-kernel counters (exact, unlike the stream). */
    public ExecCount counts() {
        return new ExecCount(results.sumPerCpu(0, 0), results.sumPerCpu(1, 0));
    }

    public RingBuffer events() {
        return RingBuffer.of(object.map("exec_events"));
    }
}
