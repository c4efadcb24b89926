package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.RingBuffer;

/** sys_enter_execve + sys_exit_execve: one record per exec, failed ones included (see exec.bpf.c). */
public final class ExecProbe extends Probe {

    private ExecProbe(BpfObject object) {
        super(object);
    }

    public static ExecProbe load(ProbeConfig.Exec config) {
        return new ExecProbe(load("exec", object -> object.map("exec_events").setMaxEntries(config.bufferBytes())));
    }

    public RingBuffer events() {
        return RingBuffer.of(object.map("exec_events"));
    }
}
