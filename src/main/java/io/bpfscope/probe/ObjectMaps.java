package io.bpfscope.probe;

import io.bpfscope.libbpf.BpfMap;
import io.bpfscope.libbpf.MapSpec;

/** The maps every bundled object has (its settings, its drop counters of drops.bpf.h) or may have. */
final class ObjectMaps {

    /** struct probe_config, libbpf's map of the .rodata.config section. */
    static final MapSpec CONFIG = new MapSpec(".rodata.config", BpfMap.TYPE_ARRAY, 4, ProbeSettings.LAYOUT.byteSize());
    /** The C side's own globals, zeroed (.bss) and constant (.rodata), which Java never touches. */
    static final MapSpec BSS = MapSpec.untouched(".bss", BpfMap.TYPE_ARRAY);
    static final MapSpec RODATA = MapSpec.untouched(".rodata", BpfMap.TYPE_ARRAY);
    /** drop_counts: one u64 per enum bpfscope_drop, in libbpf's map of the .data.drops section. */
    static final MapSpec DROPS = new MapSpec(".data.drops", BpfMap.TYPE_ARRAY, 4, DropCounts.BYTES);

    private ObjectMaps() {
    }

    /** The ring buffer an object's records leave through where the kernel has one. */
    static MapSpec events(String name) {
        return MapSpec.untouched(name + "_events", BpfMap.TYPE_RINGBUF);
    }

    /** The perf event array they leave through elsewhere. */
    static MapSpec perf(String name) {
        return new MapSpec(name + "_perf", BpfMap.TYPE_PERF_EVENT_ARRAY, 4, 4);
    }
}
