package io.bpfscope.event;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * struct exec_event of src/main/bpf/bpfscope.h, field by field. A record on
 * the wire ends after argv_len bytes of argv.
 */
public final class ExecEventLayout {

    public static final int COMM_LEN = 16;
    public static final int CGROUP_NAME_LEN = 192;
    public static final int FILENAME_LEN = 512;
    public static final int ARGV_LEN = 4096;
    static final int ARGV_TRUNCATED = 1;
    static final int FILENAME_TRUNCATED = 2;

    public static final StructLayout LAYOUT = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("kind"),
            ValueLayout.JAVA_INT.withName("flags"),
            ValueLayout.JAVA_LONG.withName("boot_ns"),
            ValueLayout.JAVA_LONG.withName("cgroup_id"),
            ValueLayout.JAVA_INT.withName("pid"),
            ValueLayout.JAVA_INT.withName("tid"),
            ValueLayout.JAVA_INT.withName("ppid"),
            ValueLayout.JAVA_INT.withName("uid"),
            ValueLayout.JAVA_INT.withName("gid"),
            ValueLayout.JAVA_INT.withName("ret"),
            ValueLayout.JAVA_INT.withName("argc"),
            ValueLayout.JAVA_INT.withName("argv_len"),
            MemoryLayout.sequenceLayout(COMM_LEN, ValueLayout.JAVA_BYTE).withName("comm"),
            MemoryLayout.sequenceLayout(CGROUP_NAME_LEN, ValueLayout.JAVA_BYTE).withName("cgroup"),
            MemoryLayout.sequenceLayout(CGROUP_NAME_LEN, ValueLayout.JAVA_BYTE).withName("cgroup_parent"),
            MemoryLayout.sequenceLayout(FILENAME_LEN, ValueLayout.JAVA_BYTE).withName("filename"),
            MemoryLayout.sequenceLayout(ARGV_LEN, ValueLayout.JAVA_BYTE).withName("argv"))
            .withName("exec_event");

    static final long BOOT_NS = offset("boot_ns");
    static final long CGROUP_ID = offset("cgroup_id");
    static final long PID = offset("pid");
    static final long TID = offset("tid");
    static final long PPID = offset("ppid");
    static final long UID = offset("uid");
    static final long GID = offset("gid");
    static final long RET = offset("ret");
    static final long ARGC = offset("argc");
    static final long ARGV_USED = offset("argv_len");
    static final long FLAGS = offset("flags");
    static final long COMM = offset("comm");
    static final long CGROUP = offset("cgroup");
    static final long CGROUP_PARENT = offset("cgroup_parent");
    static final long FILENAME = offset("filename");
    static final long ARGV = offset("argv");

    private ExecEventLayout() {
    }

    private static long offset(String field) {
        return LAYOUT.byteOffset(groupElement(field));
    }
}
