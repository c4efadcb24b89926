package io.bpfscope.event;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/** struct exit_event of src/main/bpf/bpfscope.h, field by field. */
public final class ExitEventLayout {

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("kind"),
            ValueLayout.JAVA_INT.withName("status"),
            ValueLayout.JAVA_LONG.withName("boot_ns"),
            ValueLayout.JAVA_LONG.withName("start_ns"),
            ValueLayout.JAVA_LONG.withName("cgroup_id"),
            ValueLayout.JAVA_INT.withName("pid"),
            ValueLayout.JAVA_INT.withName("tid"),
            ValueLayout.JAVA_INT.withName("ppid"),
            ValueLayout.JAVA_INT.withName("uid"),
            MemoryLayout.sequenceLayout(ExecEventLayout.COMM_LEN, ValueLayout.JAVA_BYTE).withName("comm"),
            MemoryLayout.sequenceLayout(ExecEventLayout.CGROUP_NAME_LEN, ValueLayout.JAVA_BYTE).withName("cgroup"),
            MemoryLayout.sequenceLayout(ExecEventLayout.CGROUP_NAME_LEN, ValueLayout.JAVA_BYTE)
                    .withName("cgroup_parent"))
            .withName("exit_event");

    static final long STATUS = offset("status");
    static final long BOOT_NS = offset("boot_ns");
    static final long START_NS = offset("start_ns");
    static final long CGROUP_ID = offset("cgroup_id");
    static final long PID = offset("pid");
    static final long TID = offset("tid");
    static final long PPID = offset("ppid");
    static final long UID = offset("uid");
    static final long COMM = offset("comm");
    static final long CGROUP = offset("cgroup");
    static final long CGROUP_PARENT = offset("cgroup_parent");

    private ExitEventLayout() {
    }

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }
}
