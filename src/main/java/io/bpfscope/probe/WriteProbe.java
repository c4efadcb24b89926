package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import io.bpfscope.libbpf.RingBuffer;

/**
 * sys_enter_write: per-comm counts of every write, and write records for the
 * PIDs in the filter (see write.bpf.c).
 */
public final class WriteProbe extends Probe {

    private WriteProbe(BpfObject object) {
        super(object);
    }

    public static WriteProbe load(ProbeConfig.Write config) {
        return new WriteProbe(load("write", object -> {
            object.map("write_counts").setMaxEntries(config.maxComms());
            object.map("write_events").setMaxEntries(config.bufferBytes());
        }));
    }

    public CommWriteCounts counts() {
        return new CommWriteCounts(object.map("write_counts"), object.map("write_other"));
    }

    /** The filter bitmap's words and the selector of the half in force. */
    public BpfMap pidFilterWords() {
        return object.map("pid_filter");
    }

    public BpfMap pidFilterBase() {
        return object.map("pid_filter_base");
    }

    public RingBuffer events() {
        return RingBuffer.of(object.map("write_events"));
    }
}
