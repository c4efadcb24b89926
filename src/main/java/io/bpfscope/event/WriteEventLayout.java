package io.bpfscope.event;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/** struct write_event of src/main/bpf/bpfscope.h, field by field. */
public final class WriteEventLayout {

    public static final int COMM_LEN = 16;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_LONG.withName("boot_ns"),
            ValueLayout.JAVA_INT.withName("pid"),
            ValueLayout.JAVA_INT.withName("tid"),
            ValueLayout.JAVA_LONG.withName("count"),
            ValueLayout.JAVA_INT.withName("fd"),
            ValueLayout.JAVA_INT.withName("_pad"),
            MemoryLayout.sequenceLayout(COMM_LEN, ValueLayout.JAVA_BYTE).withName("comm"),
            ValueLayout.JAVA_LONG.withName("cgroup_id"))
            .withName("write_event");

    static final long BOOT_NS = offset("boot_ns");
    static final long PID = offset("pid");
    static final long TID = offset("tid");
    static final long COUNT = offset("count");
    static final long FD = offset("fd");
    static final long COMM = offset("comm");
    static final long CGROUP_ID = offset("cgroup_id");
    static final long SIZE = LAYOUT.byteSize();

    private WriteEventLayout() {
    }

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }
}
