package io.bpfscope.libbpf;

import static io.bpfscope.sys.Native.C_INT;
import static io.bpfscope.sys.Native.C_LONG;
import static io.bpfscope.sys.Native.C_POINTER;

import io.bpfscope.sys.Native;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * Downcall handles into the system libbpf.so.1. Only symbols present in
 * libbpf 1.1 (Debian 12) are bound, so the daemon runs on every distribution
 * that ships 1.1 or later.
 */
public final class Libbpf {

    public static final String LIBRARY = "libbpf.so.1";
    /** LIBBPF_ERRNO__START: libbpf's own error codes start here. */
    static final int ERRNO_BASE = 4000;

    /** libbpf's symbols, for the bindings of the buffers too. */
    public static final SymbolLookup LIB = SymbolLookup.libraryLookup(LIBRARY, Arena.global());

    static final MethodHandle OBJECT_OPEN_MEM = Native.downcallWithErrno(LIB, "bpf_object__open_mem",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_LONG, C_POINTER));
    static final MethodHandle OBJECT_LOAD = Native.downcall(LIB, "bpf_object__load",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle OBJECT_CLOSE = Native.downcall(LIB, "bpf_object__close",
            FunctionDescriptor.ofVoid(C_POINTER));
    static final MethodHandle OBJECT_FIND_PROGRAM = Native.downcall(LIB, "bpf_object__find_program_by_name",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle OBJECT_NEXT_PROGRAM = Native.downcall(LIB, "bpf_object__next_program",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle OBJECT_NEXT_MAP = Native.downcall(LIB, "bpf_object__next_map",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle MAP_NAME = Native.downcall(LIB, "bpf_map__name",
            FunctionDescriptor.of(C_POINTER, C_POINTER));
    static final MethodHandle OBJECT_FIND_MAP = Native.downcall(LIB, "bpf_object__find_map_by_name",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle OBJECT_BTF = Native.downcall(LIB, "bpf_object__btf",
            FunctionDescriptor.of(C_POINTER, C_POINTER));

    static final MethodHandle PROGRAM_NAME = Native.downcall(LIB, "bpf_program__name",
            FunctionDescriptor.of(C_POINTER, C_POINTER));
    static final MethodHandle PROGRAM_SECTION_NAME = Native.downcall(LIB, "bpf_program__section_name",
            FunctionDescriptor.of(C_POINTER, C_POINTER));
    static final MethodHandle PROGRAM_FD = Native.downcall(LIB, "bpf_program__fd",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle PROGRAM_AUTOLOAD = Native.downcall(LIB, "bpf_program__autoload",
            FunctionDescriptor.of(ValueLayout.JAVA_BOOLEAN, C_POINTER));
    static final MethodHandle PROGRAM_SET_AUTOLOAD = Native.downcall(LIB, "bpf_program__set_autoload",
            FunctionDescriptor.of(C_INT, C_POINTER, ValueLayout.JAVA_BOOLEAN));
    static final MethodHandle PROGRAM_ATTACH = Native.downcallWithErrno(LIB, "bpf_program__attach",
            FunctionDescriptor.of(C_POINTER, C_POINTER));
    static final MethodHandle OBJ_GET_INFO_BY_FD = Native.downcall(LIB, "bpf_obj_get_info_by_fd",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER));
    static final MethodHandle ENABLE_STATS = Native.downcall(LIB, "bpf_enable_stats",
            FunctionDescriptor.of(C_INT, C_INT));
    static final MethodHandle LINK_DESTROY = Native.downcall(LIB, "bpf_link__destroy",
            FunctionDescriptor.of(C_INT, C_POINTER));

    static final MethodHandle MAP_FD = Native.downcall(LIB, "bpf_map__fd",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle MAP_TYPE = Native.downcall(LIB, "bpf_map__type",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle MAP_KEY_SIZE = Native.downcall(LIB, "bpf_map__key_size",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle MAP_VALUE_SIZE = Native.downcall(LIB, "bpf_map__value_size",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle MAP_MAX_ENTRIES = Native.downcall(LIB, "bpf_map__max_entries",
            FunctionDescriptor.of(C_INT, C_POINTER));
    static final MethodHandle MAP_SET_MAX_ENTRIES = Native.downcall(LIB, "bpf_map__set_max_entries",
            FunctionDescriptor.of(C_INT, C_POINTER, C_INT));
    static final MethodHandle MAP_INITIAL_VALUE = Native.downcall(LIB, "bpf_map__initial_value",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle MAP_SET_AUTOCREATE = Native.downcall(LIB, "bpf_map__set_autocreate",
            FunctionDescriptor.of(C_INT, C_POINTER, ValueLayout.JAVA_BOOLEAN));
    static final MethodHandle PROBE_MAP_TYPE = Native.downcall(LIB, "libbpf_probe_bpf_map_type",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER));
    static final MethodHandle MAP_CREATE = Native.downcall(LIB, "bpf_map_create",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_INT, C_INT, C_INT, C_POINTER));
    static final MethodHandle PROG_LOAD = Native.downcall(LIB, "bpf_prog_load",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_POINTER, C_LONG, C_POINTER));
    static final MethodHandle PROBE_HELPER = Native.downcall(LIB, "libbpf_probe_bpf_helper",
            FunctionDescriptor.of(C_INT, C_INT, C_INT, C_POINTER));
    static final MethodHandle MAP_LOOKUP = Native.downcall(LIB, "bpf_map__lookup_elem",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_LONG, C_POINTER, C_LONG, C_LONG));
    static final MethodHandle MAP_UPDATE = Native.downcall(LIB, "bpf_map__update_elem",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_LONG, C_POINTER, C_LONG, C_LONG));
    static final MethodHandle MAP_DELETE = Native.downcall(LIB, "bpf_map__delete_elem",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_LONG, C_LONG));
    static final MethodHandle MAP_NEXT_KEY = Native.downcall(LIB, "bpf_map__get_next_key",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_POINTER, C_LONG));
    static final MethodHandle MAP_LOOKUP_BATCH = Native.downcall(LIB, "bpf_map_lookup_batch",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER, C_POINTER));

    static final MethodHandle BTF_PARSE = Native.downcallWithErrno(LIB, "btf__parse",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_POINTER));
    static final MethodHandle BTF_FREE = Native.downcall(LIB, "btf__free",
            FunctionDescriptor.ofVoid(C_POINTER));
    static final MethodHandle BTF_FIND_BY_NAME_KIND = Native.downcall(LIB, "btf__find_by_name_kind",
            FunctionDescriptor.of(C_INT, C_POINTER, C_POINTER, C_INT));
    static final MethodHandle BTF_TYPE_BY_ID = Native.downcall(LIB, "btf__type_by_id",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT));
    static final MethodHandle BTF_NAME_BY_OFFSET = Native.downcall(LIB, "btf__name_by_offset",
            FunctionDescriptor.of(C_POINTER, C_POINTER, C_INT));

    static final MethodHandle SET_PRINT = Native.downcall(LIB, "libbpf_set_print",
            FunctionDescriptor.of(C_POINTER, C_POINTER));
    private static final MethodHandle STRERROR = Native.downcall(LIB, "libbpf_strerror",
            FunctionDescriptor.of(C_INT, C_INT, C_POINTER, C_LONG));
    private static final MethodHandle NUM_POSSIBLE_CPUS = Native.downcall(LIB, "libbpf_num_possible_cpus",
            FunctionDescriptor.of(C_INT));

    private Libbpf() {
    }

    static String strerror(int errno) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256);
            int rc = Native.callInt(() -> (int) STRERROR.invokeExact(errno, buffer, buffer.byteSize()));
            return rc == 0 ? buffer.getString(0) : "unknown error " + errno;
        }
    }

    static int possibleCpus() {
        int cpus = Native.callInt(() -> (int) NUM_POSSIBLE_CPUS.invokeExact());
        if (cpus <= 0) {
            throw LibbpfException.ofErrno("libbpf_num_possible_cpus", -cpus);
        }
        return cpus;
    }
}
