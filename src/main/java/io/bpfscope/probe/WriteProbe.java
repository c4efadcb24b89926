package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.BpfObject;
import java.lang.foreign.ValueLayout;

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
        int comms = config.write().maxComms();
        return new WriteProbe(load("write", "write", buffers, object -> {
            object.map(".rodata.config").initialValue().set(ValueLayout.JAVA_INT, COMM_SLOTS, comms);
            object.map("comm_slots").setMaxEntries(comms);
            // One slot per comm, and the last for "_other".
            object.map("slot_counts").setMaxEntries(comms + 1);
        }), buffers);
    }

    public CommWriteCounts counts() {
        return new CommWriteCounts(object.map("comm_slots"), object.map("slot_counts"));
    }

    /** The filter bitmap's words and the selector of the half in force. */
    public BpfMap pidFilterWords() {
        return object.map("pid_filter");
    }

    public BpfMap pidFilterBase() {
        return object.map("pid_filter_base");
    }

    /** followChildren: the kernel-kept bitmap of followed children, and the switch. */
    public BpfMap pidChildren() {
        return object.map("pid_children");
    }

    public BpfMap followChildren() {
        return object.map("follow_children");
    }

    /** Bumped after every change of who is traced, among others (each CPU caches the answer). */
    public BpfMap cacheEpoch() {
        return object.map(".data.epoch");
    }
}
