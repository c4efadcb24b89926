package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;

/**
 * sys_enter_write: per-comm counts of every write, and write records for the
 * PIDs in the filter (see write.bpf.c).
 */
public final class WriteProbe extends Probe {

    private WriteProbe(BpfObject object, Buffers buffers) {
        super(object, "write", buffers);
    }

    public static WriteProbe load(ProbeConfig config) {
        Buffers buffers = new Buffers(config.buffer().resolve(), config.write().bufferBytes(), config.pollInterval());
        return new WriteProbe(load("write", buffers,
                object -> object.map("write_counts").setMaxEntries(config.write().maxComms())), buffers);
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
}
